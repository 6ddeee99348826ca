package io.focusmate.realtime.adapter;

/**
 * One WebSocket as the container sees it: the SPI that an adapter (such as {@code realtime-jakarta}) implements for
 * the core.
 *
 * <p>The core calls {@link #send} for at most one frame at a time per transport, and waits for its callback before
 * the next one; calls may come from any thread. No method may block on the network or throw: failures are reported
 * through the callback or ignored when the socket is already gone.
 */
public interface Transport {

    /**
     * Writes one text frame asynchronously and calls {@code done} exactly once, with null on success. A transport
     * that can write raw bytes writes {@link Frame#wire()}, encoded once for every recipient; others send
     * {@link Frame#text()}.
     */
    void send(Frame frame, SendCallback done);

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
