package io.focusmate.realtime.internal;

import io.focusmate.realtime.adapter.Frame;
import io.focusmate.realtime.adapter.Transport;
import java.util.ArrayList;
import java.util.List;

/** An in-process {@link Transport} that records what the core does; sends complete at once or on demand. */
public final class FakeTransport implements Transport {
    /** Guarded by {@code this}, as are all fields below. */
    final List<String> sent = new ArrayList<>();
    /** The size of each {@link #sendAll} batch, in order. */
    final List<Integer> batches = new ArrayList<>();
    private final List<SendCallback> pending = new ArrayList<>();
    private boolean completeAtOnce = true;
    int closeCode = -1;
    String closeReason;
    int pings;
    int inFlight;
    int maxInFlight;

    public synchronized FakeTransport stalled() {
        completeAtOnce = false;
        return this;
    }

    @Override
    public void send(Frame frame, SendCallback done) {
        boolean now;
        synchronized (this) {
            sent.add(frame.text());
            inFlight++;
            maxInFlight = Math.max(maxInFlight, inFlight);
            now = completeAtOnce;
            if (!now) {
                pending.add(done);
            } else {
                inFlight--;
            }
        }
        if (now) {
            done.done(null);
        }
    }

    /** Records the batch (its size in {@link #batches}), then sends its frames one after another. */
    @Override
    public void sendAll(List<? extends Frame> frames, SendCallback done) {
        synchronized (this) {
            batches.add(frames.size());
        }
        Transport.super.sendAll(frames, done);
    }

    /** Completes the oldest pending send. */
    public void completeOne() {
        SendCallback done;
        synchronized (this) {
            done = pending.remove(0);
            inFlight--;
        }
        done.done(null);
    }

    @Override
    public synchronized void ping() {
        pings++;
    }

    @Override
    public synchronized void close(int code, String reason) {
        if (closeCode == -1) {
            closeCode = code;
            closeReason = reason;
        }
    }

    public synchronized int pings() {
        return pings;
    }

    public synchronized List<String> sent() {
        return List.copyOf(sent);
    }

    public synchronized List<Integer> batches() {
        return List.copyOf(batches);
    }

    public synchronized int closeCode() {
        return closeCode;
    }
}
