package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;

import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisClusterExtension;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import redis.clients.jedis.util.JedisClusterCRC16;

/**
 * The slot of a channel with a subscriber moves to another master ({@code redis-cli --cluster reshard}) while
 * notifications flow: delivery continues on the new master, and the client's history moved with the slot.
 */
@Timeout(180)
class ClusterReshardTest {
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
    private final String prefix = RedisExtension.uniquePrefix();

    @Test
    void aChannelsSlotMovedToAnotherMasterKeepsDeliveringAndItsHistoryMovesWithIt() throws Exception {
        String user = userInSlotZero(); // redis-cli reshard moves the source's lowest slots first
        String key = prefix + "{notifications:user:" + user + "}";
        RedisServer from = CLUSTER.cluster().masterOf(key);
        RedisServer to = CLUSTER.masters().stream().filter(master -> master != from).findFirst().orElseThrow();
        Map<String, String> env = Map.of("REDIS_URL", CLUSTER.url(), "REDIS_KEY_PREFIX", prefix,
                "CANARY_INTERVAL", "200ms", "CANARY_TIMEOUT", "1s", "NOTIFICATION_HISTORY_SIZE", "100000");
        try (TestInstance one = TestInstance.start(env); TestInstance two = TestInstance.start(env)) {
            awaitHealth(one);
            awaitHealth(two);
            NotificationTrail trail = new NotificationTrail(two, user);
            List<Long> acknowledged = new ArrayList<>();
            for (int n = 1; n <= 20; n++) {
                acknowledged.add(NotificationTrail.publish(one, trail.channel(), n));
            }
            AtomicBoolean flowing = new AtomicBoolean(true);
            ConcurrentLinkedQueue<Long> duringReshard = new ConcurrentLinkedQueue<>();
            Thread publisher = new Thread(() -> {
                for (int n = 100; flowing.get(); n++) {
                    try {
                        duringReshard.add(NotificationTrail.publish(one, trail.channel(), n));
                    } catch (PubSubException e) {
                        // refused, never acknowledged
                    }
                }
            });
            publisher.start();
            CLUSTER.cluster().reshard(from, to, 1);
            assertNotSame(from, CLUSTER.cluster().masterOf(key));
            assertEquals(to, CLUSTER.cluster().masterOf(key), "the slot moved");
            String moved = "0-0,"; // slot 0 now heads the target's shard
            // the subscribed instance hears Redis drop the channel and follows within a few refreshes (250 ms each),
            // not at the next periodic read of the slots (5 s)
            Await.until("the subscribed instance to subscribe where the slot went", Duration.ofSeconds(3),
                    () -> health(two).contains(moved));
            Await.until("the other instance to learn it too", Duration.ofSeconds(10),
                    () -> health(one).contains(moved));
            awaitHealth(one);
            awaitHealth(two);
            flowing.set(false);
            publisher.join();
            acknowledged.addAll(duringReshard);
            for (int n = 1000; n < 1010; n++) {
                acknowledged.add(NotificationTrail.publish(one, trail.channel(), n));
            }
            trail.assertGotEvery(acknowledged, two);
        }
    }

    /** A user whose notification channel is in slot 0 (the hash tag makes the prefix irrelevant). */
    private static String userInSlotZero() {
        for (int i = 0; ; i++) {
            if (JedisClusterCRC16.getSlot("{notifications:user:u" + i + "}") == 0) {
                return "u" + i;
            }
        }
    }

    private static String health(TestInstance instance) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(instance.url("/health").replace("ws://", "http://"))).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (Exception e) {
            return "";
        }
    }

    private static void awaitHealth(TestInstance instance) {
        Await.until("GET /health to answer 200", Duration.ofSeconds(30),
                () -> AcrossInstancesOnAClusterTest.status(instance) == 200);
    }
}
