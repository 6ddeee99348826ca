package io.focusmate.realtime.adapter;

import java.util.List;

/**
 * One WebSocket as the container sees it: the SPI that an adapter (such as {@code realtime-jakarta}) implements for
 * the core.
 *
 * <p>The core calls {@link #send} (one frame) or {@link #sendAll} (several) one call at a time per transport, and
 * waits for its callback before the next one; calls may come from any thread. No method may block on the network or throw: failures are reported
 * through the callback or ignored when the socket is already gone.
 */
public interface Transport {

    /**
     * Writes one text frame asynchronously and calls {@code done} exactly once, with null on success. A transport
     * that can write raw bytes writes {@link Frame#wire()}, encoded once for every recipient; others send
     * {@link Frame#text()}.
     */
    void send(Frame frame, SendCallback done);

    /**
     * Writes several text frames, in order, and calls {@code done} exactly once: with null when every frame was
     * written, else with the first failure (frames after it may not have been written). The core calls it when
     * several frames wait for one socket, under the same rule as {@link #send} (one call at a time per transport).
     * A transport that writes raw bytes should write the frames' {@link Frame#wire()} bytes together, in one write
     * to the socket; by default the frames go one {@link #send} after another.
     */
    default void sendAll(List<? extends Frame> frames, SendCallback done) {
        sendInTurn(frames, 0, done);
    }

    private void sendInTurn(List<? extends Frame> frames, int from, SendCallback done) {
        if (from == frames.size()) {
            done.done(null);
            return;
        }
        send(frames.get(from), failure -> {
            if (failure != null) {
                done.done(failure);
            } else {
                sendInTurn(frames, from + 1, done);
            }
        });
    }

    /** Sends a WebSocket ping frame; the adapter routes the pong to {@link Connection#onPong()}. */
    void ping();

    /** Sends a close frame with this code and reason and closes the socket. */
    void close(int code, String reason);

    /** The completion of one {@link #send}. */
    @FunctionalInterface
    interface SendCallback {
        /** @param failure null when the frame was written, else why it was not */
        void done(Throwable failure);
    }
}
