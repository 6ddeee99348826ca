package io.focusmate.realtime.launcher.cli;

/** Sets the launcher's log format before anything logs: one line per event, for SLF4J and for JUL (Tyrus, Grizzly). */
final class Logging {
    /** Held for the life of the process: JUL keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger GLASSFISH = java.util.logging.Logger.getLogger("org.glassfish");

    private Logging() {
    }

    static void configure() {
        setDefault("org.slf4j.simpleLogger.showDateTime", "true");
        setDefault("org.slf4j.simpleLogger.dateTimeFormat", "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
        setDefault("org.slf4j.simpleLogger.showThreadName", "false");
        setDefault("org.slf4j.simpleLogger.showShortLogName", "true");
        setDefault("org.slf4j.simpleLogger.levelInBrackets", "false");
        // Tyrus and Grizzly log through java.util.logging: one line, no stack trace, warnings and up.
        setDefault("java.util.logging.SimpleFormatter.format", "%1$tFT%1$tT.%1$tL%1$tz %4$s %3$s - %5$s%n");
        GLASSFISH.setLevel(java.util.logging.Level.WARNING);
    }

    private static void setDefault(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
