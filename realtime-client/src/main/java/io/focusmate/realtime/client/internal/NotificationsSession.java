package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.ErrorFrame;
import io.focusmate.realtime.client.Frame;
import io.focusmate.realtime.client.NotificationsConnection;
import io.focusmate.realtime.client.NotificationsListener;
import io.focusmate.realtime.client.Position;
import io.focusmate.realtime.client.Positions;
import io.focusmate.realtime.client.Stopped;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * One notifications connection: the state machine of docs/protocol.md sections 3, 6, 10 and 12. Every field is
 * confined to the client's event thread, except {@link #state} (volatile, written there) and the positions in
 * {@link #book}. Events of an old socket are recognised by their attempt number and ignored.
 */
public final class NotificationsSession implements NotificationsConnection, SocketListener.Events {
    private static final System.Logger LOG = System.getLogger(NotificationsSession.class.getName());
    private static final String PATH = "/api/v1/notifications/ws";
    private static final int ABNORMAL = 1006;

    private final ClientContext context;
    private final NotificationsListener listener;
    private final Backoff backoff;
    /** The positions; written on the event thread only, readable anywhere. */
    private final RecoveryBook book;
    /** Written on the event thread only; read by any thread. */
    private volatile ConnectionState state = ConnectionState.CONNECTING;
    /** Event thread only: the number of the current attempt; events of other attempts are stale. */
    private int attempt;
    /** Event thread only: failed attempts since the last {@code connected}. */
    private int failures;
    /** Event thread only: the open socket of the current attempt, or null. */
    private WebSocket socket;
    /** Event thread only: the last send on {@link #socket}; the next one waits for it (the JDK allows one at a time). */
    private CompletableFuture<WebSocket> sends;
    /** Event thread only: the last error frame of the current attempt, reported if a stopping close follows. */
    private ErrorFrame lastError;
    /** Event thread only: the scheduled retry, ping and liveness deadline, or null. */
    private ScheduledFuture<?> retry;
    /** Event thread only: see {@link #retry}. */
    private ScheduledFuture<?> pinger;
    /** Event thread only: see {@link #retry}. Armed after opening (for {@code connected}) and after each ping. */
    private ScheduledFuture<?> deadline;

    /** A connection that starts at once, from {@code initial} positions. */
    public NotificationsSession(ClientContext context, NotificationsListener listener, Positions initial) {
        this.context = context;
        this.listener = listener;
        this.backoff = new Backoff(context.options().backoffBase(), context.options().backoffCap(), context.random());
        this.book = new RecoveryBook(initial);
        context.post(() -> {
            emit(l -> l.onStateChanged(ConnectionState.CONNECTING));
            connect();
        });
    }

    @Override
    public ConnectionState state() {
        return state;
    }

    @Override
    public Positions positions() {
        return book.positions();
    }

    @Override
    public void close() {
        context.post(() -> {
            if (state == ConnectionState.STOPPED) {
                return;
            }
            attempt++;
            WebSocket open = socket;
            if (open != null) {
                sendThen(open, ws -> ws.sendClose(WebSocket.NORMAL_CLOSURE, "")).whenComplete((ws, e) -> open.abort());
            }
            stop(new Stopped(WebSocket.NORMAL_CLOSURE, "Closed by the client", null));
        });
    }

    private void connect() {
        if (state == ConnectionState.STOPPED) {
            return;
        }
        int current = ++attempt;
        retry = null;
        Duration timeout = context.options().connectTimeout();
        arm(current, timeout, "Not connected within " + timeout.toMillis() + " ms");
        CompletionStage<String> token;
        try {
            token = context.tokens().get();
        } catch (RuntimeException e) {
            token = CompletableFuture.failedFuture(e);
        }
        token.whenComplete((value, error) -> context.post(() -> {
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

    private void open(int current, String token) {
        URI uri;
        try {
            String base = context.baseUrls().get();
            uri = URI.create(base.replaceAll("/+$", "") + PATH + "?token=" + URLEncoder.encode(token,
                    StandardCharsets.UTF_8) + book.resumeQuery());
        } catch (RuntimeException e) {
            lost(current, ABNORMAL, "No valid base URL: " + e.getMessage(), false);
            return;
        }
        Duration timeout = context.options().connectTimeout();
        context.http().newWebSocketBuilder().connectTimeout(timeout)
                .buildAsync(uri, new SocketListener(context, this, current))
                .whenComplete((ws, error) -> {
                    if (error != null) {
                        context.post(() -> lost(current, ABNORMAL, "Could not connect: " + rootCause(error), false));
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
        if (!type.equals("connected")) {
            alive(current);
        }
        switch (type) {
            case "connected" -> connected(current, json);
            case "pong", "refreshed" -> {
            }
            case "token_expiring" -> refresh(current);
            case "error" -> error(json);
            default -> frame(type, text, json);
        }
    }

    private void connected(int current, JsonNode json) {
        disarm();
        failures = 0;
        List<String> gaps = book.connected(json.path("user_id").asText(), json.path("recovery"));
        setState(ConnectionState.CONNECTED);
        gaps.forEach(channel -> emit(l -> l.onGap(channel)));
        Duration interval = context.options().pingInterval();
        pinger = context.every(() -> ping(current), interval);
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
        CompletionStage<String> token;
        try {
            token = context.tokens().get();
        } catch (RuntimeException e) {
            return; // no new token: the gateway closes with 4003 at the expiry, and the client reconnects
        }
        token.whenComplete((value, error) -> context.post(() -> {
            if (current == attempt && error == null && value != null && !value.isBlank()) {
                ObjectNode frame = ClientContext.JSON.createObjectNode().put("type", "refresh");
                frame.putObject("data").put("token", value);
                send(frame.toString());
            }
        }));
    }

    private void error(JsonNode json) {
        ErrorFrame error = new ErrorFrame(json.path("code").asText(), json.path("message").asText());
        lastError = error;
        emit(l -> l.onError(error));
    }

    private void frame(String type, String text, JsonNode json) {
        Frame frame = new Frame(type, text, json);
        Optional<String> channel = frame.channel();
        Optional<Position> position = frame.position();
        if (channel.isPresent() && position.isPresent() && !book.accept(channel.get(), position.get())) {
            return; // already delivered: a replay overlapping what this client had
        }
        emit(l -> l.onFrame(frame));
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

    private void retryAfter(Duration delay) {
        setState(ConnectionState.RECONNECTING);
        retry = context.schedule(this::connect, delay);
    }

    private void stop(Stopped stopped) {
        cancelTimers();
        setState(ConnectionState.STOPPED);
        emit(l -> l.onStopped(stopped));
    }

    /** Closes the current socket as dead unless a frame arrives (or {@code connected}, before it) within timeout. */
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

    private void send(String text) {
        WebSocket ws = socket;
        if (ws != null) {
            sends = sendThen(ws, open -> open.sendText(text, true));
        }
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
            emit(l -> l.onStateChanged(next));
        }
    }

    private void emit(Consumer<NotificationsListener> call) {
        try {
            call.accept(listener);
        } catch (RuntimeException e) {
            LOG.log(System.Logger.Level.WARNING, "A notifications listener threw; the client carries on", e);
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
