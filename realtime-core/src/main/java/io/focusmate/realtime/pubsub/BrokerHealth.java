package io.focusmate.realtime.pubsub;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a {@link PubSub} knows about its link to the broker. Immutable.
 *
 * @param state {@code up} (deliveries flow), {@code connecting} (not attached yet), {@code down} (the link is
 *     broken and reconnecting), {@code deaf} (connected, but its own canary did not come back in time), or
 *     {@code closed}
 * @param lastMessageAgeMs how long ago the link last delivered a message (a canary counts), or -1 when never
 * @param canaryRoundTripMs the round trip of the last canary that came back, or -1 when none did (or not used)
 * @param shards for a broker of several shards (Redis Cluster), each shard's own health by the shard's name, in
 *     name order; the broker is {@code up} only while every shard is. Empty for a broker of one link
 */
public record BrokerHealth(String state, long lastMessageAgeMs, long canaryRoundTripMs,
                           Map<String, BrokerHealth> shards) {
    /** Deliveries flow. */
    public static final String UP = "up";

    /** Copies the shards, in name order. */
    public BrokerHealth {
        shards = Collections.unmodifiableMap(new TreeMap<>(shards));
    }

    /** The health of a broker of one link. */
    public BrokerHealth(String state, long lastMessageAgeMs, long canaryRoundTripMs) {
        this(state, lastMessageAgeMs, canaryRoundTripMs, Map.of());
    }

    /** Whether the instance can deliver: only in state {@code up}. */
    public boolean isUp() {
        return UP.equals(state);
    }
}
