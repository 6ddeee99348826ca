package io.focusmate.realtime.launcher;

import io.focusmate.realtime.testkit.ArchitectureRules;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The launcher keeps the house rules too: no two classes depending on each other both ways, small classes. */
class LauncherRulesTest {

    @Test
    void noTwoClassesDependOnEachOtherBothWays() {
        ArchitectureRules.assertNoTwoWayDependencies(Launcher.class);
    }

    @Test
    void noClassIsOver400LinesAndNoMethodOver60() {
        ArchitectureRules.assertSizes(Path.of("src", "main", "java"), 400, 60);
    }
}
