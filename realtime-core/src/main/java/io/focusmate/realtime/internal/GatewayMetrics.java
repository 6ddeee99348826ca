package io.focusmate.realtime.internal;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.pubsub.BrokerHealth;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The meters of one gateway, in the embedder's Micrometer {@link MeterRegistry}. The names are Micrometer's dotted
 * form of those docs/operations.md lists ({@code realtime.connections.opened} is scraped by Prometheus as
 * {@code realtime_connections_opened_total}). Label values are bounded: frame types outside the protocol count as
 * {@code other}. Thread-safe; counters only grow.
 */
public final class GatewayMetrics {
    /** The frame types of the protocol; any other type is counted as {@code other}. */
    static final Set<String> KNOWN_TYPES = Set.of("connected", "pong", "error", "subscribed", "unsubscribed",
            "notification", "room_state", "participant_joined", "participant_left", "participant_count",
            "timer_updated", "settings_updated", "history", "message", "typing", "read", "ping", "subscribe",
            "unsubscribe",
            "timer_start", "timer_pause", "timer_resume", "timer_reset", "update_settings", "invalid", "binary",
            "refresh", "refreshed", "token_expiring", "rate_limited");
    /** Upper bounds of the delivery latency histogram. */
    static final Duration[] LATENCY_BUCKETS = {millis(1), Duration.ofNanos(2_500_000), millis(5), millis(10),
        millis(25), millis(50), millis(100), millis(250), millis(500), millis(1000), millis(2500), millis(5000),
        millis(10_000)};
    /** The broker states, each a series of {@code realtime.broker.state}. */
    static final String[] BROKER_STATES = {"up", "connecting", "down", "deaf", "closed"};

    private final MeterRegistry registry;
    /** Meters with labels, made on first use; the label values are bounded, so these maps are too. */
    private final Map<String, Counter> labelled = new ConcurrentHashMap<>();
    /** Frames out by type, and in by endpoint and type: the hot paths, looked up without building a key. */
    private final Map<String, Counter> framesOut = new ConcurrentHashMap<>();
    private final Map<EndpointKind, Map<String, Counter>> framesIn = new EnumMap<>(EndpointKind.class);
    /** The shards whose gauges are registered; any scrape thread adds. */
    private final Set<String> shards = ConcurrentHashMap.newKeySet();
    private final Counter delivered;
    private final Counter invalidPayloadsDropped;
    private final Counter queueOverflows;
    private final Counter idleTimeouts;
    private final Counter publishErrors;
    private final Timer latency;

    /** The meters in this registry. */
    public GatewayMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (EndpointKind endpoint : EndpointKind.values()) {
            framesIn.put(endpoint, new ConcurrentHashMap<>());
        }
        this.delivered = counter("realtime.messages.delivered",
                "Channel messages queued to clients, one per receiving connection.");
        this.invalidPayloadsDropped = counter("realtime.invalid.payloads.dropped",
                "Channel payloads dropped because they were not server frames.");
        this.queueOverflows = counter("realtime.queue.overflows",
                "Connections closed as slow consumers (outbound queue overflow).");
        this.idleTimeouts = counter("realtime.idle.timeouts", "Connections closed as idle.");
        this.publishErrors = counter("realtime.broker.publish.errors", "Publishes the broker refused.");
        this.latency = Timer.builder("realtime.delivery.latency")
                .description("From the publisher's stamp (ts) to the queueing of the frame to a client.")
                .serviceLevelObjectives(LATENCY_BUCKETS)
                .register(registry);
    }

    private static Duration millis(long ms) {
        return Duration.ofMillis(ms);
    }

    private Counter counter(String name, String help) {
        return Counter.builder(name).description(help).register(registry);
    }

    private Counter labelled(String name, String help, String... tags) {
        return labelled.computeIfAbsent(name + String.join("|", tags),
                key -> Counter.builder(name).description(help).tags(tags).register(registry));
    }

    static String typeLabel(String type) {
        return KNOWN_TYPES.contains(type) ? type : "other";
    }

    /** Registers the gauges of open connections per endpoint, read from {@code counts} at each scrape. */
    <T> void connectionGauges(T source, BiFunction<T, EndpointKind, Integer> counts) {
        for (EndpointKind endpoint : EndpointKind.values()) {
            ToDoubleFunction<T> read = s -> counts.apply(s, endpoint);
            Gauge.builder("realtime.connections.active", source, read).strongReference(true)
                    .description("Open connections, by endpoint.").tag("endpoint", endpoint.label()).register(registry);
        }
    }

    /**
     * Registers the broker gauges, read from {@code health} at each scrape. They hold it strongly: Micrometer keeps
     * a gauge's object weakly by default, and nothing else holds this supplier. A broker of shards also gets gauges
     * labelled by shard, registered when a scrape first sees the shard; a shard that is gone reads {@code NaN}.
     */
    void brokerGauges(Supplier<BrokerHealth> health) {
        Supplier<BrokerHealth> watched = () -> {
            BrokerHealth now = health.get();
            now.shards().keySet().forEach(shard -> shardGauges(health, shard));
            return now;
        };
        Gauge.builder("realtime.broker.up", watched, h -> h.get().isUp() ? 1 : 0).strongReference(true)
                .description("1 while the broker link delivers (connected, canary back).").register(registry);
        for (String state : BROKER_STATES) {
            Gauge.builder("realtime.broker.state", health, h -> state.equals(h.get().state()) ? 1 : 0)
                    .strongReference(true).description("The broker link's state: 1 for the current one.")
                    .tag("state", state).register(registry);
        }
        Gauge.builder("realtime.broker.last.message.age", health, h -> ageSeconds(h.get()))
                .strongReference(true).description("Time since the broker link last delivered a message.")
                .baseUnit("seconds").register(registry);
    }

    /** The gauges of one shard, once (registering an existing gauge again returns it). */
    private void shardGauges(Supplier<BrokerHealth> health, String shard) {
        if (!shards.add(shard)) {
            return;
        }
        Gauge.builder("realtime.broker.shard.up", health, h -> {
            BrokerHealth one = h.get().shards().get(shard);
            return one == null ? Double.NaN : one.isUp() ? 1 : 0;
        }).strongReference(true).description("1 while the shard's link delivers (connected, canary back).")
                .tag("shard", shard).register(registry);
        Gauge.builder("realtime.broker.shard.last.message.age", health, h -> {
            BrokerHealth one = h.get().shards().get(shard);
            return one == null ? Double.NaN : ageSeconds(one);
        }).strongReference(true).description("Time since the shard's link last delivered a message.")
                .tag("shard", shard).baseUnit("seconds").register(registry);
    }

    private static double ageSeconds(BrokerHealth health) {
        long age = health.lastMessageAgeMs();
        return age < 0 ? Double.NaN : age / 1000.0;
    }

    void accepted(EndpointKind endpoint) {
        labelled("realtime.connections.opened", "Connections accepted, by endpoint.", "endpoint", endpoint.label())
                .increment();
    }

    void rejected(EndpointKind endpoint, String reason) {
        labelled("realtime.connections.rejected", "Connections refused, by endpoint and reason.",
                "endpoint", endpoint.label(), "reason", reason).increment();
    }

    void closed(EndpointKind endpoint, int code) {
        labelled("realtime.connections.closed", "Connections closed, by endpoint and close code.",
                "endpoint", endpoint.label(), "code", Integer.toString(code)).increment();
    }

    void frameIn(EndpointKind endpoint, String type) {
        Map<String, Counter> byType = framesIn.get(endpoint);
        String label = typeLabel(type);
        Counter known = byType.get(label); // a get first: computeIfAbsent's capturing lambda costs an object per call
        if (known == null) {
            known = byType.computeIfAbsent(label, l -> Counter.builder("realtime.frames.in")
                    .description("Frames received from clients, by endpoint and type.")
                    .tags("endpoint", endpoint.label(), "type", l).register(registry));
        }
        known.increment();
    }

    void frameOut(String type) {
        String label = typeLabel(type);
        Counter known = framesOut.get(label); // as in frameIn: no lambda on the hot path
        if (known == null) {
            known = framesOut.computeIfAbsent(label, l -> Counter.builder("realtime.frames.out")
                    .description("Frames queued to clients, by type.").tag("type", l).register(registry));
        }
        known.increment();
    }

    /** {@code count} deliveries of one channel message, stamped {@code latencyMillis} ago (or -1 when unstamped). */
    void delivered(int count, long latencyMillis) {
        if (count <= 0) {
            return;
        }
        delivered.increment(count);
        if (latencyMillis >= 0) {
            // Micrometer timers take no weight: each delivery is one observation, as the histogram documents.
            for (int i = 0; i < count; i++) {
                latency.record(latencyMillis, TimeUnit.MILLISECONDS);
            }
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

    /** A publish the broker refused. */
    public void publishError() {
        publishErrors.increment();
    }
}
