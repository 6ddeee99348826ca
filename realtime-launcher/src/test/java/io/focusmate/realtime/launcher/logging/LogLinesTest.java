package io.focusmate.realtime.launcher.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The launcher's log lines, through the real SLF4J API (the launcher's provider is the only one bound). */
class LogLinesTest {
    private static final Logger ENGINE = LoggerFactory.getLogger("io.focusmate.realtime.internal.Engine");
    private static final ObjectMapper JSON = new ObjectMapper();

    @AfterEach
    void backToText() {
        LogOutput.use(LogFormat.TEXT);
    }

    /** What {@code action} writes to stderr. */
    private static String stderr(Runnable action) {
        PrintStream original = System.err;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(original);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static void refusal() {
        ENGINE.atInfo().setMessage("Refused connection").addKeyValue("endpoint", "notifications")
                .addKeyValue("connection", 7).addKeyValue("reason", "token expired").log();
    }

    @Test
    void theLauncherBindsItsOwnProvider() {
        assertInstanceOf(LineLoggerFactory.class, LoggerFactory.getILoggerFactory());
    }

    @Test
    void textPrintsTheKeyValuesAfterTheMessageQuotingValuesWithSpaces() {
        String line = stderr(LogLinesTest::refusal);
        assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}(Z|[+-]\\d\\d:\\d\\d) INFO Engine - "
                + "Refused connection endpoint=notifications connection=7 reason=\"token expired\"\\R"), line);
    }

    @Test
    void textEscapesQuotesBackslashesAndLineBreaksInsideQuotedValues() {
        String line = stderr(() -> ENGINE.atWarn().setMessage("Odd {}").addArgument("input")
                .addKeyValue("origin", "say \"hi\"\\\nthen=go").addKeyValue("empty", "").addKeyValue("user", "al=ice")
                .log());
        assertTrue(line.endsWith(" WARN Engine - Odd input origin=\"say \\\"hi\\\"\\\\\\nthen=go\" empty=\"\" "
                + "user=\"al=ice\"" + System.lineSeparator()), line);
        assertEquals(1, line.lines().count(), line);
    }

    @Test
    void textKeepsTheStackTraceOfAnError() {
        String text = stderr(() -> ENGINE.error("Failed to handle a {} frame", "ping", new IllegalStateException("x")));
        assertTrue(text.lines().findFirst().orElseThrow().endsWith("ERROR Engine - Failed to handle a ping frame"), text);
        assertTrue(text.contains("java.lang.IllegalStateException: x") && text.contains("\tat "), text);
    }

    @Test
    void jsonIsOneObjectPerLineWithTheKeyValuesAsFields() throws IOException {
        LogOutput.use(LogFormat.JSON);
        String line = stderr(LogLinesTest::refusal);
        assertEquals(1, line.lines().count(), line);
        JsonNode json = JSON.readTree(line);
        assertTrue(json.path("timestamp").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"), line);
        assertEquals("INFO", json.path("level").asText());
        assertEquals("io.focusmate.realtime.internal.Engine", json.path("logger").asText());
        assertEquals("Refused connection", json.path("message").asText());
        assertEquals("notifications", json.path("endpoint").asText());
        assertTrue(json.path("connection").isIntegralNumber(), line);
        assertEquals(7, json.path("connection").asInt());
        assertEquals("token expired", json.path("reason").asText());
    }

    @Test
    void jsonGivesAnExceptionItsClassAndMessageAndNoStackTrace() throws IOException {
        LogOutput.use(LogFormat.JSON);
        String line = stderr(() -> ENGINE.atError().setMessage("Failed \"é\"").setCause(new IOException("boom\nbang"))
                .addKeyValue("message", "clash").log());
        assertEquals(1, line.lines().count(), line);
        assertFalse(line.contains("\tat ") || line.contains("LogLinesTest"), line);
        JsonNode json = JSON.readTree(line);
        assertEquals("Failed \"é\"", json.path("message").asText());
        assertEquals("clash", json.path("_message").asText(), "a field named like a fixed member is kept aside");
        assertEquals("java.io.IOException", json.path("exception").path("class").asText());
        assertEquals("boom\nbang", json.path("exception").path("message").asText());
    }

    @Test
    void julRecordsGoThroughTheSameFormatOnOneLine() throws IOException {
        LogRecord record = new LogRecord(Level.WARNING, "Connection {0} failed");
        record.setParameters(new Object[] {"c1"});
        record.setLoggerName("org.glassfish.grizzly.nio.transport.TCPNIOTransport");
        record.setThrown(new IOException("reset"));
        String text = stderr(() -> new JulBridge().publish(record));
        assertTrue(text.endsWith(" WARN TCPNIOTransport - Connection c1 failed exception=\"java.io.IOException: reset\""
                + System.lineSeparator()), text);
        assertEquals(1, text.lines().count(), text);
        LogOutput.use(LogFormat.JSON);
        JsonNode json = JSON.readTree(stderr(() -> new JulBridge().publish(record)));
        assertEquals("WARN", json.path("level").asText());
        assertEquals("Connection c1 failed", json.path("message").asText());
        assertEquals("java.io.IOException", json.path("exception").path("class").asText());
    }

    @Test
    void levelsComeFromTheSlf4jSimplePropertiesOperatorsAlreadyPass() {
        String name = "io.focusmate.realtime.redis.RedisPubSub";
        assertEquals(org.slf4j.event.Level.INFO.toInt(), LineLoggerFactory.levelOf(name));
        System.setProperty(LineLoggerFactory.LEVEL_PREFIX + "io.focusmate.realtime.redis", "debug");
        System.setProperty(LineLoggerFactory.DEFAULT_LEVEL, "warn");
        try {
            assertEquals(org.slf4j.event.Level.DEBUG.toInt(), LineLoggerFactory.levelOf(name));
            assertEquals(org.slf4j.event.Level.WARN.toInt(), LineLoggerFactory.levelOf("io.focusmate.realtime.Gateway"));
        } finally {
            System.clearProperty(LineLoggerFactory.LEVEL_PREFIX + "io.focusmate.realtime.redis");
            System.clearProperty(LineLoggerFactory.DEFAULT_LEVEL);
        }
        assertFalse(LoggerFactory.getLogger("quiet.Test").isDebugEnabled());
    }
}
