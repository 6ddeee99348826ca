package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.client.ClientOptions;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.NotificationsConnection;
import io.focusmate.realtime.client.RealtimeClient;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client survives its gateway instance: closed while notifications are published, replaced by a new
 * instance on the same Redis (another port), and the client sees every offset exactly once, in order.
 */
@Timeout(120)
class JavaClientAcrossRestartTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final int TOTAL = 1_000;

    @Test
    void aClientMovedToANewInstanceWhileAThousandNotificationsArePublishedSeesEveryOffsetExactlyOnce() {
        Map<String, String> settings = Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", RedisExtension.uniquePrefix(),
                "NOTIFICATION_HISTORY_SIZE", "2000");
        ClientEvents events = new ClientEvents();
        try (TestInstance publisher = TestInstance.start(settings)) {
            TestInstance first = TestInstance.start(settings);
            AtomicReference<String> current = new AtomicReference<>(first.url(""));
            try (RealtimeClient client = RealtimeClient.builder().baseUrl(current::get)
                    .tokens(() -> CompletableFuture.completedFuture(TestTokens.token("mover")))
                    .options(ClientOptions.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
                    .build()) {
                NotificationsConnection notifications = client.notifications(events);
                Await.until("connected", () -> notifications.state() == ConnectionState.CONNECTED);
                publish(publisher, 1, 300);
                first.close();
                publish(publisher, 301, 600);
                try (TestInstance second = TestInstance.start(settings)) {
                    current.set(second.url(""));
                    publish(publisher, 601, TOTAL);
                    Await.until(TOTAL + " notifications", Duration.ofSeconds(60), () -> events.frames.size() >= TOTAL);
                    Await.until("connected again", () -> notifications.state() == ConnectionState.CONNECTED);
                    publish(publisher, TOTAL + 1, TOTAL + 1);
                    Await.until("one more", () -> events.frames.size() >= TOTAL + 1);
                }
            }
        }
        List<Long> offsets = events.frames.stream().map(f -> f.position().orElseThrow().offset()).toList();
        assertEquals(LongStream.rangeClosed(1, TOTAL + 1).boxed().toList(), offsets, "every offset once, in order");
        assertEquals(List.of(), events.gaps);
        assertEquals(2, events.connects(), events.states.toString());
    }

    private static void publish(TestInstance publisher, int from, int to) {
        for (int n = from; n <= to; n++) {
            publisher.gateway().notifications().publishFrame("notifications:user:mover",
                    "{\"type\":\"notification\",\"data\":{\"n\":" + n + "}}");
        }
    }
}
