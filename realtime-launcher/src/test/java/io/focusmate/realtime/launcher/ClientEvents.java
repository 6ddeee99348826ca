package io.focusmate.realtime.launcher;

import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.ErrorFrame;
import io.focusmate.realtime.client.Frame;
import io.focusmate.realtime.client.NotificationsListener;
import io.focusmate.realtime.client.Stopped;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Records what a Java client's notifications listener is told, for tests to await and check. Thread-safe. */
final class ClientEvents implements NotificationsListener {
    final List<ConnectionState> states = new CopyOnWriteArrayList<>();
    final List<Frame> frames = new CopyOnWriteArrayList<>();
    final List<ErrorFrame> errors = new CopyOnWriteArrayList<>();
    final List<String> gaps = new CopyOnWriteArrayList<>();
    final List<Stopped> stops = new CopyOnWriteArrayList<>();
    final List<String> threads = new CopyOnWriteArrayList<>();

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
    public void onStopped(Stopped stopped) {
        stops.add(stopped);
    }

    long connects() {
        return states.stream().filter(s -> s == ConnectionState.CONNECTED).count();
    }

    ConnectionState last() {
        return states.isEmpty() ? null : states.get(states.size() - 1);
    }
}
