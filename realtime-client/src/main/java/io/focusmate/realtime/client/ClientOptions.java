package io.focusmate.realtime.client;

import java.time.Duration;
import java.util.Objects;

/**
 * How a client keeps its connections alive. Immutable; start from {@link #defaults()} and change with the
 * {@code with} methods.
 *
 * @param pingInterval how often a connected client sends {@code {"type":"ping"}} (default 30 s)
 * @param pongTimeout after a ping, how long without any frame means the socket is dead: it is closed and a new one
 *     opened (default 10 s)
 * @param backoffBase the ceiling of the first retry's delay (default 1 s); attempt n waits a random time between 0
 *     and {@code min(backoffBase * 2^(n-1), backoffCap)} (full jitter)
 * @param backoffCap the largest ceiling (default 30 s)
 * @param maxAttempts how many failed attempts in a row before the connection stops; 0 (the default) never stops
 * @param connectTimeout how long to wait for the socket to open, and then for the endpoint's first frame
 *     ({@code connected}, or {@code room_state}) (default 10 s)
 * @param tokenInHeader send the token as {@code Authorization: Bearer ...} instead of the {@code token} query
 *     parameter (default false: the query, which every gateway and proxy passes; the header keeps the token out of
 *     URLs and access logs, see docs/protocol.md section 3)
 */
public record ClientOptions(Duration pingInterval, Duration pongTimeout, Duration backoffBase, Duration backoffCap,
                            int maxAttempts, Duration connectTimeout, boolean tokenInHeader) {
    private static final ClientOptions DEFAULTS = new ClientOptions(Duration.ofSeconds(30), Duration.ofSeconds(10),
            Duration.ofSeconds(1), Duration.ofSeconds(30), 0, Duration.ofSeconds(10), false);

    /** Checks the values. */
    public ClientOptions {
        positive("pingInterval", pingInterval);
        positive("pongTimeout", pongTimeout);
        positive("backoffBase", backoffBase);
        positive("backoffCap", backoffCap);
        positive("connectTimeout", connectTimeout);
        if (backoffCap.compareTo(backoffBase) < 0) {
            throw new IllegalArgumentException("backoffCap " + backoffCap + " is below backoffBase " + backoffBase);
        }
        if (maxAttempts < 0) {
            throw new IllegalArgumentException("maxAttempts is 0 (no limit) or more: " + maxAttempts);
        }
    }

    /** The defaults: ping every 30 s, pong timeout 10 s, backoff 1 s to 30 s, no attempt limit, connect in 10 s. */
    public static ClientOptions defaults() {
        return DEFAULTS;
    }

    /** These options with another ping interval and pong timeout. */
    public ClientOptions withHeartbeat(Duration pingInterval, Duration pongTimeout) {
        return new ClientOptions(pingInterval, pongTimeout, backoffBase, backoffCap, maxAttempts, connectTimeout,
                tokenInHeader);
    }

    /** These options with another backoff base and cap. */
    public ClientOptions withBackoff(Duration backoffBase, Duration backoffCap) {
        return new ClientOptions(pingInterval, pongTimeout, backoffBase, backoffCap, maxAttempts, connectTimeout,
                tokenInHeader);
    }

    /** These options with another attempt limit (0: none). */
    public ClientOptions withMaxAttempts(int maxAttempts) {
        return new ClientOptions(pingInterval, pongTimeout, backoffBase, backoffCap, maxAttempts, connectTimeout,
                tokenInHeader);
    }

    /** These options with another connect timeout. */
    public ClientOptions withConnectTimeout(Duration connectTimeout) {
        return new ClientOptions(pingInterval, pongTimeout, backoffBase, backoffCap, maxAttempts, connectTimeout,
                tokenInHeader);
    }

    /** These options with the token sent in the {@code Authorization} header ({@code true}) or the query. */
    public ClientOptions withTokenInHeader(boolean tokenInHeader) {
        return new ClientOptions(pingInterval, pongTimeout, backoffBase, backoffCap, maxAttempts, connectTimeout,
                tokenInHeader);
    }

    private static void positive(String name, Duration value) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }
}
