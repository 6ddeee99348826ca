package io.focusmate.realtime.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * A real WebSocket client (the JDK's {@code java.net.http.WebSocket}) that records every text frame and the close.
 * With {@code reading(false)} it stops reading from the socket, like a stalled client.
 */
public final class WsClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
    private final CompletableFuture<Close> closed = new CompletableFuture<>();
    /** Written by the connecting thread before the socket is shared. */
    private volatile WebSocket socket;
    /** Whether the listener asks for more frames after each one. */
    private final boolean reading;
    /** Ping frames received from the server (the JDK answers each with a pong by itself). */
    private final java.util.concurrent.atomic.AtomicInteger pings = new java.util.concurrent.atomic.AtomicInteger();

    /** How the server closed the socket, and when ({@link System#nanoTime()}). */
    public record Close(int code, String reason, long atNanos) {
        /** A close seen now. */
        public Close(int code, String reason) {
            this(code, reason, System.nanoTime());
        }
    }

    private WsClient(boolean reading) {
        this.reading = reading;
    }

    /** Connects and waits for the handshake. */
    public static WsClient connect(String uri) {
        return connect(uri, Map.of(), true);
    }

    /** Connects with extra headers; {@code reading=false} never reads a frame after the handshake. */
    public static WsClient connect(String uri, Map<String, String> headers, boolean reading) {
        WsClient client = new WsClient(reading);
        WebSocket.Builder builder = HTTP.newWebSocketBuilder().connectTimeout(WAIT);
        headers.forEach(builder::header);
        try {
            client.socket = builder.buildAsync(URI.create(uri), client.new Listener()).get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not connect to " + uri.replaceAll("token=[^&]*", "token=***")
                    + ": " + e, e);
        }
        return client;
    }

    /** Sends a text frame and waits until it is written. */
    public WsClient send(String text) {
        join(socket.sendText(text, true));
        return this;
    }

    /** Starts sending a text frame without waiting: the server may cut the socket before it is all written. */
    public WsClient sendWithoutWaiting(String text) {
        socket.sendText(text, true);
        return this;
    }

    /** Sends a binary frame. */
    public WsClient sendBinary(byte[] bytes) {
        join(socket.sendBinary(ByteBuffer.wrap(bytes), true));
        return this;
    }

    /** The next text frame as JSON; fails after 10 s. */
    public JsonNode next() {
        return next(WAIT);
    }

    /** The next text frame as JSON; fails after {@code timeout}. */
    public JsonNode next(Duration timeout) {
        try {
            String text = frames.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no frame within " + timeout.toMillis() + " ms"
                        + (closed.isDone() ? "; the socket closed with " + closed.getNow(null) : ""));
            }
            try {
                return JSON.readTree(text);
            } catch (java.io.IOException e) {
                throw new AssertionError("the server sent a frame that is not JSON (" + text.length() + " chars: "
                        + (text.length() > 300 ? text.substring(0, 300) + "..." : text) + "): " + e.getMessage());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** The next raw text frame. */
    public String nextText() {
        try {
            String text = frames.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (text == null) {
                throw new AssertionError("no frame within " + WAIT.toMillis() + " ms");
            }
            return text;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted");
        }
    }

    /** Skips frames until one of this type arrives, returning the skipped ones and that one, in order. */
    public List<JsonNode> until(Predicate<JsonNode> match) {
        List<JsonNode> seen = new ArrayList<>();
        while (true) {
            JsonNode frame = next();
            seen.add(frame);
            if (match.test(frame)) {
                return seen;
            }
        }
    }

    /** Skips frames until one of this type arrives, and returns it. */
    public JsonNode nextOfType(String type) {
        List<JsonNode> seen = until(f -> type.equals(f.path("type").asText()));
        return seen.get(seen.size() - 1);
    }

    /** Waits for the server's close. */
    public Close awaitClose() {
        return awaitClose(WAIT);
    }

    /** Waits for the server's close. */
    public Close awaitClose(Duration timeout) {
        try {
            return closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("the socket did not close within " + timeout.toMillis() + " ms");
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError(e);
        }
    }

    /** How many WebSocket ping frames the server has sent. */
    public int pingsReceived() {
        return pings.get();
    }

    /** Whether the server has closed the socket. */
    public boolean isClosed() {
        return closed.isDone();
    }

    @Override
    public void close() {
        WebSocket ws = socket;
        if (ws != null && !closed.isDone()) {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
            ws.abort();
        }
    }

    private static void join(CompletableFuture<WebSocket> future) {
        try {
            future.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("send failed: " + e, e);
        }
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public void onOpen(WebSocket webSocket) {
            if (reading) {
                webSocket.request(1);
            }
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                frames.add(partial.toString());
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onPing(WebSocket webSocket, ByteBuffer message) {
            pings.incrementAndGet();
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(new Close(statusCode, reason));
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(new Close(1006, String.valueOf(error)));
        }
    }
}
