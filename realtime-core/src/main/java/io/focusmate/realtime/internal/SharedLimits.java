package io.focusmate.realtime.internal;

import io.focusmate.realtime.limits.ConnectionLease;
import io.focusmate.realtime.limits.UserLimits;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's side of {@link UserLimits}: the caller's clock, and the fallbacks when the limits' broker fails. A
 * failed connection check admits (the instance's own count was already checked); a failed rate check lets the
 * message through; a failed renewal or release is left to the lease's expiry. Each kind of failure is logged at
 * most once a minute. Thread-safe.
 */
public final class SharedLimits {
    private static final Logger LOG = LoggerFactory.getLogger(SharedLimits.class);
    private static final long LOG_EVERY_NANOS = TimeUnit.MINUTES.toNanos(1);

    private final UserLimits limits;
    private final Clock clock;
    /** Any thread: System.nanoTime of the last logged connection-limit failure (0: never). */
    private final AtomicLong connectionLogged = new AtomicLong();
    /** Any thread: System.nanoTime of the last logged rate-limit failure (0: never). */
    private final AtomicLong rateLogged = new AtomicLong();

    SharedLimits(UserLimits limits, Clock clock) {
        this.limits = limits;
        this.clock = clock;
    }

    /** Whether calls answer without I/O (see {@link UserLimits#inProcess()}). */
    boolean inProcess() {
        return limits.inProcess();
    }

    /** Takes a place for the connection; true when the limits' broker fails. */
    boolean acquire(ConnectionLease lease, int max, long leaseMs) {
        try {
            return limits.acquireConnection(lease, max, clock.millis(), leaseMs);
        } catch (RuntimeException e) {
            failed(connectionLogged, "Connection limit check failed ({}); counting this instance's connections only"
                    + " until it works again", e);
            return true;
        }
    }

    /** Takes a place for each connection, in order; returns the refused ones (none when the limits' broker fails). */
    List<ConnectionLease> acquireAll(List<ConnectionLease> leases, int max, long leaseMs) {
        try {
            return limits.acquireConnections(leases, max, clock.millis(), leaseMs);
        } catch (RuntimeException e) {
            failed(connectionLogged, "Connection limit check failed ({}); counting this instance's connections only"
                    + " until it works again", e);
            return List.of();
        }
    }

    /** Extends the leases; returns the ones no longer held (none when the broker fails: they are tried next time). */
    List<ConnectionLease> renew(Collection<ConnectionLease> leases, long leaseMs) {
        try {
            return limits.renewConnections(leases, clock.millis(), leaseMs);
        } catch (RuntimeException e) {
            failed(connectionLogged, "Connection lease renewal failed ({}); it is retried", e);
            return List.of();
        }
    }

    /** Drops the leases; on a failure they expire by themselves. */
    void releaseAll(List<ConnectionLease> leases) {
        try {
            limits.releaseConnections(leases);
        } catch (RuntimeException e) {
            failed(connectionLogged, "Connection lease release failed ({}); the lease expires by itself", e);
        }
    }

    /** Drops the lease; on a failure it expires by itself. */
    void release(ConnectionLease lease) {
        try {
            limits.releaseConnection(lease);
        } catch (RuntimeException e) {
            failed(connectionLogged, "Connection lease release failed ({}); the lease expires by itself", e);
        }
    }

    /**
     * Whether the user may do one more {@code bucket} thing now, at {@code perSecond} with bursts of twice that (at
     * least 1); always true when {@code perSecond} is 0 (no limit) or the limits' broker fails.
     */
    public boolean allow(String bucket, String userId, double perSecond) {
        if (perSecond <= 0) {
            return true;
        }
        try {
            return limits.tryAcquire(bucket, userId, perSecond, burst(perSecond), clock.millis());
        } catch (RuntimeException e) {
            failed(rateLogged, "Rate limit check failed ({}); letting messages through until it works again", e);
            return true;
        }
    }

    /** The burst of a rate: twice the rate, at least 1. */
    static int burst(double perSecond) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, Math.floor(perSecond * 2)));
    }

    private static void failed(AtomicLong logged, String message, RuntimeException e) {
        long now = System.nanoTime();
        long last = logged.get();
        if ((last == 0 || now - last >= LOG_EVERY_NANOS) && logged.compareAndSet(last, now == 0 ? 1 : now)) {
            LOG.warn(message, e.toString());
        }
    }
}
