package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.client.ConnectionListener;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.ErrorFrame;
import io.focusmate.realtime.client.Stopped;
import java.net.URI;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Function;

/**
 * The life of one endpoint connection, whatever the endpoint: token, socket, the first frame, reconnects by close
 * code with backoff (docs/protocol.md section 12), in-band refresh (section 3), pings and the pong timeout (section
 * 10), and the application's close. What is particular to an endpoint (its URL, its frames) is its {@link Protocol}.
 *
 * <p>Every field is confined to the client's event thread, except {@link #state} (volatile, written there). Events of
 * an old socket are recognised by their attempt number and ignored.
 */
public final class Session implements SocketListener.Events {
    /** What an endpoint adds to a session. Called on the event thread. */
    public interface Protocol {
        /** The path ({@code /ws/room/r1}) for the next attempt. */
        String path();

        /** The query for the next attempt, without the token and without {@code ?} (such as {@code recover=true}). */
        String query();

        /**
         * A frame the session does not handle itself (all but {@code pong}, {@code refreshed},
         * {@code token_expiring} and {@code error}); the endpoint's first frame calls {@link #established()}.
         */
        void frame(String type, String text, JsonNode json);

        /** The gateway sent an error frame (already reported to the listener). */
        default void error(ErrorFrame error) {
        }
    }

    private static final System.Logger LOG = System.getLogger(Session.class.getName());
    private static final int ABNORMAL = 1006;

    private final ClientContext context;
    private final ConnectionListener listener;
    private final Backoff backoff;
    /** Set once by {@link #start}, before anything runs on the event thread. */
    private Protocol protocol;
    /** Written on the event thread only; read by any thread. */
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    /** Event thread only: the number of the current attempt; events of other attempts are stale. */
    private int attempt;
    /** Event thread only: failed attempts since the last established connection. */
    private int failures;
    /** Event thread only: the open socket of the current attempt, or null. */
    private WebSocket socket;
    /** Event thread only: the last send on {@link #socket}; the next one waits for it (the JDK allows one at a time). */
    private CompletableFuture<WebSocket> sends;
    /** Event thread only: the last error frame of the current attempt, reported if a stopping close follows. */
    private ErrorFrame lastError;
    /** Event thread only: the scheduled retry, or null. */
    private ScheduledFuture<?> retry;
    /** Event thread only: the periodic ping while established, or null. */
    private ScheduledFuture<?> pinger;
    /** Event thread only: armed after opening (for the first frame) and after each ping; null when disarmed. */
    private ScheduledFuture<?> deadline;

    /** A session of {@code listener}'s connection; nothing happens until {@link #start}. */
    public Session(ClientContext context, ConnectionListener listener) {
        this.context = context;
        this.listener = listener;
        this.backoff = new Backoff(context.options().backoffBase(), context.options().backoffCap(), context.random());
    }

    /** Starts connecting, for {@code endpoint}. Call once, from the constructor of the endpoint's connection. */
    public void start(Protocol endpoint) {
        this.protocol = endpoint;
        context.post(() -> {
            emit(() -> listener.onStateChanged(ConnectionState.CONNECTING));
            connect();
        });
    }

    /** The current state; any thread. */
    public ConnectionState state() {
        return state;
    }

    /** Runs {@code task} on the event thread. */
    public void post(Runnable task) {
        context.post(task);
    }

    /** Runs {@code task} on the event thread after {@code delay}; nothing once the client is closed. */
    public void later(Runnable task, Duration delay) {
        context.schedule(task, delay);
    }

    /** Any thread: see {@link io.focusmate.realtime.client.Connection#reconnectNow()}. */
    public void reconnectNow() {
        post(() -> {
            if (state == ConnectionState.CONNECTED) {
                drop();
            }
            if (state == ConnectionState.RECONNECTING) {
                failures = 0;
                if (retry != null) {
                    cancelTimers();
                    connect();
                }
            }
        });
    }

    /** Any thread: closes with 1000 and stops for good. Idempotent. */
    public void close() {
        post(() -> {
            if (state == ConnectionState.STOPPED) {
                return;
            }
            attempt++;
            closeSocket();
            stop(new Stopped(WebSocket.NORMAL_CLOSURE, "Closed by the client", null));
        });
    }

    /**
     * Event thread: the endpoint's first frame arrived; the connection is {@link ConnectionState#CONNECTED}, the
     * failure count resets and pings start. Again on the same socket (a second {@code room_state}): nothing.
     */
    public void established() {
        if (state == ConnectionState.CONNECTED) {
            return;
        }
        disarm();
        failures = 0;
        setState(ConnectionState.CONNECTED);
        int current = attempt;
        pinger = context.every(() -> ping(current), context.options().pingInterval());
    }

    /** Event thread: writes {@code text} on the open socket; false when there is none. */
    public boolean send(String text) {
        WebSocket ws = socket;
        if (ws == null) {
            return false;
        }
        sends = sendThen(ws, open -> open.sendText(text, true));
        return true;
    }

    /** Event thread: calls a listener, logging what it throws. */
    public void emit(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A listener threw; the client carries on", e);
        }
    }

    private void connect() {
        if (state == ConnectionState.STOPPED) {
            return;
        }
        int current = ++attempt;
        retry = null;
        Duration timeout = context.options().connectTimeout();
        arm(current, timeout, "Not connected within " + timeout.toMillis() + " ms");
        token().whenComplete((value, error) -> post(() -> {
            if (current != attempt || state == ConnectionState.STOPPED) {
                return;
            }
            if (error != null || value == null || value.isBlank()) {
                lost(current, ABNORMAL, "The token supplier failed: " + (error == null ? "no token" : error), false);
            } else {
                open(current, value);
            }
        }));
    }

    private CompletionStage<String> token() {
        try {
            return context.tokens().get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    private void open(int current, String token) {
        URI uri;
        try {
            uri = context.uri(protocol.path(), protocol.query(), token);
        } catch (RuntimeException e) {
            lost(current, ABNORMAL, "No valid base URL: " + e.getMessage(), false);
            return;
        }
        WebSocket.Builder builder = context.http().newWebSocketBuilder().connectTimeout(context.options().connectTimeout());
        if (context.options().tokenInHeader()) {
            builder.header("Authorization", "Bearer " + token);
        }
        builder.buildAsync(uri, new SocketListener(context, this, current)).whenComplete((ws, error) -> {
            if (error != null) {
                post(() -> lost(current, ABNORMAL, "Could not connect: " + rootCause(error), false));
            }
        });
    }

    @Override
    public void opened(int current, WebSocket ws) {
        if (current != attempt || state == ConnectionState.STOPPED) {
            ws.abort();
            return;
        }
        socket = ws;
        sends = CompletableFuture.completedFuture(ws);
        lastError = null;
    }

    @Override
    public void alive(int current) {
        if (current == attempt && state == ConnectionState.CONNECTED) {
            disarm();
        }
    }

    @Override
    public void text(int current, String text) {
        if (current != attempt || state == ConnectionState.STOPPED) {
            return;
        }
        JsonNode json;
        try {
            json = ClientContext.JSON.readTree(text);
        } catch (JsonProcessingException e) {
            return; // not JSON: the gateway never sends it, and a client ignores what it cannot read
        }
        if (!json.isObject() || !json.path("type").isTextual()) {
            return;
        }
        String type = json.path("type").asText();
        switch (type) {
            case "pong", "refreshed" -> {
            }
            case "token_expiring" -> refresh(current);
            case "error" -> error(json);
            default -> protocol.frame(type, text, json);
        }
        alive(current);
    }

    private void ping(int current) {
        if (current != attempt || socket == null) {
            return;
        }
        send("{\"type\":\"ping\"}");
        if (deadline == null) {
            Duration timeout = context.options().pongTimeout();
            arm(current, timeout, "No frame within " + timeout.toMillis() + " ms of a ping");
        }
    }

    private void refresh(int current) {
        token().whenComplete((value, error) -> post(() -> {
            if (current == attempt && error == null && value != null && !value.isBlank()) {
                ObjectNode frame = ClientContext.JSON.createObjectNode().put("type", "refresh");
                frame.putObject("data").put("token", value);
                send(frame.toString());
            } // no new token: the gateway closes with 4003 at the expiry, and the client reconnects
        }));
    }

    private void error(JsonNode json) {
        ErrorFrame error = new ErrorFrame(json.path("code").asText(), json.path("message").asText());
        lastError = error;
        emit(() -> listener.onError(error));
        protocol.error(error);
    }

    @Override
    public void closed(int current, int code, String reason, boolean abort) {
        lost(current, code, reason, abort);
    }

    /** The current attempt ended: stop, or retry at once or after a backoff delay, by close code. */
    private void lost(int current, int code, String reason, boolean abort) {
        if (current != attempt || state == ConnectionState.STOPPED) {
            return;
        }
        attempt++;
        WebSocket dead = socket;
        if (dead != null && abort) {
            dead.abort();
        }
        cancelTimers();
        ErrorFrame error = lastError;
        lastError = null;
        switch (ReconnectPolicy.of(code)) {
            case STOP -> stop(new Stopped(code, reason, error));
            case AT_ONCE -> {
                failures = 0;
                retryAfter(Duration.ZERO);
            }
            default -> {
                failures++;
                int max = context.options().maxAttempts();
                if (max > 0 && failures >= max) {
                    stop(new Stopped(code, reason, error));
                } else {
                    retryAfter(backoff.delay(failures));
                }
            }
        }
    }

    /** Closes the established socket on purpose and connects again at once. */
    private void drop() {
        attempt++;
        closeSocket();
        cancelTimers();
        lastError = null;
        setState(ConnectionState.RECONNECTING);
        failures = 0;
        connect();
    }

    private void closeSocket() {
        WebSocket open = socket;
        if (open != null) {
            sendThen(open, ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "")).whenComplete((ws, e) -> open.abort());
        }
    }

    private void retryAfter(Duration delay) {
        setState(ConnectionState.RECONNECTING);
        retry = context.schedule(this::connect, delay);
    }

    private void stop(Stopped stopped) {
        cancelTimers();
        setState(ConnectionState.STOPPED);
        emit(() -> listener.onStopped(stopped));
    }

    /** Closes the current socket as dead unless a frame arrives (or the first frame, before it) within timeout. */
    private void arm(int current, Duration timeout, String what) {
        disarm();
        deadline = context.schedule(() -> lost(current, ABNORMAL, what, true), timeout);
    }

    private void disarm() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    private void cancelTimers() {
        disarm();
        for (ScheduledFuture<?> timer : new ScheduledFuture<?>[] {retry, pinger}) {
            if (timer != null) {
                timer.cancel(false);
            }
        }
        retry = null;
        pinger = null;
        socket = null;
        sends = null;
    }

    /** Chains a send after the previous one, whether or not that one failed. */
    private CompletableFuture<WebSocket> sendThen(WebSocket ws,
                                                  Function<WebSocket, CompletableFuture<WebSocket>> op) {
        CompletableFuture<WebSocket> previous = sends == null ? CompletableFuture.completedFuture(ws) : sends;
        return previous.exceptionally(e -> ws).thenCompose(op);
    }

    private void setState(ConnectionState next) {
        if (state != next) {
            state = next;
            emit(() -> listener.onStateChanged(next));
        }
    }

    private static String rootCause(Throwable error) {
        Throwable cause = error;
        while (cause.getCause() != null) {
            cause = cause.getCause();
        }
        return String.valueOf(cause);
    }
}
