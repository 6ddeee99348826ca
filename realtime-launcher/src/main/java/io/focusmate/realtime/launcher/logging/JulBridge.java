package io.focusmate.realtime.launcher.logging;

import java.time.Instant;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Sends {@code java.util.logging} records (Grizzly logs there) through the launcher's format, as SLF4J
 * levels; in text they stay on one line, with the exception's class and message but no stack trace. Thread-safe.
 */
public final class JulBridge extends Handler {
    private final SimpleFormatter messages = new SimpleFormatter();

    JulBridge() {
    }

    /** Replaces the handlers of JUL's root logger with this bridge. */
    public static void install() {
        Logger root = LogManager.getLogManager().getLogger("");
        for (Handler handler : root.getHandlers()) {
            root.removeHandler(handler);
        }
        root.addHandler(new JulBridge());
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !isLoggable(record)) {
            return;
        }
        String logger = record.getLoggerName() == null ? "jul" : record.getLoggerName();
        LogOutput.write(new LogEvent(Instant.ofEpochMilli(record.getMillis()), level(record.getLevel()), logger,
                Thread.currentThread().getName(), String.valueOf(messages.formatMessage(record)), List.of(),
                record.getThrown(), false));
    }

    /** JUL's level as SLF4J names it. */
    static String level(Level level) {
        int value = level.intValue();
        if (value >= Level.SEVERE.intValue()) {
            return "ERROR";
        } else if (value >= Level.WARNING.intValue()) {
            return "WARN";
        } else if (value >= Level.INFO.intValue()) {
            return "INFO";
        } else if (value >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    @Override
    public void flush() {
        System.err.flush();
    }

    @Override
    public void close() {
        // stderr stays open
    }
}
