package io.focusmate.realtime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.chat.ChatMessage;
import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.History;
import io.focusmate.realtime.chat.Posted;
import io.focusmate.realtime.chat.ReadOutcome;
import io.focusmate.realtime.protocol.Channels;
import io.focusmate.realtime.pubsub.PubSub;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compatibility kit of the {@link ChatStore} SPI: every implementation subclasses this and passes it unchanged.
 * Each test creates the stores it needs with {@link #createStore(int)} and watches what they publish through
 * {@link #pubSub()}.
 */
@Timeout(60)
public abstract class ChatStoreContractTest {
    private static final String ROOM = "chat-1";
    private static final String CHANNEL = Channels.chat(ROOM);
    private static final Instant SENT_AT = Instant.parse("2026-12-02T10:00:00Z");

    /**
     * A new, empty store keeping the newest {@code historySize} messages per room. Stores created in one test may
     * share state or not; the tests use one store per room.
     */
    /** For subclasses: one per implementation under test. */
    protected ChatStoreContractTest() {
    }

    protected abstract ChatStore createStore(int historySize);

    /** The broker on which the stores created in this test publish (called after {@link #createStore}). */
    protected abstract PubSub pubSub();

    // --- ids and publishing ---

    @Test
    void postsGetIdsOneTwoThreeAndTheDataIsThePrefixTheIdAndTheSuffix() {
        ChatStore store = createStore(100);
        assertEquals(new Posted(1, message(ROOM, "alice", null, "hi").data(1), false),
                store.post(message(ROOM, "alice", null, "hi")));
        assertEquals(new Posted(2, message(ROOM, "bob", "c-1", "hello").data(2), false),
                store.post(message(ROOM, "bob", "c-1", "hello")));
        assertEquals(3, store.post(message(ROOM, "alice", null, "again")).messageId());
    }

    @Test
    void eachRoomCountsItsOwnIds() {
        ChatStore store = createStore(100);
        store.post(message("room-x", "alice", null, "x1"));
        store.post(message("room-x", "alice", null, "x2"));
        assertEquals(1, store.post(message("room-y", "alice", null, "y1"))
                .messageId());
    }

    @Test
    void aPostPublishesTheMessageFrameOnTheChannel() throws Exception {
        ChatStore store = createStore(100);
        ReceivedFrames frames = listen(CHANNEL);
        Posted posted = store.post(message(ROOM, "alice", "c-1", "héllo ✓ \"quoted\""));
        assertEquals(frame(posted.data()), frames.take());
    }

    @Test
    void concurrentPostsGetIdsOneToNWithoutGapAndTheChannelCarriesThemInIdOrder() throws Exception {
        ChatStore store = createStore(1_000);
        ReceivedFrames frames = listen(CHANNEL);
        int threads = 8;
        int perThread = 40;
        List<List<Posted>> results = Concurrently.run(threads, () -> {
            String sender = Thread.currentThread().getName();
            List<Posted> posted = new ArrayList<>();
            for (int i = 0; i < perThread; i++) {
                posted.add(store.post(message(ROOM, sender, "m-" + i, "n" + i)));
            }
            return posted;
        });
        List<Posted> all = results.stream().flatMap(List::stream)
                .sorted(Comparator.comparingLong(Posted::messageId)).toList();
        int total = threads * perThread;
        assertEquals(LongStream.rangeClosed(1, total).boxed().toList(),
                all.stream().map(Posted::messageId).toList(), "ids 1..n, each once");
        all.forEach(posted -> assertFalse(posted.duplicate()));
        for (Posted posted : all) {
            assertEquals(frame(posted.data()), frames.take(), "frame of message " + posted.messageId());
        }
    }

    // --- retries ---

    @Test
    void aRetryReturnsTheOriginalMessageAndPublishesNothing() throws Exception {
        ChatStore store = createStore(100);
        ReceivedFrames frames = listen(CHANNEL);
        Posted original = store.post(message(ROOM, "alice", "c-1", "first"));
        assertEquals(frame(original.data()), frames.take());

        Posted retry = store.post(message(ROOM, "alice", "c-1", "edited on retry"));
        assertEquals(new Posted(original.messageId(), original.data(), true), retry);

        Posted next = store.post(message(ROOM, "alice", "c-2", "second"));
        assertEquals(2, next.messageId(), "the retry took no id");
        assertEquals(frame(next.data()), frames.take(), "the retry published nothing");
        assertEquals(List.of(original.data(), next.data()), store.history(ROOM, 0, 10).messages());
    }

    @Test
    void retryKeysBelongToOneSenderInOneRoom() {
        ChatStore store = createStore(100);
        store.post(message(ROOM, "alice", "c-1", "a"));
        assertFalse(store.post(message(ROOM, "bob", "c-1", "b")).duplicate());
        assertFalse(store.post(message("other", "alice", "c-1", "c"))
                .duplicate());
        assertTrue(store.post(message(ROOM, "alice", "c-1", "a")).duplicate());
    }

    @Test
    void postsWithoutAClientMsgIdAreNeverDuplicates() {
        ChatStore store = createStore(100);
        Posted first = store.post(message(ROOM, "alice", null, "same"));
        Posted second = store.post(message(ROOM, "alice", null, "same"));
        assertFalse(second.duplicate());
        assertEquals(first.messageId() + 1, second.messageId());
    }

    @Test
    void aRetryAfterTheOriginalLeftTheHistoryStillReturnsTheOriginalData() {
        ChatStore store = createStore(2);
        Posted original = store.post(message(ROOM, "alice", "c-1", "old"));
        for (int i = 0; i < 5; i++) {
            store.post(message(ROOM, "bob", null, "filler " + i));
        }
        assertFalse(store.history(ROOM, 0, 10).messages().contains(original.data()), "trimmed away");
        assertEquals(new Posted(1, original.data(), true),
                store.post(message(ROOM, "alice", "c-1", "old")));
    }

    @Test
    void concurrentRetriesOfOneMessageStoreItOnce() throws Exception {
        ChatStore store = createStore(100);
        List<Posted> outcomes = Concurrently.run(8, () -> store.post(message(ROOM, "alice", "c-1", "once")));
        assertEquals(1, outcomes.stream().filter(p -> !p.duplicate()).count(), "one original: " + outcomes);
        String data = message(ROOM, "alice", "c-1", "once").data(1);
        outcomes.forEach(p -> assertEquals(new Posted(1, data, p.duplicate()), p));
        assertEquals(1, store.history(ROOM, 0, 10).lastMessageId());
    }

    // --- history ---

    @Test
    void anEmptyRoomHasACompleteEmptyHistory() {
        ChatStore store = createStore(100);
        assertEquals(new History(List.of(), true, 0), store.history(ROOM, 0, 50));
    }

    @Test
    void historyReturnsEveryMessageAfterTheIdOldestFirst() {
        ChatStore store = createStore(100);
        List<String> data = post(store, 5);
        assertEquals(new History(data, true, 5), store.history(ROOM, 0, 50));
        assertEquals(new History(data.subList(2, 5), true, 5), store.history(ROOM, 2, 50));
        assertEquals(new History(List.of(data.get(4)), true, 5), store.history(ROOM, 4, 1));
    }

    @Test
    void historyAfterTheNewestMessageIsCompleteAndEmpty() {
        ChatStore store = createStore(100);
        post(store, 3);
        assertEquals(new History(List.of(), true, 3), store.history(ROOM, 3, 50));
    }

    @Test
    void historyLimitedByMaxReturnsTheNewestAndSaysItIsIncomplete() {
        ChatStore store = createStore(100);
        List<String> data = post(store, 5);
        assertEquals(new History(data.subList(3, 5), false, 5), store.history(ROOM, 0, 2));
        assertEquals(new History(data.subList(3, 5), true, 5), store.history(ROOM, 3, 2));
    }

    @Test
    void historyIsBoundedAndSaysSoWhenTheTrimmedMessagesWereAskedFor() {
        ChatStore store = createStore(3);
        List<String> data = post(store, 7);
        assertEquals(new History(data.subList(4, 7), false, 7), store.history(ROOM, 0, 50), "1..4 were trimmed");
        assertEquals(new History(data.subList(4, 7), false, 7), store.history(ROOM, 3, 50), "4 was trimmed");
        assertEquals(new History(data.subList(4, 7), true, 7), store.history(ROOM, 4, 50), "no gap after 4");
        assertEquals(new History(data.subList(5, 7), true, 7), store.history(ROOM, 5, 50));
    }

    @Test
    void historyAfterAnIdTheRoomNeverReachedIsIncompleteWithTheNewestMessages() {
        ChatStore store = createStore(100);
        List<String> data = post(store, 5);
        assertEquals(new History(data.subList(3, 5), false, 5), store.history(ROOM, 42, 2),
                "the client knew ids the room has no more: it must start over");
        assertEquals(new History(List.of(), false, 0), store.history("empty-room", 7, 10));
    }

    // --- read positions ---

    @Test
    void readPositionsOnlyMoveForward() {
        ChatStore store = createStore(100);
        post(store, 5);
        assertEquals(0, store.readPosition(ROOM, "alice"));
        assertEquals(ReadOutcome.MOVED, store.markRead(ROOM, "alice", 3));
        assertEquals(3, store.readPosition(ROOM, "alice"));
        assertEquals(ReadOutcome.NOT_FORWARD, store.markRead(ROOM, "alice", 3));
        assertEquals(ReadOutcome.NOT_FORWARD, store.markRead(ROOM, "alice", 2));
        assertEquals(3, store.readPosition(ROOM, "alice"));
        assertEquals(ReadOutcome.MOVED, store.markRead(ROOM, "alice", 5));
        assertEquals(5, store.readPosition(ROOM, "alice"));
        assertEquals(0, store.readPosition(ROOM, "bob"), "each user has their own position");
    }

    @Test
    void readingAnIdThatIsNotAMessageOfTheRoomIsRefused() {
        ChatStore store = createStore(100);
        assertEquals(ReadOutcome.UNKNOWN_MESSAGE, store.markRead(ROOM, "alice", 1), "no message yet");
        post(store, 2);
        assertEquals(ReadOutcome.UNKNOWN_MESSAGE, store.markRead(ROOM, "alice", 0));
        assertEquals(ReadOutcome.UNKNOWN_MESSAGE, store.markRead(ROOM, "alice", -1));
        assertEquals(ReadOutcome.UNKNOWN_MESSAGE, store.markRead(ROOM, "alice", 3));
        assertEquals(0, store.readPosition(ROOM, "alice"));
    }

    @Test
    void aTrimmedMessageCanStillBeMarkedRead() {
        ChatStore store = createStore(2);
        post(store, 5);
        assertEquals(ReadOutcome.MOVED, store.markRead(ROOM, "alice", 1));
    }

    // --- membership ---

    @Test
    void membersAreThoseAddedToTheRoom() {
        ChatStore store = createStore(100);
        assertFalse(store.isMember(ROOM, "alice"));
        store.addMembers(ROOM, Set.of("alice", "bob"));
        store.addMembers(ROOM, Set.of());
        store.addMembers(ROOM, Set.of("bob", "carol"));
        assertTrue(store.isMember(ROOM, "alice"));
        assertTrue(store.isMember(ROOM, "bob"));
        assertTrue(store.isMember(ROOM, "carol"));
        assertFalse(store.isMember(ROOM, "dave"));
        assertFalse(store.isMember("other", "alice"), "membership is per room");
    }

    // --- helpers ---

    /** A message as the chat endpoint makes it, at a fixed time. */
    private static ChatMessage message(String room, String sender, String clientMsgId, String text) {
        return new ChatMessage(room, sender, text, clientMsgId, SENT_AT);
    }

    private static String frame(String data) {
        return "{\"type\":\"message\",\"data\":" + data + "}";
    }

    /** Posts {@code count} messages by alice to {@link #ROOM}; returns their data, oldest first. */
    private static List<String> post(ChatStore store, int count) {
        List<String> data = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            data.add(store.post(message(ROOM, "alice", null, "m" + i)).data());
        }
        return data;
    }

    private ReceivedFrames listen(String channel) throws Exception {
        return ReceivedFrames.listen(pubSub(), channel);
    }
}
