package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.client.ClientOptions;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.NotificationsConnection;
import io.focusmate.realtime.client.RealtimeClient;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, acceptance 2, with the gateway killed: the launcher's jar is killed with SIGKILL while 1,000
 * notifications are published and started again on the same port, and the Java client sees every offset once, in
 * order, with no gap.
 */
@Timeout(180)
class JavaClientKilledGatewayIT {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private static final int TOTAL = 1_000;

    @TempDir
    Path home;

    @Test
    void aGatewayKilledAndStartedAgainOnItsPortWhileAThousandArePublishedLosesAndRepeatsNothing() throws Exception {
        int port = RedisServer.freePort();
        String prefix = RedisExtension.uniquePrefix();
        Map<String, String> shared = Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", prefix,
                "NOTIFICATION_HISTORY_SIZE", "2000");
        Map<String, String> env = new HashMap<>(shared);
        env.putAll(Map.of("PORT", String.valueOf(port), "JWT_SECRET_KEY", TestTokens.SECRET));
        ClientEvents events = new ClientEvents();
        try (LauncherJar jar = new LauncherJar(home); TestInstance publisher = TestInstance.start(shared);
             RealtimeClient client = RealtimeClient.builder().baseUrl("ws://127.0.0.1:" + port)
                     .tokens(() -> CompletableFuture.completedFuture(TestTokens.token("killed")))
                     .options(ClientOptions.defaults().withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1)))
                     .build()) {
            Process first = start(jar, "first", env);
            NotificationsConnection notifications = client.notifications(events);
            Await.until("connected", Duration.ofSeconds(20), () -> notifications.state() == ConnectionState.CONNECTED);
            publish(publisher, 1, 300);
            Await.until("some of the first 300", () -> !events.frames.isEmpty());
            first.destroyForcibly().waitFor(); // SIGKILL: no close frame, the socket just dies
            publish(publisher, 301, 700);
            start(jar, "second", env);
            publish(publisher, 701, TOTAL);
            Await.until(TOTAL + " notifications", Duration.ofSeconds(60), () -> events.frames.size() >= TOTAL);
        }
        List<Long> offsets = events.frames.stream().map(f -> f.position().orElseThrow().offset()).toList();
        assertEquals(LongStream.rangeClosed(1, TOTAL).boxed().toList(), offsets, "every offset once, in order");
        assertEquals(List.of(), events.gaps);
        assertEquals(2, events.connects(), events.states.toString());
    }

    private Process start(LauncherJar jar, String name, Map<String, String> env) throws Exception {
        Path log = home.resolve(name + ".log");
        Process process = jar.start(log, env);
        Await.until(name + " to listen", Duration.ofSeconds(30), () -> LauncherJar.read(log).contains("Listening on"));
        return process;
    }

    private static void publish(TestInstance publisher, int from, int to) {
        for (int n = from; n <= to; n++) {
            publisher.gateway().notifications().publishFrame("notifications:user:killed",
                    "{\"type\":\"notification\",\"data\":{\"n\":" + n + "}}");
        }
    }
}
