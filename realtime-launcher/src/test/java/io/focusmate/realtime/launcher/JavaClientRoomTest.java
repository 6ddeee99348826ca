package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.auth.JwtIssuer;
import io.focusmate.realtime.client.ClientOptions;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.RealtimeClient;
import io.focusmate.realtime.client.RoomConnection;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.MutableClock;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.TestTokens;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The Java client's rooms against two real launchers on a real Redis whose clock runs an hour ahead of the
 * clients': the room's state follows the server, and two clients show the same countdown.
 */
@Timeout(120)
class JavaClientRoomTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    /** How close two clients' countdowns must be, read one after the other: the network delay and the reads. */
    private static final long TOLERANCE_MS = 250;
    private final MutableClock gatewayClock = new MutableClock();
    private final JwtIssuer issuer = new JwtIssuer(TestTokens.SECRET, gatewayClock);
    private final Closer toClose = new Closer();
    private final String roomId = "r-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void closeAll() throws Exception {
        toClose.close();
    }

    private RoomConnection join(TestInstance gateway, String user, ClientEvents events) {
        RealtimeClient client = toClose.add(RealtimeClient.builder().baseUrl(gateway.url(""))
                .tokens(() -> CompletableFuture.completedFuture(issuer.issue(user, Duration.ofHours(1))))
                .options(ClientOptions.defaults().withBackoff(Duration.ofMillis(50), Duration.ofMillis(500)))
                .build());
        return client.room(roomId, events);
    }

    @Test
    void twoClientsOnTwoInstancesFollowTheRoomAndShowTheSameCountdownOnTheGatewaysClock() {
        gatewayClock.advance(Duration.ofHours(1)); // the clients' clocks are an hour behind the gateways'
        Map<String, String> settings = Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", RedisExtension.uniquePrefix());
        TestInstance one = toClose.add(TestInstance.start(settings, gatewayClock, UnaryOperator.identity()));
        TestInstance two = toClose.add(TestInstance.start(settings, gatewayClock, UnaryOperator.identity()));
        ClientEvents aliceEvents = new ClientEvents();
        ClientEvents bobEvents = new ClientEvents();
        RoomConnection alice = join(one, "alice", aliceEvents);
        Await.until("alice in", () -> alice.state() == ConnectionState.CONNECTED);
        RoomConnection bob = join(two, "bob", bobEvents);
        Await.until("both listed on both", () -> bob.room() != null && bob.room().participants().size() == 2
                && alice.room().participants().equals(List.of("alice", "bob")));
        assertEquals(0, alice.remainingMillis(), "an idle timer that never ran");

        assertTrue(alice.startTimer(Duration.ofSeconds(60)));
        Await.until("the timer running on both", () -> alice.room().timer().isRunning() && bob.room().timer().isRunning());
        assertSameCountdown(alice, bob);
        long remaining = alice.remainingMillis();
        assertTrue(remaining > 55_000 && remaining <= 60_000, "the gateway's clock, not the local one: " + remaining);

        assertTrue(bob.pauseTimer());
        Await.until("paused on both", () -> "paused".equals(alice.room().timer().status())
                && "paused".equals(bob.room().timer().status()));
        assertEquals(alice.remainingMillis(), bob.remainingMillis(), "a paused timer shows what was left, exactly");
        assertTrue(alice.updateSettings(Map.of("theme", "dark")));
        Await.until("the settings on bob", () -> "dark".equals(bob.room().settings().path("theme").asText()));

        assertTrue(alice.resumeTimer());
        Await.until("running again on both", () -> alice.room().timer().isRunning() && bob.room().timer().isRunning());
        alice.reconnectNow();
        Await.until("alice connected again", () -> aliceEvents.connects() == 2 && alice.state() == ConnectionState.CONNECTED);
        assertTrue(alice.room().timer().isRunning());
        assertEquals("dark", alice.room().settings().path("theme").asText());
        assertSameCountdown(alice, bob);

        bob.close();
        Await.until("bob gone for alice", () -> alice.room().participants().equals(List.of("alice")));
        assertEquals(1, alice.room().participantCount());
        assertFalse(bob.startTimer(Duration.ofSeconds(5)), "a stopped connection sends nothing");
    }

    private static void assertSameCountdown(RoomConnection a, RoomConnection b) {
        long first = a.remainingMillis();
        long second = b.remainingMillis();
        assertTrue(Math.abs(first - second) <= TOLERANCE_MS, "alice " + first + " ms, bob " + second + " ms");
    }
}
