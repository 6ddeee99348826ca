package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.internal.protocol.Json;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisClusterExtension;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A Redis Cluster master dies (SIGKILL) under two instances while notifications and room events flow: its replica
 * takes over, the instances move their subscriptions and publishers there by themselves, and a client that resumes
 * from its position gets every publication Redis acknowledged.
 */
@Timeout(180)
class ClusterFailoverTest {
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
    private static final String API_KEY = "failover-test-api-key-0123456789";
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private final String prefix = RedisExtension.uniquePrefix();
    private final String room = "busy";

    @Test
    void whenTheMasterOfABusyRoomsSlotDiesItsReplicaTakesOverAndAResumingClientLosesNothingAcknowledged()
            throws Exception {
        RedisServer master = CLUSTER.cluster().masterOf(prefix + "{room:" + room + ":updates}");
        String user = userOn(master);
        String channel = "notifications:user:" + user;
        Map<String, String> env = Map.of("REDIS_URL", CLUSTER.url(), "REDIS_KEY_PREFIX", prefix,
                "CANARY_INTERVAL", "200ms", "CANARY_TIMEOUT", "1s", "NOTIFICATION_HISTORY_SIZE", "10000",
                "REALTIME_API_KEY", API_KEY);
        try (TestInstance one = TestInstance.start(env); TestInstance two = TestInstance.start(env)) {
            awaitHealth(one, 200);
            awaitHealth(two, 200);
            NotificationTrail trail = new NotificationTrail(two, user);
            TestInstance.Joined carol = one.joinRoom("carol", room);
            TestInstance.Joined dave = two.joinRoom("dave", room);
            carol.client().nextOfType("participant_joined");

            List<Long> acknowledged = new ArrayList<>();
            for (int n = 1; n <= 20; n++) {
                acknowledged.add(NotificationTrail.publish(one, channel, n));
            }
            awaitReplicated(master);
            long killed = System.nanoTime();
            master.stop(); // SIGKILL
            AtomicBoolean flowing = new AtomicBoolean(true);
            AtomicInteger refused = new AtomicInteger();
            ConcurrentLinkedQueue<Long> duringFailover = new ConcurrentLinkedQueue<>();
            ConcurrentLinkedQueue<String> unexpected = new ConcurrentLinkedQueue<>();
            Thread publisher = new Thread(() -> { // the HTTP publish API, as a backend in another language uses it
                for (int n = 100; flowing.get(); n++) {
                    HttpResponse<String> answer = httpPublish(one, channel, n);
                    if (answer.statusCode() == 202) {
                        duringFailover.add(offset(answer.body()));
                    } else if (answer.statusCode() == 503 && answer.body().contains("broker_unavailable")) {
                        refused.incrementAndGet(); // not acknowledged: the trail does not expect it
                    } else {
                        unexpected.add(answer.statusCode() + " " + answer.body());
                    }
                }
            });
            publisher.start();
            awaitHealth(one, 503);
            awaitHealth(one, 200);
            awaitHealth(two, 200);
            long back = System.nanoTime();
            flowing.set(false);
            publisher.join();
            assertEquals(List.of(), List.copyOf(unexpected), "every publish is acknowledged (202) or refused (503)");
            acknowledged.addAll(duringFailover);
            for (int n = 1000; n < 1010; n++) {
                acknowledged.add(NotificationTrail.publish(one, channel, n));
            }

            carol.client().send("{\"type\":\"timer_start\",\"data\":{\"duration_s\":60}}");
            assertEquals("running", dave.client().nextOfType("timer_updated").path("data").path("status").asText(),
                    "room events cross the instances after the failover");

            trail.assertGotEvery(acknowledged, two);
            System.out.printf("failover: both instances healthy again %d ms after the SIGKILL; %d publications "
                    + "acknowledged during it, %d refused%n", (back - killed) / 1_000_000, duringFailover.size(),
                    refused.get());
        }
    }

    private static HttpResponse<String> httpPublish(TestInstance instance, String channel, int n) {
        String body = "{\"channel\":\"" + channel + "\",\"data\":{\"type\":\"notification\",\"data\":{\"n\":" + n
                + "}}}";
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(instance.url("/api/v1/publish").replace("ws://",
                    "http://"))).header("Authorization", "Bearer " + API_KEY).header("Content-Type",
                    "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long offset(String body) {
        try {
            return Json.MAPPER.readTree(body).path("offset").asLong();
        } catch (Exception e) {
            throw new IllegalStateException(body, e);
        }
    }

    /** A user whose notification channel's slot is on this master, like the room's. */
    private String userOn(RedisServer master) {
        for (int i = 0; ; i++) {
            if (CLUSTER.cluster().masterOf(prefix + "{notifications:user:u" + i + "}") == master) {
                return "u" + i;
            }
        }
    }

    /** Waits until the master's replica has everything the master acknowledged (replication is asynchronous). */
    private static void awaitReplicated(RedisServer master) {
        Await.until("the replica to catch up", Duration.ofSeconds(10), () -> {
            String info = master.command("INFO", "replication");
            String offset = info.replaceAll("(?s).*master_repl_offset:(\\d+).*", "$1");
            return info.matches("(?s).*slave0:[^\\n]*offset=" + offset + ",.*");
        });
    }

    private static void awaitHealth(TestInstance instance, int status) {
        Await.until("GET /health to answer " + status, Duration.ofSeconds(30),
                () -> AcrossInstancesOnAClusterTest.status(instance) == status);
    }
}
