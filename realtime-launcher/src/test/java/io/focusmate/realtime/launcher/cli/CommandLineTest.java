package io.focusmate.realtime.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** What an operator sees: commands, exit codes and one-line errors, never a stack trace. */
@Timeout(60)
class CommandLineTest {
    @TempDir
    Path config;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(Map<String, String> env, String... args) {
        Map<String, String> withHome = new HashMap<>(env);
        withHome.put("XDG_CONFIG_HOME", config.toString());
        return Main.run(args, withHome, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String stdout() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String stderr() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void assertOneLineError(int code, String... parts) {
        assertEquals(Exit.USAGE, code, stderr());
        String text = stderr().trim();
        assertEquals(1, text.lines().count(), "one line, not a stack trace: " + text);
        assertTrue(text.startsWith("error: "), text);
        for (String part : parts) {
            assertTrue(text.contains(part), "\"" + part + "\" missing from: " + text);
        }
        assertFalse(text.contains("Exception"), text);
    }

    @Test
    void theTokenCommandPrintsAnHs256JwtForTheUserSignedWithTheConfiguredSecret() throws Exception {
        assertEquals(Exit.OK, run(Map.of("JWT_SECRET_KEY", TestTokens.SECRET), "token", "--user", "alice"));
        String token = stdout().trim();
        assertEquals("alice", JwtAuthenticator.builder(TestTokens.SECRET).requireExpiry(true).build()
                .authenticate(token).userId());
    }

    @Test
    void theTokenCommandHonoursTtl() throws Exception {
        assertEquals(Exit.OK, run(Map.of("JWT_SECRET_KEY", TestTokens.SECRET), "token", "--user", "bob", "--ttl", "90s"));
        long exp = com.nimbusds.jwt.SignedJWT.parse(stdout().trim()).getJWTClaimsSet().getExpirationTime().getTime();
        long expected = System.currentTimeMillis() + 90_000;
        assertTrue(Math.abs(exp - expected) < 5_000, "exp is " + exp + ", expected about " + expected);
    }

    @Test
    void withoutASecretTheTokenCommandAndTheServerShareTheGeneratedDevelopmentSecret() throws Exception {
        assertEquals(Exit.OK, run(Map.of(), "token", "--user", "newcomer"));
        String token = stdout().trim();
        assertTrue(stderr().contains("development secret"), stderr());
        String secret = Files.readString(DevSecret.defaultPath(Map.of("XDG_CONFIG_HOME", config.toString()))).trim();
        assertFalse(stderr().contains(secret) || stdout().contains(secret), "the secret was printed");
        assertEquals("newcomer", JwtAuthenticator.builder(secret).build().authenticate(token).userId());
    }

    @Test
    void theTokenCommandNeedsAUser() {
        assertOneLineError(run(Map.of(), "token"), "--user");
    }

    @Test
    void aShortSecretIsRefusedAtStartWithExitCode2() {
        assertOneLineError(run(Map.of("JWT_SECRET_KEY", "short"), "serve"), "JWT_SECRET_KEY", "32 bytes");
        assertFalse(stderr().contains("short\""), "the secret was echoed");
    }

    @Test
    void aShortSecretGivenAsAFlagIsNamedAsTheFlag() {
        assertOneLineError(run(Map.of(), "serve", "--jwt-secret", "short"), "--jwt-secret", "32 bytes");
        assertFalse(stderr().contains("JWT_SECRET_KEY"), stderr());
        err.reset();
        assertOneLineError(run(Map.of(), "token", "--user", "a", "--jwt-secret", "short"), "--jwt-secret", "32 bytes");
    }

    @Test
    void anAllowedOriginThatIsNotAnOriginIsRefusedWithExitCode2() {
        assertOneLineError(run(Map.of("ALLOWED_ORIGINS", "https://app.example.com,app.example.com"), "serve"),
                "ALLOWED_ORIGINS", "\"app.example.com\" is not an origin", "scheme://host[:port]");
    }

    @Test
    void aRateThatIsNotARateIsRefusedWithExitCode2AndOneLineSayingWhatToWrite() {
        assertOneLineError(run(Map.of("CLIENT_MESSAGE_RATE", "fast"), "serve"), "CLIENT_MESSAGE_RATE",
                "--client-message-rate", "20/s");
        err.reset();
        assertOneLineError(run(Map.of(), "serve", "--chat-message-rate", "5/h"), "CHAT_MESSAGE_RATE", "300/m");
        err.reset();
        assertOneLineError(run(Map.of("CLIENT_MESSAGE_BURST", "0"), "serve"), "CLIENT_MESSAGE_BURST", "1 to");
        err.reset();
        assertOneLineError(run(Map.of("TOKEN_REFRESH_WINDOW", "soon"), "serve"), "TOKEN_REFRESH_WINDOW", "duration");
        err.reset();
        assertOneLineError(run(Map.of("JWT_CLOCK_SKEW", "-1s"), "serve"), "JWT_CLOCK_SKEW", "duration");
    }

    @Test
    void ratesAreReadPerSecondOrPerMinute() throws Exception {
        LauncherConfig config = LauncherConfig.read(Map.of("CLIENT_MESSAGE_RATE", "300/m", "CHAT_MESSAGE_RATE", "0.5/s",
                "CLIENT_MESSAGE_BURST", "7"), Map.of());
        assertEquals(5.0, config.gateway().clientMessageRate());
        assertEquals(0.5, config.gateway().chatMessageRate());
        assertEquals(7, config.gateway().clientMessageBurst());
        assertEquals(20.0, LauncherConfig.read(Map.of(), Map.of()).gateway().clientMessageRate());
        assertEquals(0.0, LauncherConfig.read(Map.of("CLIENT_MESSAGE_RATE", "0"), Map.of()).gateway()
                .clientMessageRate());
    }

    @Test
    void aHandshakeTimeoutThatIsNotWholeSecondsIsRefusedWithExitCode2() {
        assertOneLineError(run(Map.of("HANDSHAKE_TIMEOUT", "500ms"), "serve"), "HANDSHAKE_TIMEOUT", "whole number");
    }

    @Test
    void aJwksUrlThatIsNotHttpIsRefusedWithExitCode2() {
        assertOneLineError(run(Map.of("JWT_JWKS_URL", "ftp://idp.example.com/jwks.json"), "serve"), "JWT_JWKS_URL",
                "ftp://idp.example.com/jwks.json", "https://");
        err.reset();
        assertOneLineError(run(Map.of(), "serve", "--jwt-jwks-url", "idp.example.com/jwks"), "--jwt-jwks-url",
                "https://");
        err.reset();
        assertOneLineError(run(Map.of(), "serve", "--jwt-jwks-url", "https://idp example/jwks"), "JWT_JWKS_URL");
    }

    @Test
    void theJwksSettingsAreReadAndAJwksIsProductionLikeASecret() throws Exception {
        LauncherConfig jwks = LauncherConfig.read(Map.of("JWT_JWKS_URL", "https://idp.example.com/.well-known/jwks.json",
                "JWT_ISSUER", " https://idp.example.com/ "), Map.of(Setting.JWT_AUDIENCE, "realtime"));
        assertEquals(new LauncherConfig.Jwks(java.net.URI.create("https://idp.example.com/.well-known/jwks.json"),
                "https://idp.example.com/", "realtime"), jwks.jwks());
        assertTrue(jwks.production());
        assertTrue(LauncherConfig.read(Map.of("JWT_SECRET_KEY", TestTokens.SECRET), Map.of()).production());
        LauncherConfig development = LauncherConfig.read(Map.of(), Map.of());
        assertFalse(development.production());
        assertEquals(new LauncherConfig.Jwks(null, null, null), development.jwks());
    }

    @Test
    void aKeyPrefixContainingTheNotificationChannelsNameIsRefusedWithExitCode2() {
        assertOneLineError(run(Map.of("REDIS_KEY_PREFIX", "app:notifications:"), "serve"), "REDIS_KEY_PREFIX",
                "notifications:");
    }

    @Test
    void aMalformedRedisUrlIsRefusedWithExitCode2() {
        assertOneLineError(run(Map.of("REDIS_URL", "localhost:6379"), "serve"), "REDIS_URL", "redis://");
    }

    @Test
    void anUnreachableRedisIsRefusedAtStartWithExitCode2() {
        int port = RedisServer.freePort();
        assertOneLineError(run(Map.of("REDIS_URL", "redis://127.0.0.1:" + port, "PORT", "0"), "serve"),
                "127.0.0.1:" + port, "unreachable", "REDIS_URL");
    }

    @Test
    void aPortInUseIsRefusedWithExitCode2() throws Exception {
        try (ServerSocket taken = new ServerSocket(0)) {
            assertOneLineError(run(Map.of("JWT_SECRET_KEY", TestTokens.SECRET, "HOST", "127.0.0.1"),
                    "--port", String.valueOf(taken.getLocalPort())), "port " + taken.getLocalPort(), "PORT");
        }
    }

    @Test
    void aBadNumberIsRefusedWithExitCode2() {
        assertOneLineError(run(Map.of("MAX_CONNECTIONS_PER_USER", "five"), "serve"), "MAX_CONNECTIONS_PER_USER",
                "five");
        err.reset();
        assertOneLineError(run(Map.of(), "serve", "--idle-timeout", "soon"), "IDLE_TIMEOUT", "25s");
    }

    @Test
    void aHeartbeatIntervalLongerThanTheIdleTimeoutIsRefused() {
        assertOneLineError(run(Map.of("HEARTBEAT_INTERVAL", "90s"), "serve"), "HEARTBEAT_INTERVAL", "IDLE_TIMEOUT");
    }

    @Test
    void anUnknownOptionOrCommandIsRefusedWithExitCode2() {
        assertOneLineError(run(Map.of(), "serve", "--prot", "80"), "--prot");
        err.reset();
        assertOneLineError(run(Map.of(), "srve"), "srve");
    }

    @Test
    void everySubcommandHasHelp() {
        assertEquals(Exit.OK, run(Map.of(), "--help"));
        assertTrue(stdout().contains("token --user"));
        out.reset();
        assertEquals(Exit.OK, run(Map.of(), "serve", "--help"));
        for (Setting setting : Setting.values()) {
            assertTrue(stdout().contains(setting.env()), setting + " missing from serve --help");
        }
        out.reset();
        assertEquals(Exit.OK, run(Map.of(), "token", "--help"));
        assertTrue(stdout().contains("--ttl"));
    }

    @Test
    void flagsWinOverTheEnvironment() throws Exception {
        LauncherConfig config = LauncherConfig.read(Map.of("PORT", "1234"), Map.of(Setting.PORT, "4321"));
        assertEquals(4321, config.port());
    }
}
