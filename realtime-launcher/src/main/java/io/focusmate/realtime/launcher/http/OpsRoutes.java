package io.focusmate.realtime.launcher.http;

import com.fasterxml.jackson.core.JsonGenerator;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.GatewayHealth;
import io.focusmate.realtime.internal.protocol.Json;
import io.focusmate.realtime.pubsub.BrokerHealth;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** {@code GET /health} and {@code GET /metrics}. */
public final class OpsRoutes {
    /** The Prometheus text exposition format, version 0.0.4, which {@code scrape()} writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private OpsRoutes() {
    }

    public static void register(HttpRoutes routes, Gateway gateway, String brokerType, PrometheusMeterRegistry meters) {
        routes.add("GET", "/health", (request, response, path) -> {
            GatewayHealth health = gateway.health();
            HttpRoutes.json(response, health.isHealthy() ? 200 : 503, Json.write(gen -> {
                gen.writeStartObject();
                gen.writeStringField("status", health.status());
                gen.writeStringField("instance_id", gateway.instanceId());
                gen.writeObjectFieldStart("broker");
                gen.writeStringField("type", brokerType);
                link(gen, health.broker());
                if (!health.broker().shards().isEmpty()) {
                    gen.writeObjectFieldStart("shards");
                    for (Map.Entry<String, BrokerHealth> shard : health.broker().shards().entrySet()) {
                        gen.writeObjectFieldStart(shard.getKey());
                        link(gen, shard.getValue());
                        gen.writeEndObject();
                    }
                    gen.writeEndObject();
                }
                gen.writeEndObject();
                gen.writeNumberField("connections", health.connections());
                gen.writeEndObject();
            }));
        });
        routes.add("GET", "/metrics", (request, response, path) -> {
            byte[] body = meters.scrape().getBytes(StandardCharsets.UTF_8);
            response.setStatus(200);
            response.setContentType(CONTENT_TYPE);
            response.setContentLength(body.length);
            response.getOutputStream().write(body);
        });
    }

    private static void link(JsonGenerator gen, BrokerHealth broker) throws IOException {
        gen.writeStringField("state", broker.state());
        gen.writeNumberField("last_message_age_ms", broker.lastMessageAgeMs());
        gen.writeNumberField("canary_round_trip_ms", broker.canaryRoundTripMs());
    }
}
