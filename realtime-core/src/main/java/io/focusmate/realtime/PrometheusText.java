package io.focusmate.realtime;

import io.focusmate.realtime.pubsub.BrokerHealth;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Writes a gateway's metrics in the Prometheus text exposition format (version 0.0.4). Names follow Prometheus
 * conventions: a {@code realtime_} prefix, {@code _total} on counters, base units ({@code _seconds}).
 */
public final class PrometheusText {
    /** The Content-Type of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private PrometheusText() {
    }

    /** The whole scrape for one gateway. */
    public static String write(Gateway gateway) {
        GatewayMetrics m = gateway.metrics();
        StringBuilder out = new StringBuilder(4096);
        header(out, "realtime_connections_active", "gauge", "Open connections, by endpoint.");
        for (EndpointKind endpoint : EndpointKind.values()) {
            sample(out, "realtime_connections_active", "endpoint=\"" + endpoint.label() + "\"",
                    gateway.connectionCount(endpoint));
        }
        counters(out, "realtime_connections_opened_total", "Connections accepted, by endpoint.",
                m.openedByEndpoint(), "endpoint");
        counters(out, "realtime_connections_rejected_total", "Connections refused, by endpoint and reason.",
                m.rejectedByEndpointAndReason(), "endpoint", "reason");
        counters(out, "realtime_connections_closed_total", "Connections closed, by endpoint and close code.",
                m.closedByEndpointAndCode(), "endpoint", "code");
        counters(out, "realtime_frames_in_total", "Frames received from clients, by endpoint and type.",
                m.framesInByEndpointAndType(), "endpoint", "type");
        counters(out, "realtime_frames_out_total", "Frames queued to clients, by type.", m.framesOutByType(), "type");
        single(out, "realtime_messages_delivered_total", "counter",
                "Channel messages queued to clients, one per receiving connection.", m.deliveredMessages());
        header(out, "realtime_delivery_latency_seconds", "histogram",
                "From the publisher's stamp (ts) to the queueing of the frame to a client.");
        for (int i = 0; i < GatewayMetrics.LATENCY_BUCKETS.length; i++) {
            sample(out, "realtime_delivery_latency_seconds_bucket",
                    "le=\"" + GatewayMetrics.LATENCY_BUCKETS[i] + "\"", m.latencyBucket(i));
        }
        sample(out, "realtime_delivery_latency_seconds_bucket", "le=\"+Inf\"", m.latencyCount());
        sample(out, "realtime_delivery_latency_seconds_sum", null, m.latencySumSeconds());
        sample(out, "realtime_delivery_latency_seconds_count", null, m.latencyCount());
        single(out, "realtime_broker_publish_errors_total", "counter", "Publishes the broker refused.",
                m.publishErrors());
        single(out, "realtime_invalid_payloads_dropped_total", "counter",
                "Channel payloads dropped because they were not server frames.", m.invalidPayloadsDropped());
        single(out, "realtime_queue_overflows_total", "counter",
                "Connections closed as slow consumers (outbound queue overflow).", m.queueOverflows());
        single(out, "realtime_idle_timeouts_total", "counter", "Connections closed as idle.", m.idleTimeouts());
        BrokerHealth broker = gateway.health().broker();
        single(out, "realtime_broker_up", "gauge", "1 while the broker link delivers (connected, canary back).",
                broker.isUp() ? 1 : 0);
        header(out, "realtime_broker_state", "gauge", "The broker link's state: 1 for the current one.");
        for (String state : new String[] {"up", "connecting", "down", "deaf", "closed"}) {
            sample(out, "realtime_broker_state", "state=\"" + state + "\"", state.equals(broker.state()) ? 1 : 0);
        }
        if (broker.lastMessageAgeMs() >= 0) {
            single(out, "realtime_broker_last_message_age_seconds", "gauge",
                    "Time since the broker link last delivered a message.", broker.lastMessageAgeMs() / 1000.0);
        }
        return out.toString();
    }

    private static void counters(StringBuilder out, String name, String help, Map<String, LongAdder> values,
                                 String... labels) {
        header(out, name, "counter", help);
        for (Map.Entry<String, LongAdder> entry : new TreeMap<>(values).entrySet()) {
            String[] parts = entry.getKey().split("\\|", labels.length);
            StringBuilder labelText = new StringBuilder();
            for (int i = 0; i < labels.length; i++) {
                labelText.append(i == 0 ? "" : ",").append(labels[i]).append("=\"")
                        .append(escape(i < parts.length ? parts[i] : "")).append('"');
            }
            sample(out, name, labelText.toString(), entry.getValue().sum());
        }
    }

    private static void single(StringBuilder out, String name, String type, String help, double value) {
        header(out, name, type, help);
        sample(out, name, null, value);
    }

    private static void header(StringBuilder out, String name, String type, String help) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
    }

    private static void sample(StringBuilder out, String name, String labels, double value) {
        out.append(name);
        if (labels != null) {
            out.append('{').append(labels).append('}');
        }
        out.append(' ');
        if (value == Math.rint(value) && !Double.isInfinite(value) && Math.abs(value) < 1e15) {
            out.append((long) value);
        } else {
            out.append(value);
        }
        out.append('\n');
    }

    private static String escape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
