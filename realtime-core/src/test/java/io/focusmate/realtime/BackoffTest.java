package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void theDefaultBackoffDoublesFromOneSecondUpToThirtyWithoutJitterAtZero() {
        long[] expected = {1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000};
        for (int attempt = 1; attempt <= expected.length; attempt++) {
            assertEquals(expected[attempt - 1], Backoff.DEFAULT.delay(attempt, 0).toMillis());
        }
        assertEquals(30_000, Backoff.DEFAULT.delay(1_000, 0).toMillis(), "no overflow on huge attempts");
    }

    @Test
    void jitterOnlyShortensTheDelayWithinItsFraction() {
        Duration full = Backoff.DEFAULT.delay(3, 0);
        Duration most = Backoff.DEFAULT.delay(3, 0.999);
        assertTrue(most.compareTo(full) < 0);
        assertTrue(most.toMillis() >= full.toMillis() * 0.8 - 1);
    }
}
