package io.focusmate.realtime.client.internal;

/** What a client does after a close, by close code (docs/protocol.md section 12). Stateless. */
public enum ReconnectPolicy {
    /** Do not reconnect: 1000, 1003 and 1008. The cause must be fixed first. */
    STOP,
    /** Reconnect at once with a new token: 4003 {@code Token expired}. */
    AT_ONCE,
    /** Reconnect after a backoff delay: every other code (1001, 1006, 1011, 1012, 4000, 4001, 4008, ...). */
    BACKOFF;

    /** The policy for {@code closeCode}. */
    public static ReconnectPolicy of(int closeCode) {
        return switch (closeCode) {
            case 1000, 1003, 1008 -> STOP;
            case 4003 -> AT_ONCE;
            default -> BACKOFF;
        };
    }
}
