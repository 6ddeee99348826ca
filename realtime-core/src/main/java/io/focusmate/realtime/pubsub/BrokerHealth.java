package io.focusmate.realtime.pubsub;

/**
 * What a {@link PubSub} knows about its link to the broker. Immutable.
 *
 * @param state {@code up} (deliveries flow), {@code connecting} (not attached yet), {@code down} (the link is
 *     broken and reconnecting), {@code deaf} (connected, but its own canary did not come back in time), or
 *     {@code closed}
 * @param lastMessageAgeMs how long ago the link last delivered a message (a canary counts), or -1 when never
 * @param canaryRoundTripMs the round trip of the last canary that came back, or -1 when none did (or not used)
 */
public record BrokerHealth(String state, long lastMessageAgeMs, long canaryRoundTripMs) {
    /** Deliveries flow. */
    public static final String UP = "up";

    /** Whether the instance can deliver: only in state {@code up}. */
    public boolean isUp() {
        return UP.equals(state);
    }
}
