package io.focusmate.realtime.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.testkit.ApiSnapshot;
import io.focusmate.realtime.testkit.ArchitectureRules;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * realtime-client's public API is pinned by {@code api/realtime-client.api}, its classes keep the house rules, and
 * it uses no server code: its sources import only the JDK, Jackson and its own packages.
 */
class ClientModuleRulesTest {
    private static final Pattern ALLOWED_IMPORT =
            Pattern.compile("import (static )?(java\\.|com\\.fasterxml\\.jackson\\.|io\\.focusmate\\.realtime\\.client\\b).*");

    @Test
    void thePublicApiIsExactlyTheCheckedInSnapshot() {
        ApiSnapshot.assertMatches(RealtimeClient.class, Path.of("api", "realtime-client.api"));
    }

    @Test
    void noTwoClassesDependOnEachOtherBothWays() {
        ArchitectureRules.assertNoTwoWayDependencies(RealtimeClient.class);
    }

    @Test
    void noClassIsOver400LinesAndNoMethodOver60() {
        ArchitectureRules.assertSizes(Path.of("src", "main", "java"), 400, 60);
    }

    @Test
    void theSourcesImportOnlyTheJdkJacksonAndTheClientItself() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src", "main", "java"))) {
            List<String> foreign = files.filter(f -> f.toString().endsWith(".java")).flatMap(ClientModuleRulesTest::lines)
                    .filter(line -> line.startsWith("import ") && !ALLOWED_IMPORT.matcher(line).matches()).toList();
            assertEquals(List.of(), foreign);
        }
    }

    private static Stream<String> lines(Path file) {
        try {
            return Files.readAllLines(file).stream().map(String::strip);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
