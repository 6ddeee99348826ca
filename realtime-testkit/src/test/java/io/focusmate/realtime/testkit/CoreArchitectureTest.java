package io.focusmate.realtime.testkit;

import io.focusmate.realtime.Gateway;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * realtime-core's public API is pinned by {@code realtime-core/api/realtime-core.api}, and its classes keep the
 * house rules. Checked here because the kit that checks them depends on core.
 */
class CoreArchitectureTest {

    @Test
    void theCoreApiIsExactlyTheCheckedInSnapshot() {
        ApiSnapshot.assertMatches(Gateway.class, Path.of("..", "realtime-core", "api", "realtime-core.api"));
    }

    @Test
    void noTwoCoreClassesDependOnEachOtherBothWays() {
        ArchitectureRules.assertNoTwoWayDependencies(Gateway.class);
    }

    @Test
    void noCoreClassIsOver400LinesAndNoMethodOver60() {
        ArchitectureRules.assertSizes(Path.of("..", "realtime-core", "src", "main", "java"), 400, 60);
    }

    @Test
    void theTestkitApiIsExactlyTheCheckedInSnapshot() {
        ApiSnapshot.assertMatches(ApiSnapshot.class, Path.of("api", "realtime-testkit.api"));
    }

    @Test
    void theTestkitKeepsTheHouseRules() {
        ArchitectureRules.assertNoTwoWayDependencies(ApiSnapshot.class);
        ArchitectureRules.assertSizes(Path.of("src", "main", "java"), 400, 60);
    }
}
