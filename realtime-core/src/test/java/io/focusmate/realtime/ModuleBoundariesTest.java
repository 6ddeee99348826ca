package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The core stays framework-agnostic, and its dependencies point down: API, then the features (notifications, rooms,
 * chat, each on its own), then the engine. (That core has no Jedis, Jakarta, Tyrus or Grizzly on its class path at
 * all is the Maven build's boundary: realtime-core's pom does not depend on them.)
 */
class ModuleBoundariesTest {
    private static final Path MAIN = Path.of("src", "main", "java", "io", "focusmate", "realtime");

    @Test
    void theCoreImportsNoContainerAndNoRedisClient() {
        assertEquals(List.of(), filesImporting(MAIN, "import jakarta.", "import org.glassfish.", "import redis."));
    }

    @Test
    void theEngineKnowsNoFeature() {
        assertEquals(List.of(), filesImporting(MAIN.resolve("internal"), "import io.focusmate.realtime.rooms.",
                "import io.focusmate.realtime.chat.", "import io.focusmate.realtime.notifications."));
    }

    @Test
    void noFeatureImportsAnother() {
        assertEquals(List.of(), filesImporting(MAIN.resolve("rooms"), "import io.focusmate.realtime.chat.",
                "import io.focusmate.realtime.notifications."));
        assertEquals(List.of(), filesImporting(MAIN.resolve("chat"), "import io.focusmate.realtime.rooms.",
                "import io.focusmate.realtime.notifications."));
        assertEquals(List.of(), filesImporting(MAIN.resolve("notifications"), "import io.focusmate.realtime.rooms.",
                "import io.focusmate.realtime.chat."));
    }

    @Test
    void theSpisKnowNeitherTheFeaturesNorTheEngine() {
        Predicate<String> upward = line -> Stream.of("rooms.", "chat.", "notifications.", "internal.")
                .anyMatch(p -> line.startsWith("import io.focusmate.realtime." + p))
                && !line.startsWith("import io.focusmate.realtime.internal.pubsub."); // shared by every broker
        for (String spi : List.of("pubsub", "auth", "protocol", "limits")) {
            assertEquals(List.of(), filesWith(MAIN.resolve(spi), upward), spi);
        }
    }

    private static List<String> filesImporting(Path root, String... prefixes) {
        return filesWith(root, line -> Stream.of(prefixes).anyMatch(line::startsWith));
    }

    private static List<String> filesWith(Path root, Predicate<String> importLine) {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> lines(f).stream().anyMatch(importLine))
                    .map(f -> f.toString().replace('\\', '/'))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
