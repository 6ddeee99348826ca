package io.focusmate.realtime.launcher.cli;

import org.slf4j.LoggerFactory;

/**
 * SIGTERM as a graceful drain. The JVM's own handling of SIGTERM runs the shutdown hooks and exits with 143; an
 * orchestrator stopping the process wants a drain and exit code 0, so SIGTERM gets its own handler (through the
 * JDK's {@code sun.misc.Signal}, in {@code jdk.unsupported}). SIGINT (Ctrl-C) keeps the quick stop.
 */
final class Signals {
    private Signals() {
    }

    /** Runs {@code drain} on its own thread when the process gets SIGTERM; without the JDK API, nothing changes. */
    @SuppressWarnings("removal")
    static void onTerm(Runnable drain) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("TERM"),
                    signal -> new Thread(drain, "realtime-drain").start());
        } catch (IllegalArgumentException | UnsupportedOperationException | LinkageError e) {
            LoggerFactory.getLogger(Signals.class).warn("SIGTERM cannot be handled here ({}); it stops at once",
                    e.toString());
        }
    }
}
