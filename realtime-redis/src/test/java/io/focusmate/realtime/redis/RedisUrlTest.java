package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisUrlTest {

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
