package io.focusmate.realtime;

import io.focusmate.realtime.pubsub.BrokerHealth;

/**
 * Whether a gateway instance can deliver, for health checks and load balancers. Immutable.
 *
 * @param status {@code ok}, {@code unavailable} (the broker link is not up) or {@code draining}
 * @param broker the broker link's state
 * @param connections open connections on this instance
 */
public record GatewayHealth(String status, BrokerHealth broker, int connections) {
    /** Whether to route traffic here: only when {@code ok}. */
    public boolean isHealthy() {
        return "ok".equals(status);
    }
}
