package io.focusmate.realtime.client.internal;

import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletionStage;

/**
 * Adapts one JDK {@link WebSocket} to {@link Events}: every event is handed to the client's event thread, and the
 * next frame is requested only once that thread has handled a whole text frame (back-pressure instead of a buffer).
 * The JDK calls a listener's methods one at a time, so {@link #partial} needs no lock.
 */
final class SocketListener implements WebSocket.Listener {
    /** The socket's events, each called on the event thread with the attempt it belongs to. */
    interface Events {
        void opened(int attempt, WebSocket socket);

        void text(int attempt, String text);

        /** A control frame arrived (a ping): the socket is alive. */
        void alive(int attempt);

        void closed(int attempt, int code, String reason, boolean abort);
    }

    private final ClientContext context;
    private final Events events;
    private final int attempt;
    /** The JDK's listener thread (one call at a time): the text frame being assembled from fragments. */
    private final StringBuilder partial = new StringBuilder();

    SocketListener(ClientContext context, Events events, int attempt) {
        this.context = context;
        this.events = events;
        this.attempt = attempt;
    }

    @Override
    public void onOpen(WebSocket webSocket) {
        context.post(() -> {
            events.opened(attempt, webSocket);
            webSocket.request(1);
        });
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (!last) {
            webSocket.request(1);
            return null;
        }
        String text = partial.toString();
        partial.setLength(0);
        context.post(() -> {
            events.text(attempt, text);
            webSocket.request(1);
        });
        return null;
    }

    @Override
    public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
        webSocket.request(1); // the gateway never sends binary frames
        return null;
    }

    @Override
    public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
        context.post(() -> events.alive(attempt));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onPong(WebSocket webSocket, ByteBuffer message) {
        context.post(() -> events.alive(attempt));
        webSocket.request(1);
        return null;
    }

    @Override
    public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        context.post(() -> events.closed(attempt, statusCode, reason, false));
        return null;
    }

    @Override
    public void onError(WebSocket webSocket, Throwable error) {
        context.post(() -> events.closed(attempt, 1006, String.valueOf(error), true));
    }
}
