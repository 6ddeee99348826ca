package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.adapter.Connection;
import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.internal.FakeTransport;
import io.focusmate.realtime.limits.ConnectionLease;
import io.focusmate.realtime.limits.InMemoryUserLimits;
import io.focusmate.realtime.limits.UserLimits;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The connection limit with limits that are not in process (as Redis's): the check runs off the opening thread, and
 * the client's frames wait for it. The limits here are in-memory ones that answer only when the test says so.
 */
@Timeout(30)
class SharedConnectionLimitTest {
    private final InMemoryPubSub pubSub = new InMemoryPubSub();
    private final GatedLimits limits = new GatedLimits();
    private final Gateway gateway = Gateway.builder()
            .pubSub(pubSub)
            .authenticator(token -> new Principal(token))
            .userLimits(limits)
            .build();

    /** In-memory limits whose connection checks wait for {@link #answer()}, like a slow broker. */
    private static final class GatedLimits implements UserLimits {
        final InMemoryUserLimits inner = new InMemoryUserLimits();
        final CountDownLatch gate = new CountDownLatch(1);
        /** Appended by the checking thread: the number of leases in each acquireConnections call, as it starts. */
        final List<Integer> calls = new CopyOnWriteArrayList<>();
        /** Appended by the checking thread: the number of leases in each releaseConnections call, as it starts. */
        final List<Integer> releases = new CopyOnWriteArrayList<>();
        /** Set by a test before any release: releases wait for it. */
        volatile CountDownLatch releaseGate;

        void answer() {
            gate.countDown();
        }

        @Override
        public boolean acquireConnection(ConnectionLease lease, int max, long now, long leaseMs) {
            try {
                assertTrue(gate.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.acquireConnection(lease, max, now, leaseMs);
        }

        @Override
        public List<ConnectionLease> acquireConnections(List<ConnectionLease> leases, int max, long now,
                                                        long leaseMs) {
            calls.add(leases.size());
            try {
                assertTrue(gate.await(10, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return inner.acquireConnections(leases, max, now, leaseMs);
        }

        /** Set by a test: runs once, on the renewing thread, before the next renewal reaches the inner limits. */
        final AtomicReference<Consumer<Collection<ConnectionLease>>> beforeRenewal = new AtomicReference<>();

        @Override
        public List<ConnectionLease> renewConnections(Collection<ConnectionLease> leases, long now, long leaseMs) {
            Consumer<Collection<ConnectionLease>> before = beforeRenewal.getAndSet(null);
            if (before != null) {
                before.accept(leases);
            }
            return inner.renewConnections(leases, now, leaseMs);
        }

        @Override
        public void releaseConnection(ConnectionLease lease) {
            inner.releaseConnection(lease);
        }

        @Override
        public void releaseConnections(Collection<ConnectionLease> leases) {
            releases.add(leases.size());
            CountDownLatch wait = releaseGate;
            if (wait != null) {
                try {
                    assertTrue(wait.await(10, TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            inner.releaseConnections(leases);
        }

        @Override
        public int connectionCount(String scope, String userId, long now) {
            return inner.connectionCount(scope, userId, now);
        }

        @Override
        public boolean tryAcquire(String bucket, String userId, double perSecond, int burst, long now) {
            return inner.tryAcquire(bucket, userId, perSecond, burst, now);
        }
    }

    @AfterEach
    void close() {
        limits.answer();
        gateway.close();
        pubSub.close();
    }

    private Connection open(String user, FakeTransport transport) {
        return gateway.open(EndpointKind.NOTIFICATIONS, Handshake.withToken(user), transport);
    }

    private int leases(String user) {
        return limits.inner.connectionCount("notifications", user, System.currentTimeMillis());
    }

    @Test
    void framesSentBeforeTheSharedCheckAnswersAreHandledAfterTheGreetingInOrder() {
        FakeTransport transport = new FakeTransport();
        Connection connection = open("alice", transport);
        connection.onText("{\"type\":\"ping\"}");
        connection.onText("{\"type\":\"nonsense\"}");
        connection.onText("{\"type\":\"ping\"}");
        assertEquals(List.of(), transport.sent(), "nothing before the answer");
        assertEquals(0, gateway.engine().routedChannelCount(), "the endpoint has not opened yet");
        limits.answer();
        until("the greeting and the three answers", () -> transport.sent().size() == 4);
        List<String> sent = transport.sent();
        assertTrue(sent.get(0).contains("\"connected\""), sent.toString());
        assertTrue(sent.get(1).contains("\"pong\""), sent.toString());
        assertTrue(sent.get(2).contains("UNKNOWN_TYPE"), sent.toString());
        assertTrue(sent.get(3).contains("\"pong\""), sent.toString());
        assertEquals(1, leases("alice"));
        connection.onText("{\"type\":\"ping\"}");
        until("a frame after admission", () -> transport.sent().size() == 5);
    }

    @Test
    void aTokenExpiringWarningDueBeforeTheSharedCheckAnswersComesAfterTheGreeting() {
        Gateway shortLived = Gateway.builder()
                .pubSub(pubSub)
                .authenticator(token -> new Principal(token, java.time.Instant.now().plusSeconds(20)))
                .userLimits(limits)
                .build();
        try {
            FakeTransport transport = new FakeTransport();
            shortLived.open(EndpointKind.NOTIFICATIONS, Handshake.withToken("alice"), transport);
            shortLived.engine().sweepHeartbeat(); // inside the 60 s refresh window: the warning is due now
            limits.answer();
            until("the greeting and the warning", () -> transport.sent().size() == 2);
            List<String> sent = transport.sent();
            assertTrue(sent.get(0).contains("\"connected\""), sent.toString());
            assertTrue(sent.get(1).contains("\"token_expiring\""), sent.toString());
        } finally {
            shortLived.close();
        }
    }

    @Test
    void aConnectionTheSharedCountRefusesGetsTheRefusalAndNoneOfItsEarlyFramesIsHandled() {
        for (int i = 0; i < 5; i++) {
            limits.inner.acquireConnection(new ConnectionLease("notifications", "alice", "elsewhere|" + i), 5,
                    System.currentTimeMillis(), 60_000);
        }
        FakeTransport transport = new FakeTransport();
        Connection connection = open("alice", transport);
        connection.onText("{\"type\":\"ping\"}");
        limits.answer();
        until("the close", () -> transport.closeCode() != -1);
        assertEquals(1008, transport.closeCode());
        assertEquals(List.of("{\"type\":\"error\",\"code\":\"TOO_MANY_CONNECTIONS\","
                + "\"message\":\"Too many connections: the limit is 5 per user\"}"), transport.sent());
        assertEquals(0, gateway.connectionCount("alice"), "it left this instance's count");
        assertEquals(5, leases("alice"));
    }

    @Test
    void aConnectionClosedWhileItsCheckIsPendingLeavesNoLease() {
        FakeTransport transport = new FakeTransport();
        Connection connection = open("alice", transport);
        connection.onText("{\"type\":\"ping\"}");
        connection.onClosed(1000);
        limits.answer();
        FakeTransport next = new FakeTransport();
        open("alice", next);
        until("the next connection's greeting", () -> next.sent().size() == 1);
        until("only the open connection to hold a lease", () -> leases("alice") == 1);
        assertEquals(List.of(), transport.sent());
    }

    @Test
    void aClosedConnectionReleasesItsLease() {
        limits.answer();
        FakeTransport transport = new FakeTransport();
        Connection connection = open("alice", transport);
        until("the greeting", () -> transport.sent().size() == 1);
        assertEquals(1, leases("alice"));
        connection.onClosed(1000);
        until("the release", () -> leases("alice") == 0);
    }

    @Test
    void connectionsThatArriveWhileACheckWaitsOnTheBrokerAreCheckedTogetherInOneCall() {
        List<FakeTransport> transports = openWhileTheFirstCheckWaits(5);
        limits.answer();
        until("five greetings", () -> transports.stream().allMatch(t -> t.sent().size() == 1));
        assertEquals(List.of(1, 4), limits.calls, "one call for the first, one for the four that waited");
        assertEquals(5, leases("alice"));
    }

    @Test
    void inOneCallOnlyTheConnectionsOverTheSharedLimitAreRefused() {
        for (int i = 0; i < 3; i++) {
            limits.inner.acquireConnection(new ConnectionLease("notifications", "alice", "elsewhere|" + i), 5,
                    System.currentTimeMillis(), 60_000);
        }
        List<FakeTransport> transports = openWhileTheFirstCheckWaits(4);
        limits.answer();
        until("two greetings and two refusals", () -> transports.stream().allMatch(t -> t.sent().size() == 1));
        assertEquals(List.of(1, 3), limits.calls);
        for (int i = 0; i < 4; i++) {
            String first = transports.get(i).sent().get(0);
            assertTrue(i < 2 ? first.contains("\"connected\"") : first.contains("TOO_MANY_CONNECTIONS"),
                    "connection " + i + ": " + first);
        }
        until("the refused ones to close", () -> transports.get(3).closeCode() == 1008);
        assertEquals(2, gateway.connectionCount("alice"), "the refused left this instance's count");
        assertEquals(5, leases("alice"));
    }

    @Test
    void connectionsThatCloseWhileAReleaseWaitsOnTheBrokerAreReleasedTogetherInOneCall() {
        limits.releaseGate = new CountDownLatch(1);
        limits.answer();
        List<Connection> connections = new ArrayList<>();
        List<FakeTransport> transports = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            transports.add(new FakeTransport());
            connections.add(open("alice", transports.get(i)));
        }
        until("five greetings", () -> transports.stream().allMatch(t -> t.sent().size() == 1));
        connections.get(0).onClosed(1000);
        until("the first release to be under way", () -> limits.releases.size() == 1);
        for (int i = 1; i < 5; i++) {
            connections.get(i).onClosed(1000);
        }
        limits.releaseGate.countDown();
        until("every lease released", () -> leases("alice") == 0);
        assertEquals(List.of(1, 4), limits.releases, "one call for the first, one for the four that waited");
    }

    @Test
    void aRenewalThatMeetsClosingConnectionsTakesAgainAndReportsOnlyTheLeasesOfOpenOnes() {
        GatedLimits racing = new GatedLimits();
        racing.answer();
        Gateway shortLeases = Gateway.builder()
                .pubSub(pubSub)
                .authenticator(token -> new Principal(token))
                .userLimits(racing)
                .config(GatewayConfig.builder().connectionLease(Duration.ofMillis(300)).build())
                .build();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(log, true, StandardCharsets.UTF_8));
        try {
            List<Connection> connections = new ArrayList<>();
            for (String user : List.of("bob", "carol", "dave")) {
                FakeTransport transport = new FakeTransport();
                connections.add(shortLeases.open(EndpointKind.NOTIFICATIONS, Handshake.withToken(user), transport));
                until(user + "'s greeting", () -> transport.sent().size() == 1);
            }
            // A mass disconnect meeting a renewal: carol's and dave's connections close and their releases reach the
            // broker after the renewal took its list but before it ran. bob's lease is really lost (his stays open).
            racing.beforeRenewal.set(leases -> {
                connections.get(1).onClosed(1000);
                connections.get(2).onClosed(1000);
                racing.inner.releaseConnections(leases);
            });
            until("the lost lease of the open connection to be taken again", () -> racing.beforeRenewal.get() == null
                    && racing.inner.connectionCount("notifications", "bob", System.currentTimeMillis()) == 1);
            until("the log line", () -> log.toString(StandardCharsets.UTF_8).contains("lost connection leases"));
            String logged = log.toString(StandardCharsets.UTF_8);
            assertTrue(logged.contains("Taking 1 lost connection leases again"), logged);
            assertEquals(0, racing.inner.connectionCount("notifications", "carol", System.currentTimeMillis()));
            assertEquals(0, racing.inner.connectionCount("notifications", "dave", System.currentTimeMillis()));
        } finally {
            System.setErr(stderr);
            shortLeases.close();
        }
    }

    /** Opens n connections of alice, the later ones once the first one's check waits on the broker. */
    private List<FakeTransport> openWhileTheFirstCheckWaits(int n) {
        List<FakeTransport> transports = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            transports.add(new FakeTransport());
            open("alice", transports.get(i));
            if (i == 0) {
                until("the first check to be under way", () -> limits.calls.size() == 1);
            }
        }
        return transports;
    }

    private static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.onSpinWait();
        }
    }
}
