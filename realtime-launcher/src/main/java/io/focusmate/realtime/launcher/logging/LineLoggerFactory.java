package io.focusmate.realtime.launcher.logging;

import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * Makes one {@link LineLogger} per name. Levels come from the system properties slf4j-simple used (the launcher bound
 * it before, and operators' command lines keep working): {@code org.slf4j.simpleLogger.log.NAME} for a logger and
 * the names under it, the nearest one winning, else {@code org.slf4j.simpleLogger.defaultLogLevel}, else info. A level
 * is {@code trace}, {@code debug}, {@code info}, {@code warn}, {@code error} or {@code off}. Thread-safe.
 */
final class LineLoggerFactory implements ILoggerFactory {
    static final String LEVEL_PREFIX = "org.slf4j.simpleLogger.log.";
    static final String DEFAULT_LEVEL = "org.slf4j.simpleLogger.defaultLogLevel";

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, n -> new LineLogger(n, levelOf(n)));
    }

    /** The level of a logger name, as an SLF4J level number ({@code Integer.MAX_VALUE} for off). */
    static int levelOf(String name) {
        for (String prefix = name; ; prefix = prefix.substring(0, prefix.lastIndexOf('.'))) {
            String configured = System.getProperty(LEVEL_PREFIX + prefix);
            if (configured != null) {
                return parse(configured);
            }
            if (prefix.lastIndexOf('.') < 0) {
                break;
            }
        }
        String fallback = System.getProperty(DEFAULT_LEVEL);
        return fallback == null ? Level.INFO.toInt() : parse(fallback);
    }

    private static int parse(String level) {
        return switch (level.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> Level.TRACE.toInt();
            case "debug" -> Level.DEBUG.toInt();
            case "warn" -> Level.WARN.toInt();
            case "error" -> Level.ERROR.toInt();
            case "off" -> Integer.MAX_VALUE;
            default -> Level.INFO.toInt();
        };
    }
}
