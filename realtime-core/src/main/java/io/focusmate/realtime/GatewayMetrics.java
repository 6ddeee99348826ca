package io.focusmate.realtime;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counters of one {@link Gateway}, readable by an embedding backend and exported by {@link PrometheusText}.
 * Thread-safe; every counter only grows. Label values are bounded: frame types outside the protocol count as
 * {@code other}.
 */
public final class GatewayMetrics {
    /** The frame types of the protocol; any other type is counted as {@code other}. */
    static final Set<String> KNOWN_TYPES = Set.of("connected", "pong", "error", "subscribed", "unsubscribed",
            "notification", "room_state", "participant_joined", "participant_left", "participant_count",
            "timer_updated", "settings_updated", "history", "message", "typing", "read", "ping", "subscribe",
            "unsubscribe",
            "timer_start", "timer_pause", "timer_resume", "timer_reset", "update_settings", "invalid", "binary");
    /** Upper bounds of the delivery latency histogram, in seconds. */
    static final double[] LATENCY_BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};

    private final Map<String, LongAdder> opened = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> rejected = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> closed = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> framesIn = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> framesOut = new ConcurrentHashMap<>();
    private final LongAdder delivered = new LongAdder();
    private final LongAdder invalidPayloadsDropped = new LongAdder();
    private final LongAdder queueOverflows = new LongAdder();
    private final LongAdder idleTimeouts = new LongAdder();
    private final LongAdder publishErrors = new LongAdder();
    private final LongAdder[] latencyBuckets = new LongAdder[LATENCY_BUCKETS.length];
    private final LongAdder latencyCount = new LongAdder();
    /** Sum of observed latencies in microseconds. */
    private final LongAdder latencySumMicros = new LongAdder();

    GatewayMetrics() {
        for (int i = 0; i < latencyBuckets.length; i++) {
            latencyBuckets[i] = new LongAdder();
        }
    }

    static String typeLabel(String type) {
        return KNOWN_TYPES.contains(type) ? type : "other";
    }

    private static void add(Map<String, LongAdder> counters, String key, long n) {
        counters.computeIfAbsent(key, k -> new LongAdder()).add(n);
    }

    void accepted(EndpointKind endpoint) {
        add(opened, endpoint.label(), 1);
    }

    void rejected(EndpointKind endpoint, String reason) {
        add(rejected, endpoint.label() + "|" + reason, 1);
    }

    void closed(EndpointKind endpoint, int code) {
        add(closed, endpoint.label() + "|" + code, 1);
    }

    void frameIn(EndpointKind endpoint, String type) {
        add(framesIn, endpoint.label() + "|" + typeLabel(type), 1);
    }

    void frameOut(String type) {
        add(framesOut, typeLabel(type), 1);
    }

    /** {@code count} deliveries of one channel message, stamped {@code latencyMillis} ago (or -1 when unstamped). */
    void delivered(int count, long latencyMillis) {
        if (count <= 0) {
            return;
        }
        delivered.add(count);
        if (latencyMillis >= 0) {
            double seconds = latencyMillis / 1000.0;
            for (int i = 0; i < LATENCY_BUCKETS.length; i++) {
                if (seconds <= LATENCY_BUCKETS[i]) {
                    latencyBuckets[i].add(count);
                }
            }
            latencyCount.add(count);
            latencySumMicros.add(latencyMillis * 1000 * count);
        }
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

    void publishError() {
        publishErrors.increment();
    }

    /** Connections that passed authentication and limits, on every endpoint. */
    public long acceptedConnections() {
        return opened.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Connections refused (authentication, connection limit, policy), on every endpoint. */
    public long rejectedConnections() {
        return rejected.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Channel messages queued to clients (one per receiving connection). */
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

    /** Publishes the broker refused. */
    public long publishErrors() {
        return publishErrors.sum();
    }

    /** Deliveries with a publish stamp, observed in the latency histogram. */
    public long latencyCount() {
        return latencyCount.sum();
    }

    // --- for PrometheusText ---

    Map<String, LongAdder> openedByEndpoint() {
        return opened;
    }

    Map<String, LongAdder> rejectedByEndpointAndReason() {
        return rejected;
    }

    Map<String, LongAdder> closedByEndpointAndCode() {
        return closed;
    }

    Map<String, LongAdder> framesInByEndpointAndType() {
        return framesIn;
    }

    Map<String, LongAdder> framesOutByType() {
        return framesOut;
    }

    long latencyBucket(int index) {
        return latencyBuckets[index].sum();
    }

    double latencySumSeconds() {
        return latencySumMicros.sum() / 1_000_000.0;
    }
}
