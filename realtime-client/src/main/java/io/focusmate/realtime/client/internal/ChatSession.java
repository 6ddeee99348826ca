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
import java.util.UUID;

/**
 * One chat connection (docs/protocol.md section 15): its {@link ChatBook} decides what to deliver and what to resend;
 * this writes the outbox on each connect (and a second after a {@code RATE_LIMITED} or {@code INTERNAL} error), and
 * reconnects when live ids jump. The connection's life is its {@link Session}'s.
 */
public final class ChatSession implements ChatConnection, Session.Protocol {
    /** The most messages waiting in the outbox. */
    static final int OUTBOX_LIMIT = 1_000;
    private static final Duration RESEND_AFTER = Duration.ofSeconds(1);

    private final Session session;
    private final ChatListener listener;
    private final String roomId;
    /** The chat's ids and outbox; see its threading. */
    private final ChatBook book;
    /** Event thread only: whether a resend of the outbox is scheduled (after RATE_LIMITED or INTERNAL). */
    private boolean resendScheduled;

    /** A connection to {@code roomId} (already checked) that starts at once, after {@code lastMessageId}. */
    public ChatSession(ClientContext context, String roomId, long lastMessageId, ChatListener listener) {
        this.roomId = roomId;
        this.listener = listener;
        this.book = new ChatBook(lastMessageId);
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
        return book.lastMessageId();
    }

    @Override
    public String send(String content) {
        if (content == null || content.isBlank() || content.length() > 2000) {
            throw new IllegalArgumentException("a message is 1 to 2000 characters, not blank");
        }
        if (session.state() == ConnectionState.STOPPED) {
            throw new IllegalStateException("the chat connection is stopped");
        }
        if (!book.reserve(OUTBOX_LIMIT)) {
            throw new IllegalStateException(OUTBOX_LIMIT + " messages are already waiting to be sent");
        }
        String id = UUID.randomUUID().toString();
        ObjectNode frame = ClientContext.JSON.createObjectNode().put("type", "message");
        frame.putObject("data").put("content", content).put("client_msg_id", id);
        String text = frame.toString();
        session.post(() -> {
            book.queue(id, text);
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
        return book.resumeQuery();
    }

    @Override
    public void frame(String type, String text, JsonNode json) {
        switch (type) {
            case "connected" -> {
                session.established();
                book.outbox().forEach(session::send);
            }
            case "history" -> {
                ChatBook.History history = book.history(json.path("data"));
                if (history.gap()) {
                    session.emit(() -> listener.onGap(history.restarted()));
                }
                history.messages().forEach(this::deliver);
            }
            case "message" -> {
                switch (book.live(json.path("data"))) {
                    case DELIVER -> deliver(ChatBook.message(json.path("data")));
                    case JUMP -> session.reconnectNow(); // missed live: the history brings them, in order
                    default -> {
                    }
                }
            }
            default -> {
                Frame frame = new Frame(type, text, json);
                session.emit(() -> listener.onFrame(frame));
            }
        }
    }

    @Override
    public void error(ErrorFrame error) {
        boolean retryable = error.code().equals("RATE_LIMITED") || error.code().equals("INTERNAL");
        if (retryable && !book.outbox().isEmpty() && !resendScheduled) {
            resendScheduled = true;
            session.later(() -> {
                resendScheduled = false;
                if (session.state() == ConnectionState.CONNECTED) {
                    book.outbox().forEach(session::send);
                }
            }, RESEND_AFTER);
        }
    }

    private void deliver(ChatMessage message) {
        session.emit(() -> listener.onMessage(message));
    }

    private void sendNow(String frame) {
        if (session.state() == ConnectionState.CONNECTED) {
            session.post(() -> session.send(frame));
        }
    }
}
