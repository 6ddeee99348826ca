package io.focusmate.realtime.launcher;

import io.focusmate.realtime.client.ChatListener;
import io.focusmate.realtime.client.ChatMessage;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.ErrorFrame;
import io.focusmate.realtime.client.Frame;
import io.focusmate.realtime.client.NotificationsListener;
import io.focusmate.realtime.client.RoomListener;
import io.focusmate.realtime.client.RoomState;
import io.focusmate.realtime.client.Stopped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a Java client's listener (of any endpoint) is told, for tests to await and check. Thread-safe. */
final class ClientEvents implements NotificationsListener, RoomListener, ChatListener {
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<ErrorFrame> errors = new CopyOnWriteArrayList<>();
    final List<String> gaps = new CopyOnWriteArrayList<>();
    final List<Stopped> stops = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();
    final List<RoomState> rooms = new CopyOnWriteArrayList<>();
    final List<ChatMessage> messages = new CopyOnWriteArrayList<>();

    @Override
    public void onStateChanged(ConnectionState state) {
        threads.add(Thread.currentThread().getName());
        states.add(state);
    }

    @Override
    public void onFrame(Frame frame) {
        threads.add(Thread.currentThread().getName());
        frames.add(frame);
    }

    @Override
    public void onError(ErrorFrame error) {
        errors.add(error);
    }

    @Override
    public void onGap(String channel) {
        gaps.add(channel);
    }

    @Override
    public void onGap(boolean restarted) {
        gaps.add(restarted ? "chat restarted" : "chat");
    }

    @Override
    public void onRoomChanged(RoomState room, Frame frame) {
        rooms.add(room);
    }

    @Override
    public void onMessage(ChatMessage message) {
        messages.add(message);
    }

    @Override
    public void onStopped(Stopped stopped) {
        stops.add(stopped);
    }

    long connects() {
        return states.stream().filter(s -> s == ConnectionState.CONNECTED).count();
    }

    ConnectionState last() {
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }

    /** The message ids delivered, in order. */
    List<Long> messageIds() {
        return messages.stream().map(ChatMessage::messageId).toList();
    }
}
