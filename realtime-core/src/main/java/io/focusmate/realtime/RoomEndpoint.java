package io.focusmate.realtime;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.protocol.ClientMessage;
import io.focusmate.realtime.protocol.CloseCode;
import io.focusmate.realtime.protocol.ErrorCode;
import io.focusmate.realtime.protocol.Json;
import io.focusmate.realtime.protocol.ProtocolException;
import io.focusmate.realtime.protocol.RoomFrames;
import io.focusmate.realtime.protocol.ServerFrames;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.room.Presence;
import io.focusmate.realtime.room.PresenceChange;
import io.focusmate.realtime.room.RoomSettings;
import io.focusmate.realtime.room.RoomStore;
import io.focusmate.realtime.room.TimerCommand;
import io.focusmate.realtime.room.TimerState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
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

    private final Gateway gateway;
    private final RoomStore store;
    private final RoomPolicy policy;
    private final StateExecutor state;
    /** A room is added and removed only on its own stripe; the keeper reads a snapshot. */
    private final Map<String, LocalRoom> rooms = new ConcurrentHashMap<>();
    /** Written on the room's stripe; the subscription readiness of each local room. */
    private final Map<String, CompletableFuture<Void>> ready = new ConcurrentHashMap<>();
    /** Written on the room's stripe: rooms with a participant_count publish scheduled. */
    private final Set<String> countsDue = ConcurrentHashMap.newKeySet();
    private final int listLimit;

    RoomEndpoint(Gateway gateway, RoomStore store, RoomPolicy policy, StateExecutor state) {
        this.gateway = gateway;
        this.store = store;
        this.policy = policy;
        this.state = state;
        this.listLimit = gateway.config().roomListLimit();
        Duration lease = gateway.config().roomLease();
        state.every(lease.dividedBy(3), this::keepLeases);
    }

    static String channel(String roomId) {
        return "room:" + roomId + ":updates";
    }

    @Override
    public void onOpen(Connection connection, Handshake handshake) {
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

    private void join(Connection connection, String roomId) {
        if (connection.isReleased()) {
            return;
        }
        String user = connection.principal().userId();
        LocalRoom room = rooms.get(roomId);
        if (room == null) {
            room = new LocalRoom(roomId, channel(roomId), listLimit,
                    due -> state.execute(roomId, () -> resync(roomId, due)));
            rooms.put(roomId, room);
            ready.put(roomId, gateway.joinChannel(room.channel, room));
        }
        boolean first = room.add(connection, user);
        try {
            if (first) {
                store.join(roomId, user, gateway.instanceId(), gateway.nowMillis(),
                        gateway.config().roomLease().toMillis()).ifPresent(change -> announce(roomId, true, change));
            }
        } catch (RuntimeException e) {
            failJoin(connection, roomId, e);
            return;
        }
        LocalRoom joined = room;
        ready.get(roomId).copy()
                .completeOnTimeout(null, gateway.config().subscribeTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .whenComplete((ok, failure) -> state.execute(roomId, () -> sendState(connection, joined)));
    }

    private void sendState(Connection connection, LocalRoom room) {
        if (!room.contains(connection)) {
            return;
        }
        try {
            long now = gateway.nowMillis();
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
    private void resync(String roomId, List<Connection> due) {
        LocalRoom room = rooms.get(roomId);
        if (room == null) {
            return;
        }
        long now = gateway.nowMillis();
        Presence presence;
        String frame;
        try {
            presence = store.presence(roomId, now, listLimit);
            frame = roomState(roomId, presence, now);
        } catch (RuntimeException e) {
            due.forEach(connection -> failJoin(connection, roomId, e));
            return;
        }
        for (Connection connection : due) {
            room.goLive(connection, frame, presence.version(), presence.count());
        }
    }

    private void failJoin(Connection connection, String roomId, RuntimeException e) {
        LOG.warn("Could not join {} to room {}: {}", connection, roomId, e.toString());
        connection.refuse(ErrorCode.INTERNAL, "Room state is unavailable; retry later", CloseCode.INTERNAL_ERROR);
    }

    @Override
    public void onMessage(Connection connection, ClientMessage message) {
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
            default -> connection.sendError(ErrorCode.UNKNOWN_TYPE,
                    "Unknown message type: " + NotificationsEndpoint.shorten(message.type()));
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

    private void control(Connection connection, String roomId, Runnable action) {
        if (!policy.canControl(connection.principal(), roomId)) {
            connection.sendError(ErrorCode.FORBIDDEN, "Not allowed to control room " + roomId);
            return;
        }
        state.execute(roomId, () -> {
            LocalRoom room = rooms.get(roomId);
            if (room == null || !room.contains(connection)) {
                return; // the join was refused or the connection is gone
            }
            try {
                action.run();
            } catch (PubSubException e) {
                connection.sendError(ErrorCode.INTERNAL, "The update was not delivered; retry later");
            } catch (RuntimeException e) {
                LOG.warn("Room {} command failed: {}", roomId, e.toString());
                connection.sendError(ErrorCode.INTERNAL, "Room state is unavailable; retry later");
            }
        });
    }

    private void timer(Connection connection, String roomId, TimerCommand command, long durationMs) {
        long now = gateway.nowMillis();
        Optional<TimerState> next = store.applyTimer(roomId, command, durationMs, connection.principal().userId(), now);
        if (next.isEmpty()) {
            connection.sendError(ErrorCode.CONFLICT, command == TimerCommand.PAUSE
                    ? "The timer is not running" : "The timer is not paused");
            return;
        }
        gateway.publish(channel(roomId), RoomFrames.timerUpdated(roomId, next.get(), now));
    }

    private void settings(Connection connection, String roomId, ObjectNode patch) {
        int limit = gateway.config().maxSettingsBytes();
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
                gateway.publish(channel(roomId), RoomFrames.settingsUpdated(roomId, saved.get()));
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
    public void onClose(Connection connection) {
        String roomId = connection.room();
        if (roomId != null) {
            state.execute(roomId, () -> leave(connection, roomId));
        }
    }

    private void leave(Connection connection, String roomId) {
        LocalRoom room = rooms.get(roomId);
        if (room == null || !room.contains(connection)) {
            return;
        }
        String user = connection.principal().userId();
        boolean last = room.remove(connection, user);
        if (room.isEmpty()) {
            rooms.remove(roomId);
            ready.remove(roomId);
            gateway.leaveChannel(room.channel, room);
        }
        if (last) {
            try {
                store.leave(roomId, user, gateway.instanceId(), gateway.nowMillis())
                        .ifPresent(change -> announce(roomId, false, change));
            } catch (RuntimeException e) {
                LOG.warn("Could not release {}'s presence in room {} ({}); the lease will expire", user, roomId,
                        e.toString());
            }
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
            gateway.publish(channel(roomId), RoomFrames.participant(joined ? "participant_joined" : "participant_left",
                    roomId, change.userId(), change.version(), change.count()));
        } else if (countsDue.add(roomId)) {
            state.schedule(roomId, COUNT_INTERVAL, () -> publishCount(roomId));
        }
    }

    private void publishCount(String roomId) {
        countsDue.remove(roomId);
        try {
            Presence presence = store.presence(roomId, gateway.nowMillis(), listLimit);
            gateway.publish(channel(roomId), RoomFrames.participantCount(roomId, presence.count(), presence.version()));
        } catch (RuntimeException e) {
            LOG.warn("Could not publish the participant count of room {}: {}", roomId, e.toString());
        }
    }

    /**
     * Every third of the lease: each local room renews this instance's leases and sweeps expired ones, on the room's
     * own stripe, so a renewal never races a join or leave of that room.
     */
    private void keepLeases() {
        for (String roomId : rooms.keySet()) {
            state.execute(roomId, () -> keepLeases(roomId));
        }
    }

    private void keepLeases(String roomId) {
        LocalRoom room = rooms.get(roomId);
        if (room == null) {
            return;
        }
        long now = gateway.nowMillis();
        try {
            store.renew(gateway.instanceId(), Map.of(roomId, room.userIds()), now,
                    gateway.config().roomLease().toMillis()).getOrDefault(roomId, List.of())
                    .forEach(change -> announce(roomId, true, change));
            store.expire(roomId, now).forEach(change -> announce(roomId, false, change));
        } catch (RuntimeException e) {
            LOG.warn("Presence lease renewal for room {} failed ({}); it is retried in {} ms", roomId, e.toString(),
                    gateway.config().roomLease().dividedBy(3).toMillis());
        }
    }
}
