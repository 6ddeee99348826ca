package io.focusmate.realtime.internal;

import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.internal.protocol.ServerFrames;
import io.focusmate.realtime.protocol.CloseCode;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches every connection for liveness on one thread, {@code realtime-heartbeat}. Anything from the client (a
 * frame, its JSON {@code ping}, or a pong to our ping frames) counts as life. A connection quiet for the ping
 * interval gets a WebSocket ping frame, which browsers answer by themselves; one quiet past the idle timeout is
 * closed with 4000. A connection that has not finished closing within the close grace is cut and released.
 * A connection whose token expires within the refresh window is sent {@code token_expiring} once per expiry, and
 * one still unrefreshed at its expiry is closed with 4003.
 * It calls only the sessions, never back into the engine.
 */
final class HeartbeatMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(HeartbeatMonitor.class);

    private final Clock clock;
    private final SessionRegistry registry;
    private final GatewayMetrics metrics;
    private final long pingMillis;
    private final long idleMillis;
    private final long graceMillis;
    private final long refreshWindowMillis;
    private final ScheduledExecutorService timer;

    HeartbeatMonitor(Clock clock, SessionRegistry registry, GatewayMetrics metrics, GatewayConfig config) {
        this.clock = clock;
        this.registry = registry;
        this.metrics = metrics;
        this.pingMillis = config.heartbeatInterval().toMillis();
        this.idleMillis = config.idleTimeout().toMillis();
        this.graceMillis = config.closeGrace().toMillis();
        this.refreshWindowMillis = config.tokenRefreshWindow().toMillis();
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "realtime-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Warns a connection whose token expires soon; closes one whose token expired and returns true. */
    private boolean expired(Session connection, long now) {
        long expiry = connection.expiresAtMillis();
        if (expiry == 0) {
            return false;
        }
        if (now >= expiry) {
            SecurityLog.expired(connection);
            connection.closeWhenDrained(CloseCode.TOKEN_EXPIRED);
            return true;
        }
        if (now >= expiry - refreshWindowMillis && connection.warnExpiry(expiry)) {
            connection.send(ServerFrames.tokenExpiring(expiry));
        }
        return false;
    }

    /** How often the connections are checked: a tenth of the shortest timing, between 10 ms and 1 s. */
    static Duration sweepPeriod(GatewayConfig config) {
        long shortest = Math.min(config.idleTimeout().toMillis(), config.closeGrace().toMillis());
        if (!config.heartbeatInterval().isZero()) {
            shortest = Math.min(shortest, config.heartbeatInterval().toMillis());
        }
        return Duration.ofMillis(Math.max(10, Math.min(1_000, shortest / 10)));
    }

    void start(Duration period) {
        timer.scheduleWithFixedDelay(this::sweepSafely, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    void stop() {
        timer.shutdownNow();
    }

    private void sweepSafely() {
        try {
            sweep(clock.millis());
        } catch (RuntimeException e) {
            LOG.error("Heartbeat sweep failed; it runs again at the next tick", e);
        }
    }

    /** Checks every connection once against the time {@code now}. */
    void sweep(long now) {
        for (Session connection : registry.all()) {
            long closingSince = connection.closingSinceMillis();
            if (closingSince != 0) {
                if (now - closingSince >= graceMillis && !connection.closeNow(connection.closing())) {
                    connection.onClosed(CloseCode.INTERNAL_ERROR.code()); // the close never completed: release it
                }
                continue;
            }
            if (expired(connection, now)) {
                continue;
            }
            long idle = now - connection.lastSeenMillis();
            if (idle >= idleMillis) {
                metrics.idleTimeout();
                LOG.info("Closing an idle connection: {}", connection);
                connection.closeNow(CloseCode.IDLE_TIMEOUT);
            } else if (pingMillis > 0 && idle >= pingMillis && now - connection.lastPingMillis() >= pingMillis) {
                connection.pinged(now);
                connection.ping();
            }
        }
    }
}
