package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.Frame;
import io.focusmate.realtime.client.RoomConnection;
import io.focusmate.realtime.client.RoomListener;
import io.focusmate.realtime.client.RoomState;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;

/**
 * One room connection (docs/protocol.md section 14): the room's state in a {@link RoomBook}, reported after each
 * change; the timer and settings commands. The connection's life is its {@link Session}'s; the first frame of each
 * connect is {@code room_state}.
 */
public final class RoomSession implements RoomConnection, Session.Protocol {
    private static final Set<String> ROOM_TYPES = Set.of("room_state", "participant_joined", "participant_left",
            "participant_count", "timer_updated", "settings_updated");

    private final Session session;
    private final RoomListener listener;
    private final String roomId;
    /** The local clock, epoch ms. */
    private final LongSupplier clock;
    /** Written on the event thread only, readable anywhere. */
    private final RoomBook book = new RoomBook();

    /** A connection to {@code roomId} (already checked) that starts at once. */
    public RoomSession(ClientContext context, String roomId, RoomListener listener) {
        this.roomId = roomId;
        this.listener = listener;
        this.clock = System::currentTimeMillis;
        this.session = new Session(context, listener);
        session.start(this);
    }

    @Override
    public String roomId() {
        return roomId;
    }

    @Override
    public ConnectionState state() {
        return session.state();
    }

    @Override
    public RoomState room() {
        return book.room();
    }

    @Override
    public long remainingMillis() {
        return book.remainingAt(clock.getAsLong());
    }

    @Override
    public long serverTimeMillis() {
        return book.serverTimeAt(clock.getAsLong());
    }

    @Override
    public boolean startTimer(Duration duration) {
        long seconds = duration.getSeconds();
        if (duration.getNano() != 0 || seconds < 1 || seconds > 86_400) {
            throw new IllegalArgumentException("a timer runs a whole number of seconds from 1 to 86400: " + duration);
        }
        ObjectNode frame = ClientContext.JSON.createObjectNode().put("type", "timer_start");
        frame.putObject("data").put("duration_s", seconds);
        return command(frame.toString());
    }

    @Override
    public boolean pauseTimer() {
        return command("{\"type\":\"timer_pause\"}");
    }

    @Override
    public boolean resumeTimer() {
        return command("{\"type\":\"timer_resume\"}");
    }

    @Override
    public boolean resetTimer() {
        return command("{\"type\":\"timer_reset\"}");
    }

    @Override
    public boolean updateSettings(Map<String, ?> settings) {
        ObjectNode frame = ClientContext.JSON.createObjectNode().put("type", "update_settings");
        frame.putObject("data").set("settings", ClientContext.JSON.valueToTree(settings));
        return command(frame.toString());
    }

    @Override
    public void reconnectNow() {
        session.reconnectNow();
    }

    @Override
    public void close() {
        session.close();
    }

    @Override
    public String path() {
        return "/ws/room/" + roomId;
    }

    @Override
    public String query() {
        return "";
    }

    @Override
    public void frame(String type, String text, JsonNode json) {
        Frame frame = new Frame(type, text, json);
        if (!ROOM_TYPES.contains(type)) {
            session.emit(() -> listener.onFrame(frame));
            return;
        }
        if (type.equals("room_state")) {
            session.established();
        }
        if (book.apply(type, json.path("data"), clock.getAsLong())) {
            RoomState room = book.room();
            session.emit(() -> listener.onRoomChanged(room, frame));
        }
    }

    private boolean command(String frame) {
        if (session.state() != ConnectionState.CONNECTED) {
            return false;
        }
        session.post(() -> session.send(frame));
        return true;
    }
}
