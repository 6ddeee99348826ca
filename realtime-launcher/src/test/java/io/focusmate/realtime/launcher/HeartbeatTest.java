package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.WsClient;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Server-side liveness: pings keep a responsive client alive; a silent one is closed with 4000 and released. */
@Timeout(60)
class HeartbeatTest {

    @Test
    void aClientThatAnswersServerPingsStaysConnectedPastTheIdleTimeout() {
        try (TestInstance gateway = TestInstance.start(Map.of("HEARTBEAT_INTERVAL", "100ms", "IDLE_TIMEOUT", "400ms"))) {
            WsClient client = gateway.connect("responsive");
            // Eight pings are 800 ms of silence on the client's side, twice the idle timeout: only its pongs count.
            Await.until("eight server pings", Duration.ofSeconds(10), () -> client.pingsReceived() >= 8);
            assertFalse(client.isClosed());
            client.send("{\"type\":\"ping\"}");
            assertEquals("pong", client.next().path("type").asText());
        }
    }

    @Test
    void aSilentClientIsClosedWith4000AndItsSubscriptionsAreReleased() {
        try (TestInstance gateway = TestInstance.start(Map.of("HEARTBEAT_INTERVAL", "0", "IDLE_TIMEOUT", "300ms"))) {
            WsClient client = gateway.connect("silent");
            WsClient.Close close = client.awaitClose(Duration.ofSeconds(10));
            assertEquals(4000, close.code());
            assertEquals("Idle timeout", close.reason());
            Await.until("the connection to be released", () -> gateway.gateway().connectionCount() == 0);
            assertEquals(1, gateway.count("realtime.idle.timeouts"));
        }
    }

    @Test
    void aClientSendingJsonPingsIsKeptAliveWithoutServerPings() {
        try (TestInstance gateway = TestInstance.start(Map.of("HEARTBEAT_INTERVAL", "0", "IDLE_TIMEOUT", "500ms"))) {
            WsClient client = gateway.connect("pinger");
            long end = System.nanoTime() + Duration.ofMillis(1_500).toNanos();
            while (System.nanoTime() < end) {
                client.send("{\"type\":\"ping\"}");
                assertEquals("pong", client.next().path("type").asText());
                Await.until("100 ms to pass", Duration.ofSeconds(1), timePassed(100));
            }
            assertFalse(client.isClosed());
        }
    }

    private static java.util.function.BooleanSupplier timePassed(long millis) {
        long until = System.nanoTime() + Duration.ofMillis(millis).toNanos();
        return () -> System.nanoTime() >= until;
    }
}
