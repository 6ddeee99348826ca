package io.focusmate.realtime.launcher.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.launcher.logging.LogFormat;
import io.focusmate.realtime.launcher.logging.LogOutput;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LOG_FORMAT and --log-format: text or json, chosen before anything logs; anything else is one line and exit 2. */
class LogFormatSettingTest {
    @TempDir
    Path config;

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @AfterEach
    void backToText() {
        LogOutput.use(LogFormat.TEXT);
    }

    private int serve(Map<String, String> env, String... args) {
        Map<String, String> withHome = new HashMap<>(env);
        withHome.put("XDG_CONFIG_HOME", config.toString());
        return Main.run(args, withHome, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void aLogFormatOtherThanTextOrJsonIsOneLineAndExitCode2() {
        assertEquals(Exit.USAGE, serve(Map.of("LOG_FORMAT", "xml")));
        String text = err.toString(StandardCharsets.UTF_8).trim();
        assertEquals(List.of("error: LOG_FORMAT (--log-format) is \"xml\"; it must be text or json"),
                text.lines().toList());
    }

    @Test
    void theFlagWinsOverTheVariableAndIsCheckedToo() {
        assertEquals(Exit.USAGE, serve(Map.of("LOG_FORMAT", "json"), "serve", "--log-format=yaml", "--port", "x"));
        assertEquals("error: LOG_FORMAT (--log-format) is \"yaml\"; it must be text or json",
                err.toString(StandardCharsets.UTF_8).trim());
    }

    @Test
    void theFormatIsInForceBeforeTheFirstSettingIsRead() {
        assertEquals(Exit.USAGE, serve(Map.of("LOG_FORMAT", " JSON "), "--log-format", "json", "--port", "99999"));
        assertEquals(LogFormat.JSON, LogOutput.format());
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("error: PORT"), err.toString(StandardCharsets.UTF_8));
        assertEquals(Exit.USAGE, serve(Map.of(), "--port", "99999"));
        assertEquals(LogFormat.TEXT, LogOutput.format(), "text by default");
    }
}
