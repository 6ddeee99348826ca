package io.focusmate.realtime.jakarta;

import io.focusmate.realtime.testkit.ApiSnapshot;
import io.focusmate.realtime.testkit.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** realtime-jakarta's public API is pinned by {@code api/realtime-jakarta.api}, and its classes keep the house rules. */
class JakartaModuleRulesTest {

    @Test
    void thePublicApiIsExactlyTheCheckedInSnapshot() {
        ApiSnapshot.assertMatches(RealtimeEndpoints.class, Path.of("api", "realtime-jakarta.api"));
    }

    @Test
    void noTwoClassesDependOnEachOtherBothWays() {
        ArchitectureRules.assertNoTwoWayDependencies(RealtimeEndpoints.class);
    }

    @Test
    void noClassIsOver400LinesAndNoMethodOver60() {
        ArchitectureRules.assertSizes(Path.of("src", "main", "java"), 400, 60);
    }
}
