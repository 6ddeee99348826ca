package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.testkit.TestTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Operations acceptance 5: no token appears in the logs of the whole test suite. It runs after every module's unit
 * and integration tests have written their output (the launcher is the last module, and this runs in its
 * integration-test phase), and looks for anything shaped like a JWT, or the test secret, in all of it.
 */
class LogsContainNoTokensIT {
    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]{5,}\\.eyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]*");

    @Test
    void noLogOfTheTestSuiteContainsATokenOrTheSecret() throws IOException {
        List<Path> logs = new ArrayList<>();
        for (String module : List.of("../realtime-core", "../realtime-jakarta", ".")) {
            for (String reports : List.of("target/surefire-reports", "target/failsafe-reports")) {
                Path dir = Path.of(module, reports);
                if (Files.isDirectory(dir)) {
                    try (Stream<Path> files = Files.list(dir)) {
                        files.filter(f -> f.toString().endsWith("-output.txt")).forEach(logs::add);
                    }
                }
            }
        }
        assertTrue(logs.size() >= 10, "expected the suite's captured output, found " + logs);
        List<String> leaks = new ArrayList<>();
        for (Path log : logs) {
            String text = Files.readString(log);
            Matcher matcher = JWT.matcher(text);
            while (matcher.find()) {
                leaks.add(log.getFileName() + ": " + matcher.group().substring(0, 20) + "...");
            }
            if (text.contains(io.focusmate.realtime.testkit.TestTokens.SECRET)) {
                leaks.add(log.getFileName() + ": the JWT secret");
            }
        }
        assertEquals(List.of(), leaks);
    }
}
