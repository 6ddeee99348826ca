package io.focusmate.realtime.launcher;

import io.focusmate.realtime.testkit.RedisExtension;
import java.util.Map;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@link NotificationRecoveryTest}'s tests on a real redis-server: the history in Redis, the same behaviour. */
class NotificationRecoveryOnRedisTest extends NotificationRecoveryTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    @Override
    protected Map<String, String> broker() {
        return Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", RedisExtension.uniquePrefix());
    }
}
