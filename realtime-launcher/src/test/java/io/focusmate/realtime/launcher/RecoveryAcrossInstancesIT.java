package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.client.ClientOptions;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.NotificationsConnection;
import io.focusmate.realtime.client.RealtimeClient;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * Issue 12's acceptance on real Redis: a client (the Java client) whose instance is killed with SIGKILL reconnects to
 * another instance with its positions and gets exactly what was published meanwhile (through the HTTP API, FCALL and
 * the Java API), in offset order, then live frames; a Redis restarted without persistence is a new epoch, reported
 * as not recovered (checked on the raw frames).
 */
@Timeout(120)
class RecoveryAcrossInstancesIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final String KEY = "recovery-test-api-key-0123456789";

    @TempDir
    Path home;

    private final String prefix = RedisExtension.uniquePrefix();
    private final Closer toClose = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        toClose.close();
    }

    private TestInstance survivor() {
        TestInstance instance = TestInstance.start(Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", prefix,
                "REALTIME_API_KEY", KEY));
        toClose.add(instance);
        return instance;
    }

    private WsClient connect(String url) {
        WsClient client = WsClient.connect(url);
        toClose.add(client);
        return client;
    }

    private static String frame(String how, int n) {
        return "{\"type\":\"notification\",\"data\":{\"via\":\"" + how + "\",\"n\":" + n + "}}";
    }

    @Test
    void aClientOfAKilledInstanceRecoversEveryPublicationFromAnotherInstanceInOrderThenLiveOnes() throws Exception {
        int port = RedisServer.freePort();
        LauncherJar jar = new LauncherJar(home);
        toClose.add(jar);
        Process doomed = jar.start(home.resolve("doomed.log"), Map.of("PORT", String.valueOf(port), "REDIS_URL",
                REDIS.url(), "REDIS_KEY_PREFIX", prefix, "JWT_SECRET_KEY", TestTokens.SECRET));
        Await.until("the doomed instance to listen", Duration.ofSeconds(30),
                () -> LauncherJar.read(home.resolve("doomed.log")).contains("Listening on"));
        TestInstance survivor = survivor();
        AtomicReference<String> instance = new AtomicReference<>("ws://127.0.0.1:" + port);
        ClientEvents phone = new ClientEvents();
        RealtimeClient client = RealtimeClient.builder().baseUrl(instance::get)
                .tokens(() -> CompletableFuture.completedFuture(TestTokens.token("phone")))
                .options(ClientOptions.defaults().withBackoff(Duration.ofMillis(50), Duration.ofMillis(500))).build();
        toClose.add(client);
        NotificationsConnection onDoomed = client.notifications(phone);
        Await.until("connected to the doomed instance", () -> onDoomed.state() == ConnectionState.CONNECTED);
        survivor.gateway().notifications().publishFrame("notifications:user:phone", frame("java", 0));
        Await.until("the first publication", () -> phone.frames.size() == 1);

        doomed.destroyForcibly().waitFor();
        try (Jedis redis = new Jedis(URI.create(REDIS.url()))) {
            for (int n = 1; n <= 20; n++) {
                switch (n % 3) {
                    case 0 -> assertEquals(202, postNotification(survivor, n));
                    case 1 -> redis.fcall("realtime_publish", List.of(prefix + "notifications:user:phone"),
                            List.of(frame("fcall", n)));
                    default -> survivor.gateway().notifications().publishFrame("notifications:user:phone",
                            frame("java", n));
                }
            }
        }
        instance.set(survivor.url("")); // what a load balancer does once the dead instance is out

        Await.until("the 20 missed ones", Duration.ofSeconds(30), () -> phone.frames.size() == 21);
        survivor.gateway().notifications().publishFrame("notifications:user:phone", frame("live", 22));
        Await.until("the live one", () -> phone.frames.size() == 22);
        assertEquals(LongStream.rangeClosed(1, 22).boxed().toList(),
                phone.frames.stream().map(f -> f.position().orElseThrow().offset()).toList(), "each once, in order");
        assertTrue(phone.frames.stream().allMatch(f -> f.channel().orElseThrow().equals("notifications:user:phone")));
        assertEquals("live", phone.frames.get(21).data().path("via").asText());
        assertEquals(List.of(), phone.gaps, "recovered");
        assertEquals(2, phone.connects(), phone.states.toString());
    }

    @Test
    void aRedisRestartedWithoutPersistenceIsANewEpochAndAnOldPositionIsNotRecovered() {
        TestInstance instance = survivor();
        String old = instance.gateway().notifications().publishFrame("notifications:user:tunnel", frame("java", 1))
                .position().toString();
        REDIS.stop(); // SIGKILL, and it runs without persistence: the history is gone
        REDIS.restart();
        Await.until("the history to take publications again", Duration.ofSeconds(30), () -> {
            try {
                instance.gateway().notifications().publishFrame("notifications:user:tunnel", frame("java", 2));
                return true;
            } catch (RuntimeException e) {
                return false;
            }
        });
        WsClient client = connect(instance.url("/api/v1/notifications/ws?token=" + TestTokens.token("tunnel")
                + "&since=" + old));
        JsonNode user = client.next().path("recovery").path("user");
        assertFalse(user.path("recovered").asBoolean(), user.toString());
        assertNotEquals(old.substring(0, old.indexOf(':')), user.path("epoch").asText());
        assertEquals(1, user.path("offset").asLong(), "the new epoch starts at offset 1: " + user);
        client.send("{\"type\":\"ping\"}");
        assertEquals("pong", client.next().path("type").asText(), "nothing replayed");
    }

    private static int postNotification(TestInstance instance, int n) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + instance.launcher().port()
                        + "/api/v1/users/phone/notifications"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"system\",\"title\":\"http " + n
                        + "\",\"message\":\"m\"}")).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
