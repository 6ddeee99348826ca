package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.redis.RedisUrl;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffAndUrlTest {

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

    @Test
    void aRedisUrlParsesHostPortCredentialsAndDatabase() {
        RedisUrl url = RedisUrl.parse("rediss://app:p%40ss@redis.internal:6380/2");
        assertEquals("redis.internal", url.host());
        assertEquals(6380, url.port());
        assertEquals("app", url.user());
        assertEquals("p@ss", url.password());
        assertEquals(2, url.database());
        assertTrue(url.tls());
        assertFalse(url.toString().contains("p@ss"), "the password is masked: " + url);
        assertEquals(6379, RedisUrl.parse("redis://localhost").port());
        assertEquals("secret", RedisUrl.parse("redis://:secret@h:1").password());
    }

    @Test
    void aMalformedRedisUrlSaysWhatIsExpectedWithoutEchoingThePassword() {
        for (String bad : new String[] {"", "localhost:6379", "http://h:1", "redis://:pw@:80", "redis://h:1/x",
                "redis://h:99999"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RedisUrl.parse(bad), bad);
            assertTrue(e.getMessage().contains("redis://host:port"), e.getMessage());
            assertFalse(e.getMessage().contains("pw"), e.getMessage());
        }
    }
}
