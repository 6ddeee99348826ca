package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.focusmate.realtime.launcher.cli.LauncherConfig;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tokens of an identity provider: a launcher with JWT_JWKS_URL verifies them with the keys its JWKS serves. */
@Timeout(60)
class JwksAuthenticationTest {
    private static final String ISSUER = "https://idp.test/";
    private static final RSAKey KEY = rsa("idp-key-1");

    private final int jwksPort = freePort();
    private final AtomicReference<HttpServer> jwks = new AtomicReference<>();
    private final AtomicReference<Launcher> launcher = new AtomicReference<>();

    @AfterEach
    void stop() {
        if (launcher.get() != null) {
            launcher.get().close();
        }
        if (jwks.get() != null) {
            jwks.get().stop(0);
        }
    }

    @Test
    void anRs256TokenFromTheJwksConnectsAndABadOneGetsAuthErrorAnd1008() {
        serveJwks();
        try (TestInstance gateway = TestInstance.start(Map.of("JWT_JWKS_URL", jwksUrl(), "JWT_ISSUER", ISSUER))) {
            WsClient client = WsClient.connect(gateway.notificationsUrl(rs256(KEY, "alice", ISSUER)));
            assertEquals("alice", client.next().path("user_id").asText());

            RSAKey impostor = new RSAKey.Builder(rsa("x")).keyID(KEY.getKeyID()).build();
            assertRefused(WsClient.connect(gateway.notificationsUrl(rs256(impostor, "mallory", ISSUER))),
                    "invalid token");
            assertRefused(WsClient.connect(gateway.notificationsUrl(rs256(KEY, "mallory", "https://other.test/"))),
                    "issuer not accepted");
            // the RS256/HS256 confusion: an HS256 token keyed with the provider's public key
            assertRefused(WsClient.connect(gateway.notificationsUrl(sign(JWSAlgorithm.HS256, "mallory", ISSUER,
                    mac(KEY.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))))), "invalid token");
        }
    }

    @Test
    void withOnlyAJwksTheServerRunsInProductionModeAndRefusesHs256Tokens() throws Exception {
        serveJwks();
        LauncherConfig config = LauncherConfig.read(Map.of("HOST", "127.0.0.1", "PORT", "0", "JWT_JWKS_URL", jwksUrl()),
                Map.of());
        assertTrue(config.production());
        assertNull(config.apiKey());
        launcher.set(Launcher.start(config, null));
        WsClient client = WsClient.connect(url(rs256(KEY, "bob", null)));
        assertEquals("bob", client.next().path("user_id").asText());
        assertRefused(WsClient.connect(url(TestTokens.token("bob"))), "invalid token");
    }

    @Test
    void aJwksUnreachableAtStartDoesNotKeepTheServerFromStartingAndItsTokensVerifyOnceItAnswers() throws Exception {
        LauncherConfig config = LauncherConfig.read(Map.of("HOST", "127.0.0.1", "PORT", "0", "JWT_JWKS_URL", jwksUrl()),
                Map.of());
        launcher.set(Launcher.start(config, null));
        serveJwks();
        String token = rs256(KEY, "carol", null);
        Await.until("a JWKS token to connect", Duration.ofSeconds(20), () -> {
            try (WsClient client = WsClient.connect(url(token))) {
                return "connected".equals(client.next().path("type").asText());
            }
        });
    }

    private String url(String token) {
        return "ws://127.0.0.1:" + launcher.get().port() + "/api/v1/notifications/ws?token=" + token;
    }

    private static void assertRefused(WsClient client, String reasonPart) {
        JsonNode error = client.next();
        assertEquals("AUTH_ERROR", error.path("code").asText(), error.toString());
        assertTrue(error.path("message").asText().contains(reasonPart), error.toString());
        assertEquals(1008, client.awaitClose().code());
    }

    private String jwksUrl() {
        return "http://127.0.0.1:" + jwksPort + "/jwks.json";
    }

    private void serveJwks() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), jwksPort), 16);
            byte[] body = new JWKSet(KEY).toString(true).getBytes(StandardCharsets.UTF_8);
            server.createContext("/jwks.json", exchange -> {
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
            jwks.set(server);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static RSAKey rsa(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWSSigner mac(byte[] key) {
        try {
            return new MACSigner(key);
        } catch (com.nimbusds.jose.KeyLengthException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String rs256(RSAKey key, String subject, String issuer) {
        try {
            return sign(JWSAlgorithm.RS256, subject, issuer, new RSASSASigner(key));
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String sign(JWSAlgorithm alg, String subject, String issuer, JWSSigner signer) {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject(subject).issuer(issuer)
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(KEY.getKeyID()).type(JOSEObjectType.JWT).build(),
                claims);
        try {
            jwt.sign(signer);
        } catch (com.nimbusds.jose.JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }
}
