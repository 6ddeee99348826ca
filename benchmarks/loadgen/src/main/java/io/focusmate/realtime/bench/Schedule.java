package io.focusmate.realtime.bench;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;

/**
 * Calls an action at a fixed rate, each with its intended time; a late call is made at once, never skipped. Each wait
 * is one park for the whole gap (a park wakes up late, not early, and the action is stamped with its intended time).
 */
final class Schedule {
    private Schedule() {
    }

    /** Runs {@code count} calls at {@code perSecond}, passing each its intended {@link System#nanoTime()}. */
    static void run(long count, double perSecond, LongConsumer action) {
        long period = (long) (1_000_000_000L / perSecond);
        long start = System.nanoTime() + 1_000_000;
        for (long i = 0; i < count; i++) {
            long intended = start + i * period;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            action.accept(intended);
        }
    }

    /**
     * Runs {@code count} calls in bursts of {@code burst} back to back, the bursts spaced so that the average is
     * {@code perSecond}; every call of a burst gets the burst's intended time.
     */
    static void runBursts(long count, double perSecond, int burst, LongConsumer action) {
        long period = (long) (1_000_000_000L * burst / perSecond);
        long start = System.nanoTime() + 1_000_000;
        for (long i = 0; i < count; i++) {
            long intended = start + (i / burst) * period;
            long wait;
            while ((wait = intended - System.nanoTime()) > 0) {
                LockSupport.parkNanos(wait);
            }
            action.accept(intended);
        }
    }
}
