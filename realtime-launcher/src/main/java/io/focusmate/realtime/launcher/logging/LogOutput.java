package io.focusmate.realtime.launcher.logging;

/**
 * Where every log line of the launcher goes: {@code System.err} (looked up at each line, so a redirected stderr is
 * followed), in the format in force. Each event is written with one call, so lines from concurrent threads never
 * mix. Thread-safe.
 */
public final class LogOutput {
    /** The format in force; written by {@link #use} (the main thread, before anything logs), read by every logger. */
    private static volatile LogFormat format = LogFormat.TEXT;

    private LogOutput() {
    }

    /** Prints every later event in this format. */
    public static void use(LogFormat value) {
        format = value;
    }

    /** The format in force. */
    public static LogFormat format() {
        return format;
    }

    static void write(LogEvent event) {
        System.err.print(format.render(event));
    }
}
