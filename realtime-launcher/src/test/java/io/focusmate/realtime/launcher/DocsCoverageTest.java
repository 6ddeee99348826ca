package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.launcher.cli.Setting;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The contracts (docs/protocol.md, docs/operations.md) and the README name everything the code sends or reads. */
class DocsCoverageTest {
    /** The items whose expected text ({@code asWritten}) the document at {@code path} lacks. */
    private static <T> List<String> missing(String path, T[] items, Function<T, String> asWritten) throws IOException {
        String doc = Files.readString(Path.of("..").resolve(path));
        return Stream.of(items).map(asWritten).filter(text -> !doc.contains(text)).toList();
    }

    @Test
    void everyCloseCodeTheGatewaySendsIsInTheProtocolsCloseCodeTable() throws IOException {
        assertEquals(List.of(), missing("docs/protocol.md", CloseCode.values(),
                close -> "| " + close.code() + " | `" + close.reason() + "` |"));
    }

    @Test
    void everyErrorCodeIsInTheProtocolsErrorTable() throws IOException {
        assertEquals(List.of(), missing("docs/protocol.md", ErrorCode.values(), code -> "| `" + code.name() + "` |"));
    }

    @Test
    void everyLauncherSettingIsInTheOperationsGuide() throws IOException {
        assertEquals(List.of(), missing("docs/operations.md", Setting.values(), setting -> "`" + setting.name() + "`"));
    }

    @Test
    void everyLauncherSettingIsInTheReadmesTable() throws IOException {
        assertEquals(List.of(), missing("README.md", Setting.values(), setting -> "`" + setting.name() + "`"));
    }
}
