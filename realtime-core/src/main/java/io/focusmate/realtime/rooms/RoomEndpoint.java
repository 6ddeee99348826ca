package io.focusmate.realtime.rooms;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.internal.EndpointContext;
import io.focusmate.realtime.internal.EndpointHandler;
import io.focusmate.realtime.internal.LocalRooms;
import io.focusmate.realtime.internal.RoomIds;
import io.focusmate.realtime.internal.Session;
import io.focusmate.realtime.internal.StateExecutor;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.focusmate.realtime.internal.protocol.Json;
import io.focusmate.realtime.internal.protocol.ProtocolException;
import io.focusmate.realtime.internal.protocol.ServerFrames;
import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /ws/room/{room_id}}: presence, the server-authoritative timer and settings, shared through a
 * {@link RoomStore} and the channel {@code room:{room_id}:updates}. All state work for a room runs on its state
 * stripe, in order; this instance renews its presence leases and sweeps expired ones every third of the lease.
 */
final class RoomEndpoint implements EndpointHandler {
    private static final Logger LOG = LoggerFactory.getLogger(RoomEndpoint.class);
    static final long MAX_DURATION_S = 24 * 3600;
    private static final int SETTINGS_RETRIES = 10;
    /** How often, at most, an instance publishes a large room's participant count while it changes. */
    static final Duration COUNT_INTERVAL = Duration.ofSeconds(1);

    private final EndpointContext context;
    private final RoomStore store;
    private final RoomPolicy policy;
    private final StateExecutor state;
    private final LocalRooms<LocalRoom> rooms;
    /** Written on the room's stripe: rooms with a participant_count publish scheduled. */
    private final Set<String> countsDue = ConcurrentHashMap.newKeySet();
    private final int listLimit;

    RoomEndpoint(EndpointContext context, RoomStore store, RoomPolicy policy) {
        this.context = context;
        this.store = store;
        this.policy = policy;
        this.state = context.state();
        this.listLimit = context.config().roomListLimit();
        this.rooms = new LocalRooms<>(context, "Room", "The update was not delivered; retry later", Channels::room,
                roomId -> new LocalRoom(roomId, listLimit, due -> state.execute(roomId, () -> resync(roomId, due))));
    }

    /** Starts renewing this instance's presence leases, every third of the lease. */
    RoomEndpoint start() {
        state.every(context.config().roomLease().dividedBy(3), this::keepLeases);
        return this;
    }

    @Override
    public void onOpen(Session connection, Handshake handshake) {
        String roomId = RoomIds.require(connection, handshake);
        if (roomId == null) {
            return;
        }
        if (!policy.canJoin(connection.principal(), roomId)) {
            connection.refuse(ErrorCode.FORBIDDEN, "Not allowed to join room " + roomId, CloseCode.FORBIDDEN);
            return;
        }
        connection.room(roomId);
        state.execute(roomId, () -> join(connection, roomId));
    }

    private void join(Session connection, String roomId) {
        if (connection.isReleased()) {
            return;
        }
        String user = connection.principal().userId();
        boolean first = rooms.add(connection, roomId);
        try {
            if (first) {
                store.join(roomId, user, context.instanceId(), context.nowMillis(),
                        context.config().roomLease().toMillis()).ifPresent(change -> announce(roomId, true, change));
            }
        } catch (RuntimeException e) {
            failJoin(connection, roomId, e);
            return;
        }
        rooms.whenLive(connection, roomId, room -> sendState(connection, room));
    }

    private void sendState(Session connection, LocalRoom room) {
        try {
            long now = context.nowMillis();
            // Presence first: its version is the floor; the timer and settings read after it can only be newer.
            Presence presence = store.presence(room.roomId, now, listLimit);
            connection.sendFirst(roomState(room.roomId, presence, now));
            room.goLive(connection, null, presence.version(), presence.count());
            connection.resumeOutbound();
        } catch (RuntimeException e) {
            failJoin(connection, room.roomId, e);
        }
    }

    private String roomState(String roomId, Presence presence, long now) {
        TimerState timer = store.timer(roomId);
        RoomSettings settings = store.settings(roomId);
        return RoomFrames.roomState(roomId, presence, timer, settings, presence.version(), now);
    }

    /** The room crossed its list limit for these live connections: each gets a new room_state. */
    private void resync(String roomId, List<Session> due) {
        LocalRoom room = rooms.get(roomId);
        if (room == null) {
            return;
        }
        long now = context.nowMillis();
        Presence presence;
        String frame;
        try {
            presence = store.presence(roomId, now, listLimit);
            frame = roomState(roomId, presence, now);
        } catch (RuntimeException e) {
            due.forEach(connection -> failJoin(connection, roomId, e));
            return;
        }
        for (Session connection : due) {
            room.goLive(connection, frame, presence.version(), presence.count());
        }
    }

    private void failJoin(Session connection, String roomId, RuntimeException e) {
        LOG.warn("Could not join {} to room {}: {}", connection, roomId, e.toString());
        connection.refuse(ErrorCode.INTERNAL, "Room state is unavailable; retry later", CloseCode.INTERNAL_ERROR);
    }

    @Override
    public void onMessage(Session connection, ClientMessage message) {
        String roomId = connection.room();
        switch (message.type()) {
            case "ping" -> connection.send(ServerFrames.pong());
            case "timer_start" -> {
                long seconds = durationOf(message);
                control(connection, roomId, () -> timer(connection, roomId, TimerCommand.START, seconds * 1000));
            }
            case "timer_pause" -> control(connection, roomId, () -> timer(connection, roomId, TimerCommand.PAUSE, 0));
            case "timer_resume" -> control(connection, roomId,
                    () -> timer(connection, roomId, TimerCommand.RESUME, 0));
            case "timer_reset" -> control(connection, roomId, () -> timer(connection, roomId, TimerCommand.RESET, 0));
            case "update_settings" -> {
                JsonNode patch = message.data().get("settings");
                if (patch == null || !patch.isObject()) {
                    throw new ProtocolException(ErrorCode.INVALID_MESSAGE, "update_settings needs an object data.settings");
                }
                control(connection, roomId, () -> settings(connection, roomId, (ObjectNode) patch));
            }
            default -> throw message.unknownType();
        }
    }

    private static long durationOf(ClientMessage message) {
        JsonNode duration = message.data().get("duration_s");
        if (duration == null || !duration.canConvertToLong() || !duration.isIntegralNumber()
                || duration.asLong() < 1 || duration.asLong() > MAX_DURATION_S) {
            throw new ProtocolException(ErrorCode.INVALID_MESSAGE,
                    "timer_start needs data.duration_s, a whole number of seconds from 1 to " + MAX_DURATION_S);
        }
        return duration.asLong();
    }

    private void control(Session connection, String roomId, Runnable action) {
        if (!policy.canControl(connection.principal(), roomId)) {
            connection.sendError(ErrorCode.FORBIDDEN, "Not allowed to control room " + roomId);
            return;
        }
        rooms.command(connection, roomId, action);
    }

    private void timer(Session connection, String roomId, TimerCommand command, long durationMs) {
        long now = context.nowMillis();
        Optional<TimerState> next = store.applyTimer(roomId, command, durationMs, connection.principal().userId(), now);
        if (next.isEmpty()) {
            connection.sendError(ErrorCode.CONFLICT, command == TimerCommand.PAUSE
                    ? "The timer is not running" : "The timer is not paused");
            return;
        }
        context.publish(Channels.room(roomId), RoomFrames.timerUpdated(roomId, next.get(), now));
    }

    private void settings(Session connection, String roomId, ObjectNode patch) {
        int limit = context.config().maxSettingsBytes();
        for (int attempt = 0; attempt < SETTINGS_RETRIES; attempt++) {
            RoomSettings current = store.settings(roomId);
            String merged = merge(current.json(), patch);
            int size = merged.getBytes(StandardCharsets.UTF_8).length;
            if (size > limit) {
                connection.sendError(ErrorCode.INVALID_MESSAGE,
                        "Settings would be " + size + " bytes; the limit is " + limit);
                return;
            }
            Optional<RoomSettings> saved = store.replaceSettings(roomId, merged, current.version(),
                    connection.principal().userId());
            if (saved.isPresent()) {
                context.publish(Channels.room(roomId), RoomFrames.settingsUpdated(roomId, saved.get()));
                return;
            }
        }
        connection.sendError(ErrorCode.CONFLICT, "Settings changed concurrently too often; retry");
    }

    /** A shallow merge: each member of the patch replaces the current one; a null removes it. */
    static String merge(String currentJson, ObjectNode patch) {
        try {
            ObjectNode merged = (ObjectNode) Json.MAPPER.readTree(currentJson);
            patch.fields().forEachRemaining(field -> {
                if (field.getValue().isNull()) {
                    merged.remove(field.getKey());
                } else {
                    merged.set(field.getKey(), field.getValue());
                }
            });
            return Json.MAPPER.writeValueAsString(merged);
        } catch (JsonProcessingException | ClassCastException e) {
            throw new IllegalStateException("stored settings are not a JSON object", e);
        }
    }

    @Override
    public void onClose(Session connection) {
        String roomId = connection.room();
        if (roomId != null) {
            state.execute(roomId, () -> leave(connection, roomId));
        }
    }

    private void leave(Session connection, String roomId) {
        if (!rooms.remove(connection, roomId)) {
            return;
        }
        String user = connection.principal().userId();
        try {
            store.leave(roomId, user, context.instanceId(), context.nowMillis())
                    .ifPresent(change -> announce(roomId, false, change));
        } catch (RuntimeException e) {
            LOG.warn("Could not release {}'s presence in room {} ({}); the lease will expire", user, roomId,
                    e.toString());
        }
    }

    /**
     * A change in a room of at most {@code listLimit} participants (before and after it) is announced by name; one in
     * a larger room only makes this instance publish the room's count within {@link #COUNT_INTERVAL}. Runs on the
     * room's stripe.
     */
    private void announce(String roomId, boolean joined, PresenceChange change) {
        int largest = joined ? change.count() : change.count() + 1;
        if (largest <= listLimit) {
            context.publish(Channels.room(roomId), RoomFrames.participant(joined ? "participant_joined" : "participant_left",
                    roomId, change.userId(), change.version(), change.count()));
        } else if (countsDue.add(roomId)) {
            state.schedule(roomId, COUNT_INTERVAL, () -> publishCount(roomId));
        }
    }

    private void publishCount(String roomId) {
        countsDue.remove(roomId);
        try {
            Presence presence = store.presence(roomId, context.nowMillis(), listLimit);
            context.publish(Channels.room(roomId),
                    RoomFrames.participantCount(roomId, presence.count(), presence.version()));
        } catch (RuntimeException e) {
            LOG.warn("Could not publish the participant count of room {}: {}", roomId, e.toString());
        }
    }

    /**
     * Every third of the lease: each local room renews this instance's leases and sweeps expired ones, on the room's
     * own stripe, so a renewal never races a join or leave of that room.
     */
    private void keepLeases() {
        for (String roomId : rooms.roomIds()) {
            state.execute(roomId, () -> keepLeases(roomId));
        }
    }

    private void keepLeases(String roomId) {
        LocalRoom room = rooms.get(roomId);
        if (room == null) {
            return;
        }
        long now = context.nowMillis();
        try {
            store.renew(context.instanceId(), Map.of(roomId, room.userIds()), now,
                    context.config().roomLease().toMillis()).getOrDefault(roomId, List.of())
                    .forEach(change -> announce(roomId, true, change));
            store.expire(roomId, now).forEach(change -> announce(roomId, false, change));
        } catch (RuntimeException e) {
            LOG.warn("Presence lease renewal for room {} failed ({}); it is retried in {} ms", roomId, e.toString(),
                    context.config().roomLease().dividedBy(3).toMillis());
        }
    }
}
