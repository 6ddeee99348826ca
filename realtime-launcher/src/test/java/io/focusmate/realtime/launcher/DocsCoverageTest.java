package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.launcher.cli.Setting;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The two contracts, docs/protocol.md and docs/operations.md, name everything the code can send or read. */
class DocsCoverageTest {
    private static String doc(String name) throws IOException {
        return Files.readString(Path.of("..", "docs", name));
    }

    @Test
    void everyCloseCodeTheGatewaySendsIsInTheProtocolsCloseCodeTable() throws IOException {
        String protocol = doc("protocol.md");
        List<String> missing = new ArrayList<>();
        for (CloseCode close : CloseCode.values()) {
            if (!protocol.contains("| " + close.code() + " | `" + close.reason() + "` |")) {
                missing.add(close.code() + " " + close.reason());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyErrorCodeIsInTheProtocolsErrorTable() throws IOException {
        String protocol = doc("protocol.md");
        List<String> missing = new ArrayList<>();
        for (ErrorCode code : ErrorCode.values()) {
            if (!protocol.contains("| `" + code.name() + "` |")) {
                missing.add(code.name());
            }
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void everyLauncherSettingIsInTheOperationsGuide() throws IOException {
        String operations = doc("operations.md");
        List<String> missing = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            if (!operations.contains("`" + setting.name() + "`")) {
                missing.add(setting.name());
            }
        }
        assertEquals(List.of(), missing);
    }
}
