package io.focusmate.realtime.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.client.ChatMessage;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A chat's bookkeeping: resume point, each id once, jumps, the gap of a history, and the client_msg_id outbox. */
class ChatBookTest {
    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String message(long id, String clientMsgId) {
        return "{\"message_id\":" + id + ",\"room_id\":\"c1\",\"sender_id\":\"ada\",\"content\":\"m" + id + "\","
                + "\"client_msg_id\":" + (clientMsgId == null ? "null" : "\"" + clientMsgId + "\"")
                + ",\"created_at\":\"2025-12-18T10:00:00.123Z\"}";
    }

    private static JsonNode history(long lastMessageId, boolean recovered, String... messages) {
        return json("{\"room_id\":\"c1\",\"messages\":[" + String.join(",", messages) + "],\"recovered\":" + recovered
                + ",\"last_message_id\":" + lastMessageId + "}");
    }

    @Test
    void aChatResumesAfterTheHighestIdItDelivered() {
        ChatBook book = new ChatBook(0);
        assertEquals("last_message_id=0", book.resumeQuery());
        ChatBook.History history = book.history(history(2, true, message(1, null), message(2, "k")));
        assertFalse(history.gap());
        assertEquals(List.of(1L, 2L), history.messages().stream().map(ChatMessage::messageId).toList());
        assertEquals("last_message_id=2", book.resumeQuery());
        assertEquals(ChatBook.Live.DELIVER, book.live(json(message(3, null))));
        assertEquals(3, book.lastMessageId());
    }

    @Test
    void aMessageIdAlreadyDeliveredIsNeverDeliveredAgain() {
        ChatBook book = new ChatBook(5);
        assertEquals(ChatBook.Live.DUPLICATE, book.live(json(message(5, null))));
        assertEquals(ChatBook.Live.DUPLICATE, book.live(json(message(4, null))));
        assertEquals(List.of(6L), book.history(history(6, true, message(5, null), message(6, null))).messages()
                .stream().map(ChatMessage::messageId).toList());
    }

    @Test
    void aLiveIdPastTheNextOneIsAJumpAndIsNotDelivered() {
        ChatBook book = new ChatBook(5);
        assertEquals(ChatBook.Live.JUMP, book.live(json(message(8, null))));
        assertEquals(5, book.lastMessageId(), "resumes from the last one delivered");
    }

    @Test
    void aHistoryNotRecoveredIsAGapAndAHistoryBelowTheResumePointMeansTheIdsRestarted() {
        ChatBook missed = new ChatBook(10);
        ChatBook.History gap = missed.history(history(200, false, message(101, null)));
        assertTrue(gap.gap());
        assertFalse(gap.restarted());

        ChatBook restarted = new ChatBook(50);
        ChatBook.History again = restarted.history(history(2, false, message(1, null), message(2, null)));
        assertTrue(again.gap());
        assertTrue(again.restarted());
        assertEquals(2, again.messages().size(), "the new ids 1 and 2 are delivered");
        assertEquals(2, restarted.lastMessageId());
    }

    @Test
    void aQueuedMessageStaysInTheOutboxUntilItsClientMsgIdComesBackLiveOrInTheHistory() {
        ChatBook book = new ChatBook(0);
        assertTrue(book.reserve(10));
        book.queue("a", "frame a");
        assertTrue(book.reserve(10));
        book.queue("b", "frame b");
        assertEquals(List.of("frame a", "frame b"), List.copyOf(book.outbox()));
        book.history(history(1, true, message(1, "a")));
        assertEquals(List.of("frame b"), List.copyOf(book.outbox()));
        assertEquals(ChatBook.Live.DUPLICATE, book.live(json(message(1, "b"))), "a retry's answer acknowledges");
        assertEquals(List.of(), List.copyOf(book.outbox()));
    }

    @Test
    void theOutboxRefusesMoreThanItsLimitUntilAMessageIsAcknowledged() {
        ChatBook book = new ChatBook(0);
        assertTrue(book.reserve(1));
        book.queue("a", "frame a");
        assertFalse(book.reserve(1));
        book.live(json(message(1, "a")));
        assertTrue(book.reserve(1));
    }

    @Test
    void aMessageIsReadWithItsMembersAndAnUnreadableTimeIsNull() {
        ChatMessage message = ChatBook.message(json(message(7, "k")));
        assertEquals(new ChatMessage(7, "c1", "ada", "m7", "k", Instant.parse("2025-12-18T10:00:00.123Z")), message);
        assertNull(ChatBook.message(json("{\"message_id\":1,\"client_msg_id\":null,\"created_at\":\"x\"}")).createdAt());
    }
}
