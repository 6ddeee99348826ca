package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The shaded jar, run with {@code java -jar} exactly as the README tells an operator to. */
@Timeout(120)
class LauncherJarIT {

    @TempDir
    Path home;

    private LauncherJar jar;

    @BeforeEach
    void jar() {
        jar = new LauncherJar(home);
    }

    @AfterEach
    void stopAll() {
        jar.close();
    }

    @Test
    void aZeroConfigFirstRunServesATokenFromTheTokenCommandAndPublishesWithTheDevelopmentApiKey() throws Exception {
        int port = RedisServer.freePort();
        Path log = home.resolve("server.log");
        Process server = jar.start(log, Map.of("PORT", String.valueOf(port)));
        Await.until("the server to listen", Duration.ofSeconds(30), () -> LauncherJar.read(log).contains("Listening on"));
        String output = LauncherJar.read(log);
        assertTrue(output.contains("in-memory broker"), output);
        assertTrue(output.contains("development mode"), output);
        assertFalse(output.contains("ALLOWED_ORIGINS is not set"), "development mode does not warn about origins");

        String token = run("token", "--user", "alice").trim();
        WsClient client = WsClient.connect("ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token=" + token);
        assertEquals("alice", client.next().path("user_id").asText());
        client.send("{\"type\":\"ping\"}");
        assertEquals("pong", client.next().path("type").asText());

        // The publish command finds the development API key the server took: a notification end to end.
        String id = run("publish", "--url", "http://127.0.0.1:" + port, "--user", "alice", "--title", "Hi",
                "--message", "Hello").lines().findFirst().orElseThrow();
        JsonNode notification = client.next();
        assertEquals("notification", notification.path("type").asText());
        assertEquals("Hi", notification.path("data").path("title").asText());
        assertEquals(id, notification.path("data").path("notification_id").asText());

        String secret = Files.readString(home.resolve("focusmate-realtime/dev-jwt-secret")).trim();
        String apiKey = Files.readString(home.resolve("focusmate-realtime/dev-api-key")).trim();
        assertFalse(LauncherJar.read(log).contains(apiKey), "the development API key reached the log");
        assertFalse(LauncherJar.read(log).contains(secret), "the development secret reached the log");
        assertFalse(LauncherJar.read(log).contains(token), "a token reached the log");
        server.destroy();
        assertEquals(1012, client.awaitClose().code(), "SIGTERM drains with 1012 (service restart)");
        assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the server did not stop on SIGTERM");
        assertEquals(0, server.exitValue());
    }

    @Test
    void withRedisUrlSetARawRedisPublishReachesTheUser() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            int port = RedisServer.freePort();
            Path log = home.resolve("server.log");
            jar.start(log, Map.of("PORT", String.valueOf(port), "REDIS_URL", redis.url(),
                    "JWT_SECRET_KEY", io.focusmate.realtime.testkit.TestTokens.SECRET));
            Await.until("the server to listen", Duration.ofSeconds(30), () -> LauncherJar.read(log).contains("Listening on"));
            assertTrue(LauncherJar.read(log).contains("Using Redis at " + redis.url()), LauncherJar.read(log));
            assertTrue(LauncherJar.read(log).contains("ALLOWED_ORIGINS is not set"), "production without an origin list warns");
            WsClient client = WsClient.connect("ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token="
                    + io.focusmate.realtime.testkit.TestTokens.token("42"));
            client.next();
            String payload = "{\"type\":\"notification\",\"data\":{\"title\":\"hi\"}}";
            redis.command("PUBLISH", "notifications:user:42", payload);
            assertEquals(payload, client.nextText());
        }
    }

    @Test
    void theParticipantsOfAKilledInstanceAreAnnouncedAsLeftWithinFourThirdsOfTheLease() throws Exception {
        try (RedisServer redis = RedisServer.start();
             TestInstance survivor = TestInstance.start(Map.of("REDIS_URL", redis.url(), "ROOM_LEASE", "1s"))) {
            int port = RedisServer.freePort();
            Path log = home.resolve("doomed.log");
            Process doomed = jar.start(log, Map.of("PORT", String.valueOf(port), "REDIS_URL", redis.url(),
                    "ROOM_LEASE", "1s", "JWT_SECRET_KEY", io.focusmate.realtime.testkit.TestTokens.SECRET));
            Await.until("the doomed instance to listen", Duration.ofSeconds(30), () -> LauncherJar.read(log).contains("Listening on"));
            TestInstance.Joined alice = survivor.joinRoom("alice", "crash-room");
            WsClient bob = WsClient.connect("ws://127.0.0.1:" + port + "/ws/room/crash-room?token="
                    + io.focusmate.realtime.testkit.TestTokens.token("bob"));
            assertEquals("room_state", bob.next().path("type").asText());
            assertEquals("bob", alice.client().nextOfType("participant_joined").path("data").path("user_id").asText());

            long killed = System.nanoTime();
            doomed.destroyForcibly(); // SIGKILL: no clean shutdown, its leases are simply no longer renewed
            assertTrue(doomed.waitFor(10, TimeUnit.SECONDS));
            com.fasterxml.jackson.databind.JsonNode left = alice.client().nextOfType("participant_left");
            long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);
            assertEquals("bob", left.path("data").path("user_id").asText());
            System.out.println("participant_left after SIGKILL: " + elapsedMs + " ms (lease 1000 ms, bound 1333 ms)");
            assertTrue(elapsedMs <= 1_333 + 500, "announced after " + elapsedMs + " ms");
        }
    }

    @Test
    void sigtermClosesTwoHundredConnectionsWith1012SpreadOverTheDrainWindowAndExitsZero() throws Exception {
        int port = RedisServer.freePort();
        Path log = home.resolve("drain.log");
        Process server = jar.start(log, Map.of("PORT", String.valueOf(port), "DRAIN_WINDOW", "2s",
                "JWT_SECRET_KEY", io.focusmate.realtime.testkit.TestTokens.SECRET));
        Await.until("the server to listen", Duration.ofSeconds(30), () -> LauncherJar.read(log).contains("Listening on"));
        List<WsClient> clients = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            WsClient client = WsClient.connect("ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token="
                    + io.focusmate.realtime.testkit.TestTokens.token("user" + i));
            assertEquals("connected", client.next().path("type").asText());
            clients.add(client);
        }
        long signalled = System.nanoTime();
        server.destroy(); // SIGTERM
        List<Long> closedAfterMs = new ArrayList<>();
        for (WsClient client : clients) {
            WsClient.Close close = client.awaitClose(Duration.ofSeconds(10));
            assertEquals(1012, close.code(), "every connection is told to reconnect elsewhere");
            closedAfterMs.add(TimeUnit.NANOSECONDS.toMillis(close.atNanos() - signalled));
        }
        assertTrue(server.waitFor(20, TimeUnit.SECONDS), "the drained server did not exit");
        assertEquals(0, server.exitValue(), "a drain ends with exit code 0");
        closedAfterMs.sort(null);
        long first = closedAfterMs.get(0);
        long median = closedAfterMs.get(100);
        long last = closedAfterMs.get(199);
        System.out.println("drain of 200 connections over a 2000 ms window: first close " + first + " ms, median "
                + median + " ms, last " + last + " ms after SIGTERM");
        assertTrue(last <= 2_000 + 1_000, "all closed within the window (last at " + last + " ms)");
        assertTrue(last - first >= 1_000, "spread over the window, not all at once (" + first + ".." + last + ")");
    }

    @Test
    void aPortInUseExitsWith2AndOneLineBeforeAnythingIsLogged() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket()) {
            taken.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            ProcessBuilder builder = jar.command("serve", "--port", String.valueOf(taken.getLocalPort()));
            builder.environment().remove("JWT_SECRET_KEY");
            builder.redirectErrorStream(true);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertTrue(process.waitFor(30, TimeUnit.SECONDS));
            assertEquals(2, process.exitValue(), output);
            assertEquals(1, output.lines().count(), output);
            assertTrue(output.startsWith("error: port " + taken.getLocalPort()), output);
        }
    }

    @Test
    void aBadSettingExitsWith2AndOneLine() throws Exception {
        ProcessBuilder builder = jar.command("serve");
        builder.environment().put("JWT_SECRET_KEY", "too-short");
        builder.redirectErrorStream(true);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, process.exitValue(), output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.startsWith("error: JWT_SECRET_KEY"), output);
    }


    private String run(String... args) throws Exception {
        ProcessBuilder builder = jar.command(args);
        builder.environment().remove("JWT_SECRET_KEY");
        builder.redirectError(ProcessBuilder.Redirect.DISCARD);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue());
        return out;
    }


}
