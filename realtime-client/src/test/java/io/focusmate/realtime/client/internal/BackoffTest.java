package io.focusmate.realtime.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.client.ClientOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter, on an injected random source: no sleeping, no real randomness. */
class BackoffTest {
    private static final ClientOptions DEFAULTS = ClientOptions.defaults();

    private static Backoff backoff(double random) {
        return new Backoff(DEFAULTS.backoffBase(), DEFAULTS.backoffCap(), () -> random);
    }

    @Test
    void theCeilingDoublesFromTheBaseUpToTheCap() {
        Backoff backoff = backoff(0.5);
        List<Long> seconds = IntStream.rangeClosed(1, 8).mapToObj(n -> backoff.ceiling(n).toSeconds()).toList();
        assertEquals(List.of(1L, 2L, 4L, 8L, 16L, 30L, 30L, 30L), seconds);
    }

    @Test
    void theCeilingStaysAtTheCapForAnyNumberOfAttemptsWithoutOverflowing() {
        Backoff backoff = backoff(0.5);
        for (int attempt : new int[] {30, 63, 64, 1000, Integer.MAX_VALUE}) {
            assertEquals(Duration.ofSeconds(30), backoff.ceiling(attempt), "attempt " + attempt);
        }
    }

    @Test
    void theDelayIsTheRandomFractionOfTheCeiling() {
        assertEquals(Duration.ZERO, backoff(0).delay(5));
        assertEquals(Duration.ofSeconds(4), backoff(0.5).delay(4));
        assertEquals(Duration.ofMillis(7_500), backoff(0.25).delay(10));
    }

    @Test
    void fullJitterSpreadsTheDelaysOverTheWholeRangeBelowTheCeiling() {
        double[] randoms = {0.0, 0.1, 0.5, 0.9, 0.999};
        List<Duration> delays = new ArrayList<>();
        int[] next = {0};
        Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(30), () -> randoms[next[0]++]);
        for (int i = 0; i < randoms.length; i++) {
            delays.add(backoff.delay(3));
        }
        assertEquals(List.of(Duration.ZERO, Duration.ofMillis(400), Duration.ofSeconds(2), Duration.ofMillis(3_600),
                Duration.ofMillis(3_996)), delays);
    }

    @Test
    void aRandomSourceOutsideZeroToOneIsClampedToTheRange() {
        assertEquals(Duration.ZERO, backoff(-3).delay(2));
        assertEquals(Duration.ofSeconds(2), backoff(7).delay(2));
    }

    @Test
    void theCloseCodeDecidesBetweenStoppingRetryingAtOnceAndBackingOff() {
        for (int code : new int[] {1000, 1003, 1008}) {
            assertEquals(ReconnectPolicy.STOP, ReconnectPolicy.of(code), "close " + code);
        }
        assertEquals(ReconnectPolicy.AT_ONCE, ReconnectPolicy.of(4003));
        for (int code : new int[] {1001, 1002, 1006, 1007, 1009, 1011, 1012, 4000, 4001, 4008, 4999}) {
            assertEquals(ReconnectPolicy.BACKOFF, ReconnectPolicy.of(code), "close " + code);
        }
    }
}
