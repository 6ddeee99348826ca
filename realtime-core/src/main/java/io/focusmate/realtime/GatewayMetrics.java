package io.focusmate.realtime;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link Gateway}, readable by an embedding backend. Thread-safe; every counter only grows.
 */
public final class GatewayMetrics {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder invalidPayloadsDropped = new LongAdder();
    private final LongAdder queueOverflows = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();

    GatewayMetrics() {
    }

    void accepted() {
        accepted.increment();
    }

    void rejected() {
        rejected.increment();
    }

    void delivered() {
        delivered.increment();
    }

    void invalidPayloadDropped() {
        invalidPayloadsDropped.increment();
    }

    void queueOverflow() {
        queueOverflows.increment();
    }

    void idleTimeout() {
        idleTimeouts.increment();
    }

    /** Connections that passed authentication and limits. */
    public long acceptedConnections() {
        return accepted.sum();
    }

    /** Connections refused (authentication, connection limit, policy). */
    public long rejectedConnections() {
        return rejected.sum();
    }

    /** Channel messages queued to a client. */
    public long deliveredMessages() {
        return delivered.sum();
    }

    /** Channel payloads that were not server frames and were dropped. */
    public long invalidPayloadsDropped() {
        return invalidPayloadsDropped.sum();
    }

    /** Connections closed because their outbound queue overflowed. */
    public long queueOverflows() {
        return queueOverflows.sum();
    }

    /** Connections closed because they were silent past the idle timeout. */
    public long idleTimeouts() {
        return idleTimeouts.sum();
    }
}
