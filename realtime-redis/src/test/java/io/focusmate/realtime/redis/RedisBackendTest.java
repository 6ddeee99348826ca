package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** What RedisBackend checks before it connects (the broker and stores have their contract tests). */
class RedisBackendTest {

    @Test
    void anOldJedisOnTheClassPathIsOneLineThatSaysWhatToSet() {
        RedisBackend.requireClass(RedisBackend.JEDIS_8_CLIENT); // the build's own Jedis 8 passes
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> RedisBackend.requireClass("redis.clients.jedis.NotInAnyJedis"));
        assertTrue(e.getMessage().contains("jedis.version to 8.0.2"), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }
}
