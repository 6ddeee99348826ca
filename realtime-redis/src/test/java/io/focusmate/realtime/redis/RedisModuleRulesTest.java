package io.focusmate.realtime.redis;

import io.focusmate.realtime.testkit.ApiSnapshot;
import io.focusmate.realtime.testkit.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** realtime-redis's public API is pinned by {@code api/realtime-redis.api}, and its classes keep the house rules. */
class RedisModuleRulesTest {

    @Test
    void thePublicApiIsExactlyTheCheckedInSnapshot() {
        ApiSnapshot.assertMatches(RedisBackend.class, Path.of("api", "realtime-redis.api"));
    }

    @Test
    void noTwoClassesDependOnEachOtherBothWays() {
        ArchitectureRules.assertNoTwoWayDependencies(RedisBackend.class);
    }

    @Test
    void noClassIsOver400LinesAndNoMethodOver60() {
        ArchitectureRules.assertSizes(Path.of("src", "main", "java"), 400, 60);
    }
}
