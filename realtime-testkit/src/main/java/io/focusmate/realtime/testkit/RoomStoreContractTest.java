package io.focusmate.realtime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.rooms.Presence;
import io.focusmate.realtime.rooms.PresenceChange;
import io.focusmate.realtime.rooms.RoomStore;
import io.focusmate.realtime.rooms.TimerCommand;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compatibility kit of the {@link RoomStore} SPI: every implementation subclasses this and passes it unchanged.
 * Presence and the change counter are tested here, the timer and the settings in the inherited tests. Time is
 * explicit: every call passes its own {@code now}, so nothing here waits for a clock.
 */
@Timeout(60)
public abstract class RoomStoreContractTest extends RoomTimerAndSettingsTests {
    private static final String B = "instance-b";

    /** Owned by the test thread. */
    protected RoomStore store;

    /** For subclasses: one per implementation under test. */
    protected RoomStoreContractTest() {
    }

    /** A new, empty store; each test gets its own (or a fresh key space in a shared backend). */
    protected abstract RoomStore createStore();

    @Override
    final RoomStore store() {
        return store;
    }

    @BeforeEach
    void setUp() {
        store = createStore();
    }

    // --- presence: join and leave ---

    @Test
    void aFirstJoinIsAnnouncedWithTheRoomsNextVersion() {
        PresenceChange join = store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        assertEquals("alice", join.userId());
        assertTrue(join.version() > 0);
        assertEquals(new Presence(List.of("alice"), join.version()), store.presence(ROOM, T0));
    }

    @Test
    void everyPresenceChangeCarriesTheParticipantCountRightAfterIt() {
        assertEquals(1, store.join(ROOM, "alice", A, T0, LEASE).orElseThrow().count());
        assertEquals(2, store.join(ROOM, "bob", A, T0, LEASE).orElseThrow().count());
        assertTrue(store.join(ROOM, "bob", B, T0, LEASE).isEmpty(), "a second instance of bob is not a new user");
        assertEquals(3, store.join(ROOM, "carol", B, T0, LEASE).orElseThrow().count());
        assertTrue(store.leave(ROOM, "bob", A, T0 + 1).isEmpty());
        assertEquals(2, store.leave(ROOM, "bob", B, T0 + 1).orElseThrow().count());
        assertEquals(2, store.presence(ROOM, T0 + 1).count());
    }

    @Test
    void aRoomAboveTheListLimitGivesItsCountWithoutAList() {
        for (String user : List.of("u1", "u2", "u3")) {
            store.join(ROOM, user, A, T0, LEASE).orElseThrow();
        }
        store.join(ROOM, "u1", B, T0, LEASE);
        Presence large = store.presence(ROOM, T0 + 1, 2);
        assertEquals(List.of(), large.userIds());
        assertEquals(3, large.count());
        assertEquals(store.presence(ROOM, T0 + 1).version(), large.version());
        assertEquals(new Presence(List.of("u1", "u2", "u3"), large.version()), store.presence(ROOM, T0 + 1, 3));
    }

    @Test
    void expiredUsersAreReportedWithFallingCounts() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "bob", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "carol", B, T0 + 5_000, LEASE).orElseThrow();
        List<PresenceChange> left = store.expire(ROOM, T0 + LEASE);
        assertEquals(List.of("alice", "bob"), left.stream().map(PresenceChange::userId).toList());
        assertEquals(List.of(2, 1), left.stream().map(PresenceChange::count).toList());
        assertEquals(1, store.presence(ROOM, T0 + LEASE, 0).count());
    }

    @Test
    void aRoomThatNeverChangedIsEmptyAtVersionZero() {
        assertEquals(new Presence(List.of(), 0), store.presence("nobody-here", T0));
    }

    @Test
    void joiningAgainOnTheSameInstanceRenewsTheLeaseAndAnnouncesNothing() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        assertEquals(Optional.empty(), store.join(ROOM, "alice", A, T0 + 20_000, LEASE));
        assertEquals(List.of(), store.expire(ROOM, T0 + LEASE), "the second join moved the lease on");
        assertEquals(List.of("alice"), store.presence(ROOM, T0 + LEASE).userIds());
    }

    @Test
    void twoTabsOnTwoInstancesAreOneParticipantWhoLeavesWithTheLastTab() {
        PresenceChange joined = store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        assertEquals(Optional.empty(), store.join(ROOM, "alice", B, T0 + 1, LEASE), "already present via A");
        assertEquals(List.of("alice"), store.presence(ROOM, T0 + 2).userIds());

        assertEquals(Optional.empty(), store.leave(ROOM, "alice", A, T0 + 3), "still present via B");
        assertEquals(List.of("alice"), store.presence(ROOM, T0 + 4).userIds());

        PresenceChange left = store.leave(ROOM, "alice", B, T0 + 5).orElseThrow();
        assertEquals("alice", left.userId());
        assertTrue(left.version() > joined.version());
        assertEquals(new Presence(List.of(), left.version()), store.presence(ROOM, T0 + 6));
    }

    @Test
    void usersOnDifferentInstancesArePresentTogetherSortedAndEachOnce() {
        store.join(ROOM, "carol", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "alice", B, T0, LEASE).orElseThrow();
        store.join(ROOM, "bob", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "alice", A, T0, LEASE);
        assertEquals(List.of("alice", "bob", "carol"), store.presence(ROOM, T0).userIds());
    }

    @Test
    void leavingWithALeaseThisInstanceDoesNotHoldAnnouncesNothing() {
        assertEquals(Optional.empty(), store.leave(ROOM, "ghost", A, T0));
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        assertEquals(Optional.empty(), store.leave(ROOM, "alice", B, T0 + 1), "B never held alice's lease");
        assertEquals(List.of("alice"), store.presence(ROOM, T0 + 1).userIds());
        assertEquals(Optional.empty(), store.leave(ROOM, "bob", A, T0 + 1));
    }

    @Test
    void leavingTwiceAnnouncesTheLeaveOnce() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        assertTrue(store.leave(ROOM, "alice", A, T0 + 1).isPresent());
        assertEquals(Optional.empty(), store.leave(ROOM, "alice", A, T0 + 2));
    }

    @Test
    void roomsAreIndependent() {
        store.join("room-x", "alice", A, T0, LEASE).orElseThrow();
        assertTrue(store.join("room-y", "alice", A, T0, LEASE).isPresent(), "a join in another room is a join");
        store.leave("room-x", "alice", A, T0 + 1).orElseThrow();
        assertEquals(List.of("alice"), store.presence("room-y", T0 + 1).userIds());
        assertEquals(List.of(), store.presence("room-x", T0 + 1).userIds());
    }

    @Test
    void aUserIdMayContainTheSeparatorOfInstanceAndUser() {
        store.join(ROOM, "org|alice", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        assertEquals(List.of("alice", "org|alice"), store.presence(ROOM, T0).userIds());
        assertEquals("org|alice", store.leave(ROOM, "org|alice", A, T0 + 1).orElseThrow().userId());
        assertEquals(List.of("alice"), store.presence(ROOM, T0 + 1).userIds());
    }

    // --- presence: leases and expiry ---

    @Test
    void aLeaseCountsUntilItsExpiryAndNotAtIt() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        assertEquals(List.of("alice"), store.presence(ROOM, T0 + LEASE - 1).userIds());
        assertEquals(List.of(), store.presence(ROOM, T0 + LEASE).userIds(), "no ghost outlives its lease");
    }

    @Test
    void expireReportsAUserWhoseOnlyLeaseRanOutOnceWithANewVersion() {
        PresenceChange joined = store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        assertEquals(List.of(), store.expire(ROOM, T0 + LEASE - 1), "not yet expired");
        List<PresenceChange> left = store.expire(ROOM, T0 + LEASE);
        assertEquals(1, left.size());
        assertEquals("alice", left.get(0).userId());
        assertTrue(left.get(0).version() > joined.version());
        assertEquals(List.of(), store.expire(ROOM, T0 + LEASE + 1), "reported once");
        assertEquals(new Presence(List.of(), left.get(0).version()), store.presence(ROOM, T0 + LEASE));
    }

    @Test
    void expireKeepsAUserWhoStillHoldsALeaseOnAnotherInstance() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "alice", B, T0 + 10_000, LEASE);
        assertEquals(List.of(), store.expire(ROOM, T0 + LEASE), "B still holds alice");
        assertEquals(List.of("alice"), store.presence(ROOM, T0 + LEASE).userIds());
        assertEquals(List.of("alice"), userIds(store.expire(ROOM, T0 + 10_000 + LEASE)));
    }

    @Test
    void expireReportsEachUserWithItsOwnVersion() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "bob", B, T0, LEASE).orElseThrow();
        PresenceChange carol = store.join(ROOM, "carol", A, T0 + 5_000, LEASE).orElseThrow();
        List<PresenceChange> left = store.expire(ROOM, T0 + LEASE);
        assertEquals(Set.of("alice", "bob"), new HashSet<>(userIds(left)));
        assertEquals(2, left.stream().map(PresenceChange::version).distinct().count());
        left.forEach(change -> assertTrue(change.version() > carol.version()));
        assertEquals(List.of("carol"), store.presence(ROOM, T0 + LEASE).userIds());
        assertEquals(Collections.max(left.stream().map(PresenceChange::version).toList()),
                store.presence(ROOM, T0 + LEASE).version());
    }

    @Test
    void aLeaveWhileTheOtherLeaseHasRunOutAnnouncesTheLeaveAndExpireDoesNotRepeatIt() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "alice", B, T0 + 10_000, LEASE);
        long afterAsLease = T0 + LEASE + 1;
        assertEquals("alice", store.leave(ROOM, "alice", B, afterAsLease).orElseThrow().userId());
        assertEquals(List.of(), store.expire(ROOM, afterAsLease + 1));
    }

    @Test
    void aJoinAfterTheOtherLeaseRanOutIsAnnouncedAndExpireThenReportsNothing() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        long later = T0 + LEASE + 1;
        assertTrue(store.join(ROOM, "alice", B, later, LEASE).isPresent(), "alice was absent everywhere");
        assertEquals(List.of(), store.expire(ROOM, later + 1), "alice is present via B");
        assertEquals(List.of("alice"), store.presence(ROOM, later + 1).userIds());
    }

    @Test
    void expireCalledByManyInstancesAtOnceReportsEachUserExactlyOnce() throws Exception {
        int users = 40;
        for (int i = 0; i < users; i++) {
            store.join(ROOM, "user-" + i, i % 2 == 0 ? A : B, T0 + i, LEASE);
        }
        long now = T0 + users + LEASE;
        List<List<PresenceChange>> reports = Concurrently.run(8, () -> store.expire(ROOM, now));
        List<PresenceChange> all = reports.stream().flatMap(List::stream).toList();
        assertEquals(users, all.size(), "one report per user in total: " + all);
        assertEquals(users, new HashSet<>(userIds(all)).size());
        assertEquals(users, all.stream().map(PresenceChange::version).distinct().count(), "each its own version");
        assertEquals(new Presence(List.of(), Collections.max(all.stream().map(PresenceChange::version).toList())),
                store.presence(ROOM, now));
    }

    // --- presence: renewal ---

    @Test
    void renewingKeepsALeaseAliveWithoutAnnouncingAnything() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        Map<String, List<PresenceChange>> joins = store.renew(A, Map.of(ROOM, Set.of("alice")), T0 + 20_000, LEASE);
        assertNoJoins(joins);
        assertEquals(List.of(), store.expire(ROOM, T0 + LEASE));
        assertEquals(List.of("alice"), store.presence(ROOM, T0 + 20_000 + LEASE - 1).userIds());
        assertEquals(List.of("alice"), userIds(store.expire(ROOM, T0 + 20_000 + LEASE)));
    }

    @Test
    void renewingALeaseThatExpiredAndWasAnnouncedAddsItAgainAndReportsTheJoin() {
        store.join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        store.join(ROOM, "bob", A, T0, LEASE).orElseThrow();
        List<PresenceChange> left = store.expire(ROOM, T0 + LEASE);
        assertEquals(2, left.size());
        long late = T0 + LEASE + 5_000;

        Map<String, List<PresenceChange>> joins = store.renew(A, Map.of(ROOM, Set.of("alice", "bob"),
                "other-room", Set.of("carol")), late, LEASE);

        assertEquals(Set.of("alice", "bob"), new HashSet<>(userIds(joins.get(ROOM))));
        assertEquals(List.of("carol"), userIds(joins.get("other-room")));
        joins.get(ROOM).forEach(join -> assertTrue(join.version() > Collections.max(
                left.stream().map(PresenceChange::version).toList())));
        assertEquals(List.of("alice", "bob"), store.presence(ROOM, late + LEASE - 1).userIds());
        assertNoJoins(store.renew(A, Map.of(ROOM, Set.of("alice", "bob")), late + 1, LEASE));
    }

    @Test
    void renewingALostLeaseOfAUserPresentElsewhereAddsItSilently() {
        store.join(ROOM, "alice", B, T0, LEASE).orElseThrow();
        assertNoJoins(store.renew(A, Map.of(ROOM, Set.of("alice")), T0 + 1, LEASE));
        assertEquals(Optional.empty(), store.leave(ROOM, "alice", B, T0 + 2), "A holds alice now");
        assertEquals("alice", store.leave(ROOM, "alice", A, T0 + 3).orElseThrow().userId());
    }

    @Test
    void renewingNothingChangesNothing() {
        assertNoJoins(store.renew(A, Map.of(), T0, LEASE));
        assertNoJoins(store.renew(A, Map.of(ROOM, Set.of()), T0, LEASE));
        assertEquals(new Presence(List.of(), 0), store.presence(ROOM, T0));
    }

    // --- the change counter ---

    @Test
    void theVersionStrictlyIncreasesAcrossPresenceTimerAndSettings() {
        List<Long> versions = new ArrayList<>();
        versions.add(store.join(ROOM, "alice", A, T0, LEASE).orElseThrow().version());
        versions.add(store.applyTimer(ROOM, TimerCommand.START, 60_000, "alice", T0 + 1).orElseThrow().version());
        versions.add(store.replaceSettings(ROOM, "{\"a\":1}", 0, "alice").orElseThrow().version());
        versions.add(store.join(ROOM, "bob", B, T0 + 2, LEASE).orElseThrow().version());
        versions.add(store.applyTimer(ROOM, TimerCommand.PAUSE, 0, "bob", T0 + 3).orElseThrow().version());
        versions.add(store.leave(ROOM, "bob", B, T0 + 4).orElseThrow().version());
        versions.add(store.expire(ROOM, T0 + LEASE).get(0).version());
        versions.add(store.renew(A, Map.of(ROOM, Set.of("alice")), T0 + LEASE + 1, LEASE).get(ROOM).get(0).version());
        for (int i = 1; i < versions.size(); i++) {
            assertTrue(versions.get(i) > versions.get(i - 1), "strictly increasing: " + versions);
        }
        assertEquals(versions.get(versions.size() - 1), store.presence(ROOM, T0 + LEASE + 2).version());
        assertEquals(versions.get(4), store.timer(ROOM).version());
        assertEquals(versions.get(2), store.settings(ROOM).version());
    }

    @Test
    void changesThatDoNotHappenDoNotSpendAVersion() {
        long v = store.join(ROOM, "alice", A, T0, LEASE).orElseThrow().version();
        store.join(ROOM, "alice", B, T0, LEASE);
        store.leave(ROOM, "alice", B, T0);
        store.leave(ROOM, "ghost", A, T0);
        store.expire(ROOM, T0);
        store.renew(A, Map.of(ROOM, Set.of("alice")), T0, LEASE);
        store.applyTimer(ROOM, TimerCommand.PAUSE, 0, "alice", T0);
        store.applyTimer(ROOM, TimerCommand.RESUME, 0, "alice", T0);
        store.replaceSettings(ROOM, "{}", 99, "alice");
        assertEquals(v, store.presence(ROOM, T0).version());
        assertEquals(v + 1, store.applyTimer(ROOM, TimerCommand.RESET, 0, "alice", T0).orElseThrow().version());
    }

    // --- helpers ---

    private static List<String> userIds(List<PresenceChange> changes) {
        assertNotNull(changes, "no changes reported");
        return changes.stream().map(PresenceChange::userId).collect(Collectors.toList());
    }

    /** Renew may report a room without joins as absent or as an empty list. */
    private static void assertNoJoins(Map<String, List<PresenceChange>> joins) {
        joins.values().forEach(list -> assertEquals(List.of(), list, "unexpected joins " + joins));
    }

}
