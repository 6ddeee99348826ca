package io.focusmate.realtime.client.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.client.ChatMessage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A chat's bookkeeping on the client (docs/protocol.md section 15): the highest message id delivered (the resume
 * point, and the dedup: ids at or below it are not delivered again), what a {@code history} or a live {@code message}
 * means, and the outbox of messages not yet acknowledged, keyed by {@code client_msg_id}. Written by one thread (the
 * client's event thread); {@link #lastMessageId()} and {@link #reserve} may be called by any.
 */
public final class ChatBook {
    /** What a live {@code message} frame means. */
    public enum Live {
        /** A new message, the next id: deliver it. */
        DELIVER,
        /** An id already delivered (a retry's answer, or history overlapping a live message): drop it. */
        DUPLICATE,
        /** An id past the next one: messages were missed live; reconnect, and the history brings them in order. */
        JUMP
    }

    /**
     * What a {@code history} frame brings.
     *
     * @param gap whether messages were missed that cannot be replayed ({@code recovered: false}, or ids restarted)
     * @param restarted whether the room's ids started again (the client's ids name other messages now)
     * @param messages the messages to deliver, oldest first, none already delivered
     */
    public record History(boolean gap, boolean restarted, List<ChatMessage> messages) {
    }

    /** Written on the event thread only; read by any thread: the highest message id delivered. */
    private volatile long lastMessageId;
    /** Event thread only: client_msg_id to its frame, in the order queued; removed once acknowledged. */
    private final Map<String, String> outbox = new LinkedHashMap<>();
    /** Any thread: messages reserved and not yet acknowledged (the outbox's size, plus those on their way to it). */
    private final AtomicInteger waiting = new AtomicInteger();

    /** Resumes after {@code lastMessageId} (0: the room's newest messages). */
    public ChatBook(long lastMessageId) {
        this.lastMessageId = lastMessageId;
    }

    /** The highest message id delivered. */
    public long lastMessageId() {
        return lastMessageId;
    }

    /** The query of the next connect: {@code last_message_id=N}. */
    public String resumeQuery() {
        return "last_message_id=" + lastMessageId;
    }

    /** Any thread: makes room for one more message, unless {@code limit} are already waiting. */
    public boolean reserve(int limit) {
        if (waiting.incrementAndGet() > limit) {
            waiting.decrementAndGet();
            return false;
        }
        return true;
    }

    /** Queues {@code frame}, the {@code message} frame carrying {@code clientMsgId}, after {@link #reserve}. */
    public void queue(String clientMsgId, String frame) {
        outbox.put(clientMsgId, frame);
    }

    /** The frames not yet acknowledged, in the order queued: to write on each connect. */
    public Collection<String> outbox() {
        return List.copyOf(outbox.values());
    }

    /** Takes in a {@code history} frame's {@code data}: the gap it reports and the messages to deliver. */
    public History history(JsonNode data) {
        boolean restarted = data.path("last_message_id").asLong() < lastMessageId;
        if (restarted) {
            lastMessageId = 0; // the room's ids started again: the ids this client had name other messages now
        }
        boolean gap = restarted || !data.path("recovered").asBoolean(true);
        List<ChatMessage> messages = new ArrayList<>();
        for (JsonNode message : data.path("messages")) {
            acknowledge(message);
            if (message.path("message_id").asLong() > lastMessageId) {
                messages.add(accept(message));
            }
        }
        return new History(gap, restarted, messages);
    }

    /**
     * Takes in a live {@code message} frame's {@code data}: it acknowledges a queued message with its
     * {@code client_msg_id} in any case, and becomes the newest delivered one when it is {@link Live#DELIVER}.
     */
    public Live live(JsonNode message) {
        acknowledge(message);
        long id = message.path("message_id").asLong();
        if (id <= lastMessageId) {
            return Live.DUPLICATE;
        }
        if (id > lastMessageId + 1) {
            return Live.JUMP;
        }
        lastMessageId = id;
        return Live.DELIVER;
    }

    /** A message's {@code data} as a {@link ChatMessage}. */
    public static ChatMessage message(JsonNode data) {
        JsonNode clientMsgId = data.path("client_msg_id");
        return new ChatMessage(data.path("message_id").asLong(), data.path("room_id").asText(),
                data.path("sender_id").asText(), data.path("content").asText(),
                clientMsgId.isTextual() ? clientMsgId.asText() : null, instant(data.path("created_at").asText()));
    }

    /** Whether a message with this client_msg_id was queued here: it is stored, and never sent again. */
    private void acknowledge(JsonNode message) {
        JsonNode clientMsgId = message.path("client_msg_id");
        if (clientMsgId.isTextual() && outbox.remove(clientMsgId.asText()) != null) {
            waiting.decrementAndGet();
        }
    }

    private ChatMessage accept(JsonNode message) {
        lastMessageId = message.path("message_id").asLong();
        return message(message);
    }

    private static Instant instant(String text) {
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
