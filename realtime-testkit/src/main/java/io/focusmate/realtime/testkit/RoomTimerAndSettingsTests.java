package io.focusmate.realtime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.rooms.RoomSettings;
import io.focusmate.realtime.rooms.RoomStore;
import io.focusmate.realtime.rooms.TimerCommand;
import io.focusmate.realtime.rooms.TimerState;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The timer and settings half of {@link RoomStoreContractTest}, which runs these tests on its store. */
abstract class RoomTimerAndSettingsTests {
    static final long T0 = 1_700_000_000_000L;
    static final String ROOM = "room-1";
    static final String A = "instance-a";
    static final long LEASE = 30_000;

    /** The store under test, fresh for each test. */
    abstract RoomStore store();

    // --- the timer ---

    @Test
    void aRoomWithoutATimerHasTheInitialOne() {
        assertEquals(TimerState.initial(), store().timer(ROOM));
    }

    @Test
    void startRunsTheTimerForTheDurationFromNow() {
        TimerState started = store().applyTimer(ROOM, TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        assertEquals(TimerState.RUNNING, started.status());
        assertEquals(60_000, started.durationMs());
        assertEquals(60_000, started.remainingMs());
        assertEquals(T0 + 60_000, started.endsAt());
        assertEquals("alice", started.updatedBy());
        assertTrue(started.version() > 0);
        assertEquals(started, store().timer(ROOM));
    }

    @Test
    void aLateReaderSeesTheRemainingTimeAtItsOwnNow() {
        store().applyTimer(ROOM, TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        TimerState read = store().timer(ROOM);
        assertEquals(60_000, read.remainingAt(T0));
        assertEquals(35_000, read.remainingAt(T0 + 25_000));
        assertEquals(0, read.remainingAt(T0 + 60_000));
        assertEquals(0, read.remainingAt(T0 + 90_000), "never negative");
    }

    @Test
    void pauseKeepsWhatWasLeftAndResumeCountsOnFromThere() {
        store().applyTimer(ROOM, TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        TimerState paused = store().applyTimer(ROOM, TimerCommand.PAUSE, 0, "bob", T0 + 20_000).orElseThrow();
        assertEquals(new TimerState(TimerState.PAUSED, 60_000, 40_000, 0, paused.version(), "bob"), paused);
        assertEquals(40_000, store().timer(ROOM).remainingAt(T0 + 500_000), "a paused timer does not count");

        TimerState resumed = store().applyTimer(ROOM, TimerCommand.RESUME, 0, "carol", T0 + 100_000).orElseThrow();
        assertEquals(new TimerState(TimerState.RUNNING, 60_000, 40_000, T0 + 140_000, resumed.version(), "carol"),
                resumed);
        assertEquals(10_000, store().timer(ROOM).remainingAt(T0 + 130_000));
        assertTrue(resumed.version() > paused.version());
    }

    @Test
    void pausingATimerThatAlreadyRanOutLeavesZero() {
        store().applyTimer(ROOM, TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        assertEquals(0, store().applyTimer(ROOM, TimerCommand.PAUSE, 0, "alice", T0 + 61_000).orElseThrow()
                .remainingMs());
    }

    @Test
    void resetGoesBackToIdleWithTheFullDuration() {
        store().applyTimer(ROOM, TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        store().applyTimer(ROOM, TimerCommand.PAUSE, 0, "alice", T0 + 20_000).orElseThrow();
        TimerState reset = store().applyTimer(ROOM, TimerCommand.RESET, 0, "bob", T0 + 30_000).orElseThrow();
        assertEquals(new TimerState(TimerState.IDLE, 60_000, 60_000, 0, reset.version(), "bob"), reset);
        assertEquals(reset, store().timer(ROOM));
    }

    @Test
    void startingARunningTimerRestartsItWithTheNewDuration() {
        store().applyTimer(ROOM, TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        TimerState restarted = store().applyTimer(ROOM, TimerCommand.START, 25_000, "bob", T0 + 10_000).orElseThrow();
        assertEquals(new TimerState(TimerState.RUNNING, 25_000, 25_000, T0 + 35_000, restarted.version(), "bob"),
                restarted);
    }

    @Test
    void commandsThatDoNotApplyChangeNothing() {
        assertEquals(Optional.empty(), store().applyTimer(ROOM, TimerCommand.PAUSE, 0, "alice", T0), "idle");
        assertEquals(Optional.empty(), store().applyTimer(ROOM, TimerCommand.RESUME, 0, "alice", T0), "idle");
        assertEquals(TimerState.initial(), store().timer(ROOM));

        TimerState running = store().applyTimer(ROOM, TimerCommand.START, 60_000, "alice", T0).orElseThrow();
        assertEquals(Optional.empty(), store().applyTimer(ROOM, TimerCommand.RESUME, 0, "bob", T0 + 1), "running");
        assertEquals(running, store().timer(ROOM));

        TimerState paused = store().applyTimer(ROOM, TimerCommand.PAUSE, 0, "alice", T0 + 2).orElseThrow();
        assertEquals(Optional.empty(), store().applyTimer(ROOM, TimerCommand.PAUSE, 0, "bob", T0 + 3), "paused");
        assertEquals(paused, store().timer(ROOM));
        assertEquals(paused.version(), store().presence(ROOM, T0 + 3).version());
    }

    @Test
    void aResetOfAnIdleTimerIsAChange() {
        TimerState reset = store().applyTimer(ROOM, TimerCommand.RESET, 0, "alice", T0).orElseThrow();
        assertEquals(new TimerState(TimerState.IDLE, 0, 0, 0, reset.version(), "alice"), reset);
        assertTrue(reset.version() > 0);
    }

    @Test
    void concurrentTimerCommandsEndInAStateThatReplaysFromTheirResultsInVersionOrder() throws Exception {
        int threads = 8;
        int perThread = 25;
        TimerCommand[] commands = TimerCommand.values();
        List<List<Applied>> results = Concurrently.run(threads, new Callable<List<Applied>>() {
            private final AtomicInteger thread = new AtomicInteger();

            @Override
            public List<Applied> call() {
                int t = thread.getAndIncrement();
                List<Applied> applied = new ArrayList<>();
                for (int i = 0; i < perThread; i++) {
                    TimerCommand command = commands[(t + i * 3) % commands.length];
                    long duration = 10_000 + t * 1_000 + i;
                    long now = T0 + i * 100L + t;
                    String user = "user-" + t;
                    store().applyTimer(ROOM, command, duration, user, now)
                            .ifPresent(state -> applied.add(new Applied(command, duration, now, user, state)));
                }
                return applied;
            }
        });
        List<Applied> all = results.stream().flatMap(List::stream)
                .sorted(Comparator.comparingLong(a -> a.state.version())).toList();
        assertFalse(all.isEmpty());
        assertEquals(all.size(), all.stream().map(a -> a.state.version()).distinct().count(), "distinct versions");
        long first = all.get(0).state.version();
        assertEquals(first + all.size() - 1, all.get(all.size() - 1).state.version(), "no version lost or skipped");

        TimerState replayed = TimerState.initial();
        for (Applied a : all) {
            TimerState next = replayed.apply(a.command, a.duration, a.now, a.state.version(), a.user);
            assertNotNull(next, a.command + " applied in the store but not in the replay after " + replayed);
            assertEquals(next, a.state);
            replayed = next;
        }
        assertEquals(replayed, store().timer(ROOM));
    }

    // --- the settings ---

    @Test
    void aRoomWithoutSettingsHasTheInitialOnes() {
        assertEquals(RoomSettings.initial(), store().settings(ROOM));
    }

    @Test
    void settingsAreReplacedWhenStillAtTheExpectedVersionAndStoredAsGiven() {
        String json = "{\"goal\":\"write \\\"ch. 3\\\"\",\"emoji\":\"✓ 😀\",\"n\":[1,2]}";
        RoomSettings replaced = store().replaceSettings(ROOM, json, 0, "alice").orElseThrow();
        assertEquals(new RoomSettings(json, replaced.version(), "alice"), replaced);
        assertEquals(replaced, store().settings(ROOM));
        RoomSettings again = store().replaceSettings(ROOM, "{}", replaced.version(), "bob").orElseThrow();
        assertEquals(new RoomSettings("{}", again.version(), "bob"), again);
        assertTrue(again.version() > replaced.version());
    }

    @Test
    void aSettingsUpdateFromAStaleVersionIsRefusedAndChangesNothing() {
        RoomSettings first = store().replaceSettings(ROOM, "{\"a\":1}", 0, "alice").orElseThrow();
        assertEquals(Optional.empty(), store().replaceSettings(ROOM, "{\"a\":2}", 0, "bob"), "stale: 0");
        assertEquals(Optional.empty(), store().replaceSettings(ROOM, "{\"a\":2}", first.version() + 1, "bob"));
        assertEquals(first, store().settings(ROOM));
    }

    @Test
    void theSettingsVersionFollowsTheRoomCounterNotItsOwn() {
        store().join(ROOM, "alice", A, T0, LEASE).orElseThrow();
        store().applyTimer(ROOM, TimerCommand.START, 1_000, "alice", T0).orElseThrow();
        assertEquals(Optional.empty(), store().replaceSettings(ROOM, "{}", 2, "alice"),
                "the settings are still at 0 whatever the counter");
        RoomSettings settings = store().replaceSettings(ROOM, "{}", 0, "alice").orElseThrow();
        assertEquals(store().presence(ROOM, T0).version(), settings.version());
    }

    @Test
    void ofConcurrentSettingsUpdatesFromOneVersionExactlyOneWins() throws Exception {
        RoomSettings base = store().replaceSettings(ROOM, "{\"round\":0}", 0, "alice").orElseThrow();
        List<Optional<RoomSettings>> outcomes = Concurrently.run(8, () -> store().replaceSettings(ROOM,
                "{\"by\":\"" + Thread.currentThread().getName() + "\"}", base.version(), "racer"));
        List<RoomSettings> winners = outcomes.stream().flatMap(Optional::stream).toList();
        assertEquals(1, winners.size(), "one winner: " + outcomes);
        assertEquals(winners.get(0), store().settings(ROOM));
    }

    @Test
    void aNullUserOfAnUpdateReadsBackAsNull() {
        assertNull(store().replaceSettings(ROOM, "{}", 0, null).orElseThrow().updatedBy());
        assertNull(store().settings(ROOM).updatedBy());
        assertNull(store().applyTimer(ROOM, TimerCommand.START, 1_000, null, T0).orElseThrow().updatedBy());
        assertNull(store().timer(ROOM).updatedBy());
    }

    /** A timer command that applied, with its inputs, for replay. */
    private record Applied(TimerCommand command, long duration, long now, String user, TimerState state) {
    }
}
