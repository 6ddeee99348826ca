package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.adapter.Connection;
import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.auth.AuthenticationException;
import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.internal.FakeTransport;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway with in-process parts only: an in-memory broker, fake transports and a clock the test moves. */
class GatewayTest {
    private final InMemoryPubSub pubSub = new InMemoryPubSub();
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(now.get());
        }
    };
    private final Gateway gateway = Gateway.builder()
            .pubSub(pubSub)
            .authenticator(token -> {
                if ("keys-down".equals(token)) {
                    throw new AuthenticationException("Authentication failed: signing keys unavailable", true);
                }
                if (token == null || !token.startsWith("user:")) {
                    throw new AuthenticationException("Authentication failed: invalid token");
                }
                return new Principal(token.substring(5));
            })
            .config(GatewayConfig.builder().heartbeatInterval(Duration.ofSeconds(25)).idleTimeout(Duration.ofSeconds(60))
                    .closeGrace(Duration.ofSeconds(5)).build())
            .clock(clock)
            .build();

    @AfterEach
    void close() {
        gateway.close();
        pubSub.close();
    }

    private Connection open(String user, FakeTransport transport) {
        return gateway.open(EndpointKind.NOTIFICATIONS, Handshake.withToken(user == null ? null : "user:" + user),
                transport);
    }

    @Test
    void aQuietConnectionIsPingedAfterTheIntervalAndClosedAfterTheIdleTimeout() {
        FakeTransport transport = new FakeTransport();
        open("quiet", transport);
        now.addAndGet(24_000);
        gateway.engine().sweepHeartbeat();
        assertEquals(0, transport.pings());
        now.addAndGet(1_000);
        gateway.engine().sweepHeartbeat();
        assertEquals(1, transport.pings());
        gateway.engine().sweepHeartbeat();
        assertEquals(1, transport.pings(), "one ping per interval");
        now.addAndGet(35_000);
        gateway.engine().sweepHeartbeat();
        assertEquals(4000, transport.closeCode());
    }

    @Test
    void aTokenThatCannotBeCheckedNowGetsAuthErrorThenClose1011SoThatTheClientRetries() {
        FakeTransport transport = new FakeTransport();
        gateway.open(EndpointKind.NOTIFICATIONS, Handshake.withToken("keys-down"), transport);
        assertTrue(transport.sent().get(0).contains("\"AUTH_ERROR\""), transport.sent().toString());
        assertEquals(1011, transport.closeCode());
        FakeTransport refused = new FakeTransport();
        gateway.open(EndpointKind.NOTIFICATIONS, Handshake.withToken("forged"), refused);
        assertEquals(1008, refused.closeCode());
    }

    @Test
    void anyFrameOrPongFromTheClientCountsAsLife() {
        FakeTransport transport = new FakeTransport();
        Connection connection = open("lively", transport);
        for (int i = 0; i < 10; i++) {
            now.addAndGet(50_000);
            if (i % 2 == 0) {
                connection.onPong();
            } else {
                connection.onText("{\"type\":\"ping\"}");
            }
            gateway.engine().sweepHeartbeat();
        }
        assertEquals(-1, transport.closeCode());
    }

    @Test
    void aClosingConnectionThatNeverFinishesIsCutAndReleasedAfterTheGrace() {
        FakeTransport transport = new FakeTransport().stalled();
        open(null, transport); // refused: error frame in flight, close waits behind it forever
        assertEquals(1, gateway.connectionCount());
        now.addAndGet(5_000);
        gateway.engine().sweepHeartbeat();
        assertEquals(1008, transport.closeCode());
        Connection other = gateway.open(EndpointKind.NOTIFICATIONS, Handshake.withToken(null), new FakeTransport());
        other.onClosed(1008);
        now.addAndGet(5_000);
        gateway.engine().sweepHeartbeat();
        assertEquals(0, gateway.connectionCount(), "released even though the container never reported the close");
    }

    @Test
    void aMessageForOneUserIsQueuedOnlyToThatUsersConnections() {
        FakeTransport alice = new FakeTransport();
        FakeTransport alice2 = new FakeTransport();
        FakeTransport bob = new FakeTransport();
        open("alice", alice);
        open("alice", alice2);
        open("bob", bob);
        until("all connected frames to flow", () -> alice.sent().size() == 1 && alice2.sent().size() == 1
                && bob.sent().size() == 1);
        pubSub.publish("notifications:user:alice", "{\"type\":\"notification\"}");
        pubSub.publish("notifications:user:bob", "{\"type\":\"marker\"}");
        until("bob's marker", () -> bob.sent().size() == 2);
        assertEquals("{\"type\":\"marker\"}", bob.sent().get(1));
        until("alice's tabs", () -> alice.sent().size() == 2 && alice2.sent().size() == 2);
    }

    @Test
    void theConnectedFrameIsAlwaysFirstEvenWhenMessagesArriveDuringSubscription() {
        for (int i = 0; i < 50; i++) {
            FakeTransport transport = new FakeTransport();
            pubSub.publish("notifications:broadcast", "{\"type\":\"busy\"}");
            Connection c = open("u" + i, transport);
            until("the connected frame", () -> !transport.sent().isEmpty());
            assertTrue(transport.sent().get(0).contains("\"connected\""), transport.sent().toString());
            c.onClosed(1000);
        }
    }

    @Test
    void closingTheLastConnectionReleasesItsChannels() {
        FakeTransport transport = new FakeTransport();
        Connection connection = open("leaver", transport);
        assertEquals(2, gateway.engine().routedChannelCount());
        connection.onClosed(1000);
        assertEquals(0, gateway.engine().routedChannelCount());
        assertEquals(0, gateway.connectionCount());
    }

    /** Waits for the condition, polling, for up to five seconds. */
    private static void until(String what, java.util.function.BooleanSupplier condition) {
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }
}
