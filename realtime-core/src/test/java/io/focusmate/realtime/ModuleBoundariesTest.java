package io.focusmate.realtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The core stays framework-agnostic: no container types, and Jedis only behind the redis package. */
class ModuleBoundariesTest {
    private static final Path MAIN = Path.of("src", "main", "java");

    @Test
    void theCoreImportsNoJakartaTyrusOrGrizzlyType() throws IOException {
        assertEquals(List.of(), filesImporting("import jakarta.", "import org.glassfish."));
    }

    @Test
    void onlyTheRedisPackageImportsJedis() throws IOException {
        List<String> offenders = filesImporting("import redis.clients.").stream()
                .filter(file -> !file.contains("/realtime/redis/"))
                .toList();
        assertEquals(List.of(), offenders);
    }

    private static List<String> filesImporting(String... prefixes) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN)) {
            return files.filter(f -> f.toString().endsWith(".java"))
                    .filter(f -> {
                        try {
                            return Files.readAllLines(f).stream()
                                    .anyMatch(line -> Stream.of(prefixes).anyMatch(line::startsWith));
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .map(f -> f.toString().replace('\\', '/'))
                    .toList();
        }
    }
}
