package io.focusmate.realtime.launcher.cli;

/** The launcher's exit codes, as README and docs/operations.md list them. */
public final class Exit {
    /** Done. */
    public static final int OK = 0;
    /** An unexpected failure (please report it). */
    public static final int FAILED = 1;
    /** A bad setting or command line; one line on stderr says what to fix. */
    public static final int USAGE = 2;
    /** {@code publish}: the server refused the message (an HTTP 4xx). */
    public static final int REFUSED = 3;
    /** {@code publish}: the message was not published (broker down, server or Redis unreachable, no answer). */
    public static final int NOT_PUBLISHED = 4;

    private Exit() {
    }
}
