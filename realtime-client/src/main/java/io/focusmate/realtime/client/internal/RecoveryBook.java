package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.client.Position;
import io.focusmate.realtime.client.Positions;
import java.util.ArrayList;
import java.util.List;

/**
 * The positions of a notifications connection: the query that resumes from them, what {@code connected}'s
 * {@code recovery} changes, and whether a frame was already seen. Written by one thread (the client's event thread);
 * {@link #positions()} may be read by any.
 */
public final class RecoveryBook {
    /** The broadcast channel's name. */
    public static final String BROADCAST = "notifications:broadcast";
    private static final String USER_PREFIX = "notifications:user:";

    /** Written on the event thread only; read by any thread. */
    private volatile Positions positions;
    /** Event thread only: the user's channel, known from the first {@code connected} on. */
    private String userChannel;

    /** Starts from {@code initial} ({@link Positions#none()} for a first connect). */
    public RecoveryBook(Positions initial) {
        this.positions = initial;
    }

    /** The newest positions. */
    public Positions positions() {
        return positions;
    }

    /** {@code recover=true} without positions; otherwise {@code since=...} and/or {@code broadcast_since=...}. */
    public String resumeQuery() {
        Positions now = positions;
        if (now.isEmpty()) {
            return "recover=true";
        }
        String user = now.user() == null ? "" : "since=" + now.user();
        String broadcast = now.broadcast() == null ? "" : "broadcast_since=" + now.broadcast();
        return user.isEmpty() || broadcast.isEmpty() ? user + broadcast : user + "&" + broadcast;
    }

    /**
     * Takes in a {@code connected} frame's {@code user_id} and {@code recovery} member, and returns the channels that
     * came back {@code recovered: false} (frames were lost on them). A channel that was recovered keeps the client's
     * position (the missed frames follow and advance it); any other takes the gateway's.
     */
    public List<String> connected(String userId, JsonNode recovery) {
        userChannel = USER_PREFIX + userId;
        List<String> gaps = new ArrayList<>();
        Positions next = positions;
        for (boolean user : new boolean[] {true, false}) {
            JsonNode channel = recovery.path(user ? "user" : "broadcast");
            JsonNode recovered = channel.path("recovered");
            if (recovered.isBoolean() && !recovered.asBoolean()) {
                gaps.add(user ? userChannel : BROADCAST);
            }
            Position position = positionOf(channel);
            if (position != null && !(recovered.isBoolean() && recovered.asBoolean())) {
                next = user ? next.withUser(position) : next.withBroadcast(position);
            }
        }
        positions = next;
        return gaps;
    }

    /**
     * Whether a frame at {@code position} on {@code channel} is new: false when it is at or before the newest position
     * of the same epoch (a duplicate, to drop). A new one becomes the channel's position. Frames of other channels
     * are always new.
     */
    public boolean accept(String channel, Position position) {
        Positions now = positions;
        if (channel.equals(userChannel)) {
            if (now.user() != null && now.user().covers(position)) {
                return false;
            }
            positions = now.withUser(position);
        } else if (channel.equals(BROADCAST)) {
            if (now.broadcast() != null && now.broadcast().covers(position)) {
                return false;
            }
            positions = now.withBroadcast(position);
        }
        return true;
    }

    private static Position positionOf(JsonNode channel) {
        JsonNode epoch = channel.path("epoch");
        JsonNode offset = channel.path("offset");
        if (!epoch.isTextual() || !offset.canConvertToExactIntegral()) {
            return null;
        }
        try {
            return new Position(epoch.asText(), offset.asLong());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
