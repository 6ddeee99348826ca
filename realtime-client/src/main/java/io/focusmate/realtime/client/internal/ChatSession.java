package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.client.ChatConnection;
import io.focusmate.realtime.client.ChatListener;
import io.focusmate.realtime.client.ChatMessage;
import io.focusmate.realtime.client.ConnectionState;
import io.focusmate.realtime.client.ErrorFrame;
import io.focusmate.realtime.client.Frame;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One chat connection (docs/protocol.md section 15): resumes with {@code last_message_id}, delivers each message id
 * once and in order (a jump in ids means messages were missed live: it reconnects to get them from {@code history}),
 * and keeps an outbox of the application's messages, keyed by {@code client_msg_id}, written on each connect until
 * each one's own {@code message} frame comes back. The connection's life is its {@link Session}'s.
 */
public final class ChatSession implements ChatConnection, Session.Protocol {
    /** The most messages waiting in the outbox. */
    static final int OUTBOX_LIMIT = 1_000;
    private static final Duration RESEND_AFTER = Duration.ofSeconds(1);

    private final Session session;
    private final ChatListener listener;
    private final String roomId;
    /** Any thread: the outbox's size, counted up by {@link #send} and down on the event thread. */
    private final AtomicInteger waiting = new AtomicInteger();
    /** Event thread only: client_msg_id to its frame, in the order sent; removed when its message comes back. */
    private final Map<String, String> outbox = new LinkedHashMap<>();
    /** Written on the event thread only; read by any thread: the highest message id delivered. */
    private volatile long lastMessageId;
    /** Event thread only: whether a resend of the outbox is scheduled (after RATE_LIMITED or INTERNAL). */
    private boolean resendScheduled;

    /** A connection to {@code roomId} (already checked) that starts at once, after {@code lastMessageId}. */
    public ChatSession(ClientContext context, String roomId, long lastMessageId, ChatListener listener) {
        this.roomId = roomId;
        this.listener = listener;
        this.lastMessageId = lastMessageId;
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
    public long lastMessageId() {
        return lastMessageId;
    }

    @Override
    public String send(String content) {
        if (content == null || content.isBlank() || content.length() > 2000) {
            throw new IllegalArgumentException("a message is 1 to 2000 characters, not blank");
        }
        if (session.state() == ConnectionState.STOPPED) {
            throw new IllegalStateException("the chat connection is stopped");
        }
        if (waiting.incrementAndGet() > OUTBOX_LIMIT) {
            waiting.decrementAndGet();
            throw new IllegalStateException(OUTBOX_LIMIT + " messages are already waiting to be sent");
        }
        String id = UUID.randomUUID().toString();
        ObjectNode frame = ClientContext.JSON.createObjectNode().put("type", "message");
        frame.putObject("data").put("content", content).put("client_msg_id", id);
        String text = frame.toString();
        session.post(() -> {
            outbox.put(id, text);
            if (session.state() == ConnectionState.CONNECTED) {
                session.send(text);
            }
        });
        return id;
    }

    @Override
    public void typing(boolean typing) {
        sendNow("{\"type\":\"typing\",\"data\":{\"is_typing\":" + typing + "}}");
    }

    @Override
    public void read(long messageId) {
        sendNow("{\"type\":\"read\",\"data\":{\"message_id\":" + messageId + "}}");
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
        return "/api/v1/matching/chat/" + roomId + "/ws";
    }

    @Override
    public String query() {
        return "last_message_id=" + lastMessageId;
    }

    @Override
    public void frame(String type, String text, JsonNode json) {
        switch (type) {
            case "connected" -> {
                session.established();
                outbox.values().forEach(session::send);
            }
            case "history" -> history(json.path("data"));
            case "message" -> live(json.path("data"));
            default -> {
                Frame frame = new Frame(type, text, json);
                session.emit(() -> listener.onFrame(frame));
            }
        }
    }

    @Override
    public void error(ErrorFrame error) {
        boolean retryable = error.code().equals("RATE_LIMITED") || error.code().equals("INTERNAL");
        if (retryable && !outbox.isEmpty() && !resendScheduled) {
            resendScheduled = true;
            session.later(() -> {
                resendScheduled = false;
                if (session.state() == ConnectionState.CONNECTED) {
                    outbox.values().forEach(session::send);
                }
            }, RESEND_AFTER);
        }
    }

    private void history(JsonNode data) {
        boolean restarted = data.path("last_message_id").asLong() < lastMessageId;
        if (restarted) {
            lastMessageId = 0; // the room's ids started again: the ids this client had name other messages now
        }
        if (restarted || !data.path("recovered").asBoolean(true)) {
            session.emit(() -> listener.onGap(restarted));
        }
        data.path("messages").forEach(message -> {
            acknowledge(message);
            deliver(message);
        });
    }

    private void live(JsonNode message) {
        acknowledge(message);
        long id = message.path("message_id").asLong();
        if (id > lastMessageId + 1) {
            session.reconnectNow(); // missed live (the instance's broker link was down): history brings them, in order
            return;
        }
        deliver(message);
    }

    /** A message with a client_msg_id of the outbox is stored: it is never sent again. */
    private void acknowledge(JsonNode message) {
        JsonNode clientMsgId = message.path("client_msg_id");
        if (clientMsgId.isTextual() && outbox.remove(clientMsgId.asText()) != null) {
            waiting.decrementAndGet();
        }
    }

    private void deliver(JsonNode message) {
        long id = message.path("message_id").asLong();
        if (id <= lastMessageId) {
            return; // already delivered: a retry's answer, or history overlapping a live message
        }
        lastMessageId = id;
        ChatMessage parsed = new ChatMessage(id, message.path("room_id").asText(), message.path("sender_id").asText(),
                message.path("content").asText(), message.path("client_msg_id").isTextual()
                ? message.path("client_msg_id").asText() : null, instant(message.path("created_at").asText()));
        session.emit(() -> listener.onMessage(parsed));
    }

    private void sendNow(String frame) {
        if (session.state() == ConnectionState.CONNECTED) {
            session.post(() -> session.send(frame));
        }
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
