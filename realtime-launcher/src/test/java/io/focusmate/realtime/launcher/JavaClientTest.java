package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.auth.JwtIssuer;
import io.focusmate.realtime.client.ClientOptions;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.Frame;
import io.focusmate.realtime.client.NotificationsConnection;
import io.focusmate.realtime.client.Position;
import io.focusmate.realtime.client.RealtimeClient;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.TcpProxy;
import io.focusmate.realtime.testkit.TestTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Java client (realtime-client) against a real launcher: connect, receive, stop on refusal, refresh, liveness. */
@Timeout(60)
class JavaClientTest {
    private static final JwtIssuer ISSUER = new JwtIssuer(TestTokens.SECRET, Clock.systemUTC());
    private static final ClientOptions FAST = ClientOptions.defaults()
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(500));
    private final Closer toClose = new Closer();

    @AfterEach
    void closeAll() throws Exception {
        toClose.close();
    }

    private RealtimeClient client(String baseUrl, Supplier<String> tokens, ClientOptions options) {
        return toClose.add(RealtimeClient.builder().baseUrl(baseUrl)
                .tokens(() -> CompletableFuture.supplyAsync(tokens)).options(options).build());
    }

    private static String base(TestInstance gateway) {
        return gateway.url("");
    }

    @Test
    void theClientConnectsAndReceivesNotificationsOfItsUserAndBroadcastsWithTheirPositions() {
        TestInstance gateway = toClose.add(TestInstance.inMemory());
        ClientEvents events = new ClientEvents();
        NotificationsConnection notifications = client(base(gateway), () -> TestTokens.token("ada"), FAST)
                .notifications(events);
        Await.until("connected", () -> notifications.state() == ConnectionState.CONNECTED);
        gateway.gateway().notifications().publishFrame("notifications:user:ada",
                "{\"type\":\"notification\",\"data\":{\"title\":\"hi\"}}");
        gateway.gateway().notifications().publishFrame("notifications:broadcast",
                "{\"type\":\"announcement\",\"data\":{\"title\":\"all\"}}");
        Await.until("two frames", () -> events.frames.size() == 2);

        Frame first = events.frames.get(0);
        assertEquals("notification", first.type());
        assertEquals("hi", first.data().path("title").asText());
        assertEquals("notifications:user:ada", first.channel().orElseThrow());
        assertEquals(1, first.position().orElseThrow().offset());
        assertEquals("announcement", events.frames.get(1).type());
        assertEquals(new Position(first.position().orElseThrow().epoch(), 1), notifications.positions().user());
        assertEquals(1, notifications.positions().broadcast().offset());
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED), events.states);
        assertEquals(1, Set.copyOf(events.threads).size(), "one event thread: " + events.threads);

        notifications.close();
        Await.until("stopped", () -> events.last() == ConnectionState.STOPPED);
        assertEquals(1000, events.stops.get(0).closeCode());
    }

    @Test
    void aRefusedTokenStopsRetryingAndSurfacesAuthError() {
        TestInstance gateway = toClose.add(TestInstance.inMemory());
        AtomicInteger tokensAsked = new AtomicInteger();
        ClientEvents events = new ClientEvents();
        NotificationsConnection notifications = client(base(gateway), () -> {
            tokensAsked.incrementAndGet();
            return "not-a-token";
        }, FAST).notifications(events);
        Await.until("stopped", () -> notifications.state() == ConnectionState.STOPPED);

        assertEquals(1, events.stops.size());
        assertEquals(1008, events.stops.get(0).closeCode());
        assertEquals("Authentication failed", events.stops.get(0).reason());
        assertEquals("AUTH_ERROR", events.stops.get(0).lastError().code());
        assertEquals("AUTH_ERROR", events.errors.get(0).code());
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.STOPPED), events.states);
        assertEquals(1, tokensAsked.get(), "no retry after 1008");
    }

    @Test
    void anExpiringTokenIsRefreshedInBandWithoutAReconnect() {
        TestInstance gateway = toClose.add(TestInstance.start(Map.of("JWT_CLOCK_SKEW", "0s", "TOKEN_REFRESH_WINDOW", "2s")));
        AtomicInteger tokensAsked = new AtomicInteger();
        long start = System.currentTimeMillis();
        ClientEvents events = new ClientEvents();
        NotificationsConnection notifications = client(base(gateway), () -> ISSUER.issue("refreshing",
                tokensAsked.getAndIncrement() == 0 ? Duration.ofSeconds(3) : Duration.ofSeconds(60)), FAST)
                .notifications(events);
        Await.until("the refresh token to be asked for", () -> tokensAsked.get() == 2);
        Await.until("the first token's expiry to pass", () -> System.currentTimeMillis() > start + 5_000);
        gateway.gateway().notifications().publishFrame("notifications:user:refreshing",
                "{\"type\":\"notification\",\"data\":{\"title\":\"still here\"}}");
        Await.until("the notification", () -> events.frames.size() == 1);

        assertEquals(ConnectionState.CONNECTED, notifications.state());
        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED), events.states, "no reconnect");
        assertEquals(List.of(), events.errors, "the refresh was accepted");
        assertEquals(2, tokensAsked.get());
    }

    @Test
    void aSocketThatGoesDeafIsClosedAfterThePongTimeoutAndTheClientResumesWithoutLoss() throws Exception {
        TestInstance gateway = toClose.add(TestInstance.inMemory());
        TcpProxy proxy = toClose.add(new TcpProxy(gateway.launcher().port()));
        ClientEvents events = new ClientEvents();
        NotificationsConnection notifications = client("ws://127.0.0.1:" + proxy.port(), () -> TestTokens.token("deaf"),
                FAST.withHeartbeat(Duration.ofMillis(300), Duration.ofMillis(500))).notifications(events);
        Await.until("connected", () -> notifications.state() == ConnectionState.CONNECTED);
        proxy.deafenExisting();
        for (int n = 1; n <= 3; n++) {
            gateway.gateway().notifications().publishFrame("notifications:user:deaf",
                    "{\"type\":\"notification\",\"data\":{\"n\":" + n + "}}");
        }
        Await.until("a second connect", () -> events.connects() == 2);
        Await.until("the three notifications", () -> events.frames.size() == 3);

        assertTrue(events.states.contains(ConnectionState.RECONNECTING), events.states.toString());
        assertEquals(List.of(1L, 2L, 3L), events.frames.stream()
                .map(f -> f.position().orElseThrow().offset()).toList());
        assertEquals(List.of(), events.gaps);
    }

    @Test
    void theTokenCanTravelInTheAuthorizationHeaderInsteadOfTheUrl() {
        TestInstance gateway = toClose.add(TestInstance.inMemory());
        ClientEvents events = new ClientEvents();
        NotificationsConnection notifications = client(base(gateway), () -> TestTokens.token("header"),
                FAST.withTokenInHeader(true)).notifications(events);
        Await.until("connected", () -> notifications.state() == ConnectionState.CONNECTED);
        gateway.gateway().notifications().publishFrame("notifications:user:header",
                "{\"type\":\"notification\",\"data\":{\"title\":\"hi\"}}");
        Await.until("the notification", () -> events.frames.size() == 1);
        assertEquals(List.of(), events.errors);
    }

    @Test
    void reconnectNowReplacesAConnectedSocketAndTheClientResumesWithoutLossOrRepeat() {
        TestInstance gateway = toClose.add(TestInstance.inMemory());
        ClientEvents events = new ClientEvents();
        RealtimeClient client = client(base(gateway), () -> TestTokens.token("now"), FAST);
        NotificationsConnection notifications = client.notifications(events);
        Await.until("connected", () -> notifications.state() == ConnectionState.CONNECTED);
        publish(gateway, "now", 1);
        Await.until("the first", () -> events.frames.size() == 1);
        client.reconnectNow();
        Await.until("connected again", () -> events.connects() == 2);
        publish(gateway, "now", 2);
        Await.until("the second", () -> events.frames.size() == 2);

        assertEquals(List.of(ConnectionState.CONNECTING, ConnectionState.CONNECTED, ConnectionState.RECONNECTING,
                ConnectionState.CONNECTED), events.states);
        assertEquals(List.of(1L, 2L), events.frames.stream().map(f -> f.position().orElseThrow().offset()).toList());
        assertEquals(List.of(), events.gaps);
    }

    private static void publish(TestInstance gateway, String user, int n) {
        gateway.gateway().notifications().publishFrame("notifications:user:" + user,
                "{\"type\":\"notification\",\"data\":{\"n\":" + n + "}}");
    }
}
