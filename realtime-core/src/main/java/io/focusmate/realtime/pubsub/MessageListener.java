package io.focusmate.realtime.pubsub;

/** Receives the messages of a channel on the broker's delivery thread. Must not block. */
@FunctionalInterface
public interface MessageListener {
    /** Called once per message, in channel order. */
    void onMessage(String channel, String payload);
}
