package io.focusmate.realtime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.limits.ConnectionLease;
import io.focusmate.realtime.limits.UserLimits;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compatibility kit of the {@link UserLimits} SPI: every implementation subclasses this and passes it unchanged.
 * Time is explicit: every call passes its own {@code now}, so nothing here waits for a clock.
 */
@Timeout(60)
public abstract class UserLimitsContractTest {
    private static final long T0 = 1_700_000_000_000L;
    private static final long LEASE = 15_000;
    private static final String SCOPE = "notifications";

    /** Owned by the test thread. */
    protected UserLimits limits;

    /** For subclasses: one per implementation under test. */
    protected UserLimitsContractTest() {
    }

    /** New, empty limits; each test gets its own (or a fresh key space in a shared backend). */
    protected abstract UserLimits createLimits();

    @BeforeEach
    void setUp() {
        limits = createLimits();
    }

    private static ConnectionLease lease(String user, String id) {
        return new ConnectionLease(SCOPE, user, id);
    }

    private boolean acquire(String user, String id, long now) {
        return limits.acquireConnection(lease(user, id), 5, now, LEASE);
    }

    // --- connections ---

    @Test
    void theSixthConnectionOfAUserIsRefusedAndTheFirstFiveKeepTheirPlaces() {
        for (int i = 1; i <= 5; i++) {
            assertTrue(acquire("alice", "a|" + i, T0), "connection " + i);
        }
        assertFalse(acquire("alice", "b|6", T0 + 1));
        assertEquals(5, limits.connectionCount(SCOPE, "alice", T0 + 1));
    }

    @Test
    void eachUserAndEachScopeCountOnTheirOwn() {
        for (int i = 1; i <= 5; i++) {
            assertTrue(acquire("alice", "a|" + i, T0));
        }
        assertTrue(acquire("bob", "a|6", T0), "another user");
        assertTrue(limits.acquireConnection(new ConnectionLease("chat", "alice", "a|7"), 5, T0, LEASE),
                "another scope");
        assertEquals(1, limits.connectionCount("chat", "alice", T0));
        assertEquals(1, limits.connectionCount(SCOPE, "bob", T0));
    }

    @Test
    void aConnectionThatAlreadyHoldsALeaseIsExtendedAndNeverRefused() {
        for (int i = 1; i <= 5; i++) {
            assertTrue(acquire("alice", "a|" + i, T0));
        }
        assertTrue(acquire("alice", "a|3", T0 + 10_000));
        assertEquals(5, limits.connectionCount(SCOPE, "alice", T0 + 10_000));
        assertEquals(1, limits.connectionCount(SCOPE, "alice", T0 + LEASE), "a|3 was extended, the others not");
    }

    @Test
    void connectionsTakenInOneCallCountInOrderAndOnlyTheOnesOverTheMaxAreRefused() {
        for (int i = 1; i <= 3; i++) {
            assertTrue(acquire("alice", "a|" + i, T0));
        }
        List<ConnectionLease> refused = limits.acquireConnections(List.of(lease("alice", "a|4"), lease("bob", "b|1"),
                lease("alice", "a|5"), lease("alice", "a|6"), lease("alice", "a|2"), lease("alice", "a|7")), 5,
                T0 + 10_000, LEASE);
        assertEquals(Set.of(lease("alice", "a|6"), lease("alice", "a|7")), Set.copyOf(refused),
                "the sixth and seventh of alice; a|2 already held a place and was extended");
        assertEquals(5, limits.connectionCount(SCOPE, "alice", T0 + 10_000));
        assertEquals(1, limits.connectionCount(SCOPE, "bob", T0 + 10_000));
        assertEquals(3, limits.connectionCount(SCOPE, "alice", T0 + LEASE), "a|2, a|4 and a|5 run from the call");
        assertEquals(List.of(), limits.acquireConnections(List.of(), 5, T0, LEASE));
    }

    @Test
    void releasingAConnectionFreesItsPlaceAndReleasingAgainDoesNothing() {
        for (int i = 1; i <= 5; i++) {
            assertTrue(acquire("alice", "a|" + i, T0));
        }
        limits.releaseConnection(lease("alice", "a|2"));
        limits.releaseConnection(lease("alice", "a|2"));
        limits.releaseConnection(lease("alice", "never-held"));
        assertEquals(4, limits.connectionCount(SCOPE, "alice", T0));
        assertTrue(acquire("alice", "b|1", T0));
        assertFalse(acquire("alice", "b|2", T0));
    }

    @Test
    void leasesReleasedInOneCallFreeTheirPlacesAndUnknownOnesAreIgnored() {
        for (int i = 1; i <= 5; i++) {
            assertTrue(acquire("alice", "a|" + i, T0));
        }
        assertTrue(acquire("bob", "b|1", T0));
        limits.releaseConnections(List.of(lease("alice", "a|1"), lease("bob", "b|1"), lease("alice", "a|4"),
                lease("alice", "a|4"), lease("carol", "never-held")));
        assertEquals(3, limits.connectionCount(SCOPE, "alice", T0));
        assertEquals(0, limits.connectionCount(SCOPE, "bob", T0));
        limits.releaseConnections(List.of());
        assertTrue(acquire("alice", "c|1", T0));
        assertTrue(acquire("alice", "c|2", T0));
        assertFalse(acquire("alice", "c|3", T0));
    }

    @Test
    void anUnrenewedLeaseStopsCountingAtItsExpiryAndFreesItsPlace() {
        for (int i = 1; i <= 5; i++) {
            assertTrue(acquire("alice", "dead|" + i, T0));
        }
        assertEquals(5, limits.connectionCount(SCOPE, "alice", T0 + LEASE - 1));
        assertFalse(acquire("alice", "b|1", T0 + LEASE - 1));
        assertEquals(0, limits.connectionCount(SCOPE, "alice", T0 + LEASE), "expired at now + lease");
        for (int i = 1; i <= 5; i++) {
            assertTrue(acquire("alice", "b|" + i, T0 + LEASE), "place " + i + " is free again");
        }
    }

    @Test
    void aRenewedLeaseOutlivesItsFirstExpiry() {
        assertTrue(acquire("alice", "a|1", T0));
        assertTrue(acquire("alice", "a|2", T0));
        assertEquals(List.of(), limits.renewConnections(List.of(lease("alice", "a|1")), T0 + LEASE / 2, LEASE));
        assertEquals(1, limits.connectionCount(SCOPE, "alice", T0 + LEASE));
        assertEquals(0, limits.connectionCount(SCOPE, "alice", T0 + LEASE / 2 + LEASE));
    }

    @Test
    void renewalReturnsReleasedAndExpiredLeasesWithoutTakingThemAgain() {
        assertTrue(acquire("alice", "a|1", T0));
        assertTrue(acquire("alice", "a|2", T0));
        assertTrue(acquire("alice", "a|3", T0 + LEASE));
        limits.releaseConnection(lease("alice", "a|2"));
        List<ConnectionLease> lost = limits.renewConnections(List.of(lease("alice", "a|1"), lease("alice", "a|2"),
                lease("alice", "a|3"), lease("bob", "never")), T0 + LEASE, LEASE);
        assertEquals(Set.of(lease("alice", "a|1"), lease("alice", "a|2"), lease("bob", "never")), Set.copyOf(lost));
        assertEquals(1, limits.connectionCount(SCOPE, "alice", T0 + LEASE), "only a|3 holds a lease");
        assertEquals(0, limits.connectionCount(SCOPE, "bob", T0 + LEASE));
    }

    @Test
    void aLostLeaseCanBeTakenAgainAboveTheLimitWithAnUnboundedMax() {
        for (int i = 1; i <= 5; i++) {
            assertTrue(acquire("alice", "a|" + i, T0));
        }
        assertTrue(limits.acquireConnection(lease("alice", "lost|1"), Integer.MAX_VALUE, T0, LEASE));
        assertEquals(6, limits.connectionCount(SCOPE, "alice", T0));
        assertFalse(acquire("alice", "b|1", T0), "and the limit still holds for new connections");
    }

    @Test
    void manyLeasesOfManyUsersAreRenewedInOneCall() {
        List<ConnectionLease> all = new ArrayList<>();
        for (int user = 0; user < 700; user++) {
            for (int i = 0; i < 2; i++) {
                ConnectionLease lease = lease("u" + user, "i|" + user + "-" + i);
                assertTrue(limits.acquireConnection(lease, 5, T0, LEASE));
                all.add(lease);
            }
        }
        limits.releaseConnection(all.get(0));
        limits.releaseConnection(all.get(777));
        List<ConnectionLease> lost = limits.renewConnections(all, T0 + LEASE - 1, LEASE);
        assertEquals(Set.of(all.get(0), all.get(777)), Set.copyOf(lost));
        assertEquals(2, limits.connectionCount(SCOPE, "u500", T0 + 2 * LEASE - 2));
    }

    @Test
    void connectionsAcquiredConcurrentlyForOneUserNeverExceedTheMax() throws Exception {
        AtomicInteger ids = new AtomicInteger();
        List<Boolean> results = Concurrently.run(20, () -> acquire("alice", "c|" + ids.incrementAndGet(), T0));
        assertEquals(5, results.stream().filter(ok -> ok).count(), results.toString());
        assertEquals(5, limits.connectionCount(SCOPE, "alice", T0));
    }

    // --- rates ---

    @Test
    void aFullBucketGivesItsBurstAtOnceThenRefuses() {
        for (int i = 0; i < 10; i++) {
            assertTrue(limits.tryAcquire("chat_message", "alice", 5, 10, T0), "token " + i);
        }
        assertFalse(limits.tryAcquire("chat_message", "alice", 5, 10, T0));
        assertFalse(limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 199));
    }

    @Test
    void anEmptyBucketRefillsAtTheRate() {
        for (int i = 0; i < 10; i++) {
            limits.tryAcquire("chat_message", "alice", 5, 10, T0);
        }
        assertTrue(limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 200), "one token per 200 ms at 5/s");
        assertFalse(limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 200));
        assertFalse(limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 300));
        assertTrue(limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 400), "fractions add up");
        int taken = 0;
        while (limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 1_400)) {
            taken++;
        }
        assertEquals(5, taken, "a second later: five more");
    }

    @Test
    void aLongIdleBucketHoldsNoMoreThanItsBurst() {
        limits.tryAcquire("chat_message", "alice", 5, 10, T0);
        int taken = 0;
        while (limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 3_600_000)) {
            taken++;
        }
        assertEquals(10, taken);
    }

    @Test
    void aCallerWhoseClockIsBehindGetsNoExtraTokens() {
        for (int i = 0; i < 10; i++) {
            limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 1_000);
        }
        assertFalse(limits.tryAcquire("chat_message", "alice", 5, 10, T0), "an earlier now refills nothing");
        assertFalse(limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 1_000));
        assertTrue(limits.tryAcquire("chat_message", "alice", 5, 10, T0 + 1_200));
    }

    @Test
    void eachUserAndEachBucketHaveTheirOwnTokens() {
        for (int i = 0; i < 2; i++) {
            assertTrue(limits.tryAcquire("chat_message", "alice", 1, 2, T0));
        }
        assertFalse(limits.tryAcquire("chat_message", "alice", 1, 2, T0));
        assertTrue(limits.tryAcquire("chat_message", "bob", 1, 2, T0));
        assertTrue(limits.tryAcquire("other", "alice", 1, 2, T0));
    }

    @Test
    void concurrentCallersNeverSpendTheSameToken() throws Exception {
        List<Boolean> results = Concurrently.run(30, () -> limits.tryAcquire("chat_message", "alice", 5, 10, T0));
        assertEquals(10, results.stream().filter(ok -> ok).count(), results.toString());
    }

    @Test
    void fractionalRatesWork() {
        assertTrue(limits.tryAcquire("slow", "alice", 0.5, 1, T0));
        assertFalse(limits.tryAcquire("slow", "alice", 0.5, 1, T0 + 1_999));
        assertTrue(limits.tryAcquire("slow", "alice", 0.5, 1, T0 + 2_000));
        assertFalse(limits.tryAcquire("slow", "alice", 0.5, 1, T0 + 2_000));
    }
}
