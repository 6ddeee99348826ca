package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster-wide connection limit survives a crash: a launcher process holding a user's five connections is
 * killed with SIGKILL (no close, no release), and its connections stop counting within CONNECTION_LEASE.
 */
@Timeout(120)
class KilledInstanceLimitsIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final long LEASE_MS = 3_000;

    @TempDir
    Path home;

    private final Closer toClose = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        toClose.close();
    }

    @Test
    void aKilledInstancesConnectionsStopCountingWithinTheLease() throws Exception {
        String prefix = RedisExtension.uniquePrefix();
        int port = RedisServer.freePort();
        Process doomed = start(port, prefix);
        Await.until("the process to listen", Duration.ofSeconds(30), () -> healthy(port));
        for (int i = 0; i < 5; i++) {
            WsClient client = WsClient.connect("ws://127.0.0.1:" + port + "/api/v1/notifications/ws?token="
                    + TestTokens.token("kim"));
            assertEquals("connected", client.next().path("type").asText());
        }
        TestInstance survivor = TestInstance.start(Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", prefix,
                "CONNECTION_LEASE", LEASE_MS + "ms"));
        toClose.add(survivor);
        try (WsClient sixth = WsClient.connect(survivor.notificationsUrl(TestTokens.token("kim")))) {
            assertEquals("TOO_MANY_CONNECTIONS", sixth.next().path("code").asText());
        }

        doomed.destroyForcibly().waitFor();
        long killed = System.nanoTime();
        Await.until("a connection of kim to be accepted on the survivor", Duration.ofSeconds(15), () -> {
            WsClient client = WsClient.connect(survivor.notificationsUrl(TestTokens.token("kim")));
            boolean in = "connected".equals(client.next().path("type").asText());
            toClose.add(client);
            return in;
        });
        long freedMs = (System.nanoTime() - killed) / 1_000_000;
        System.out.println("kim's connections on the killed instance stopped counting after " + freedMs + " ms");
        assertTrue(freedMs <= LEASE_MS + 500, "freed after " + freedMs + " ms; the lease is " + LEASE_MS + " ms");
    }

    private boolean healthy(int port) {
        try {
            java.net.http.HttpResponse<String> response = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/health"))
                            .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private Process start(int port, String prefix) throws IOException {
        LauncherJar jar = new LauncherJar(home);
        toClose.add(jar);
        return jar.start(home.resolve("doomed.log"), Map.of("PORT", String.valueOf(port), "REDIS_URL", REDIS.url(),
                "REDIS_KEY_PREFIX", prefix, "JWT_SECRET_KEY", TestTokens.SECRET, "CONNECTION_LEASE", LEASE_MS + "ms"));
    }
}
