package io.focusmate.realtime.testkit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.notifications.HistorySettings;
import io.focusmate.realtime.notifications.NotificationHistory;
import io.focusmate.realtime.notifications.Publication;
import io.focusmate.realtime.notifications.Recovery;
import io.focusmate.realtime.notifications.StreamPosition;
import io.focusmate.realtime.pubsub.PubSub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The compatibility kit of the {@link NotificationHistory} SPI: every implementation subclasses this and passes it
 * unchanged. Each test creates the history it needs with {@link #createHistory(HistorySettings)} (short TTLs where it
 * is about expiry), watches what it publishes through {@link #pubSub()}, and lets time pass with
 * {@link #elapse(Duration)}.
 */
@Timeout(60)
public abstract class NotificationHistoryContractTest {
    private static final String ALICE = "notifications:user:alice";
    private static final String BROADCAST = "notifications:broadcast";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** For subclasses: one per implementation under test. */
    protected NotificationHistoryContractTest() {
    }

    /**
     * A new, empty history with these settings (a fresh key space in a shared backend). A test creates one history
     * at most.
     */
    protected abstract NotificationHistory createHistory(HistorySettings settings);

    /** The broker on which the history created in this test publishes (called after {@link #createHistory}). */
    protected abstract PubSub pubSub();

    /**
     * Lets {@code duration} pass for the history's TTLs. By default it waits that long in real time (the TTLs under
     * test are a fraction of a second); an implementation on an injected clock advances the clock instead.
     */
    protected void elapse(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        Await.until("time to pass", duration.plusSeconds(5), () -> System.nanoTime() >= end);
    }

    private static HistorySettings size(int size) {
        return new HistorySettings(size, Duration.ofHours(24), Duration.ofDays(30), Duration.ofMinutes(10));
    }

    private static String frame(int n) {
        return "{\"type\":\"notification\",\"data\":{\"n\":" + n + ",\"text\":\"héllo ✓ \\\"quoted\\\"\"}}";
    }

    // --- offsets and delivery ---

    @Test
    void offsetsGoOneTwoThreeWithoutGapAndSubscribersReceiveThemInThatOrder() throws Exception {
        NotificationHistory history = createHistory(size(100));
        ReceivedFrames frames = listen(ALICE);
        List<Publication> published = publish(history, ALICE, 3);
        assertEquals(List.of(1L, 2L, 3L), published.stream().map(p -> p.position().offset()).toList());
        assertEquals(1, published.stream().map(p -> p.position().epoch()).distinct().count(), "one epoch");
        for (Publication publication : published) {
            assertEquals(ALICE, publication.channel());
            assertFalse(publication.duplicate());
            assertEquals(publication.frame(), frames.take(), "offset " + publication.position().offset());
        }
    }

    @Test
    void eachChannelCountsItsOwnOffsets() {
        NotificationHistory history = createHistory(size(100));
        publish(history, ALICE, 2);
        assertEquals(1, history.publish(BROADCAST, frame(1), null).position().offset());
        assertEquals(1, history.publish("notifications:user:bob", frame(1), null).position().offset());
        assertEquals(3, history.publish(ALICE, frame(3), null).position().offset());
    }

    @Test
    void concurrentPublishersGetOffsetsInTheOrderSubscribersReceiveThem() throws Exception {
        NotificationHistory history = createHistory(size(1_000));
        ReceivedFrames frames = listen(ALICE);
        int threads = 8;
        int perThread = 25;
        List<List<Publication>> results = Concurrently.run(threads, () -> publish(history, ALICE, perThread));
        List<Publication> all = results.stream().flatMap(List::stream)
                .sorted(Comparator.comparingLong(p -> p.position().offset())).toList();
        assertEquals(LongStream.rangeClosed(1, threads * perThread).boxed().toList(),
                all.stream().map(p -> p.position().offset()).toList(), "offsets 1..n, each once");
        for (Publication publication : all) {
            String received = frames.take();
            assertEquals(publication.position().offset(), JSON.readTree(received).get("offset").asLong(),
                    "received in offset order");
            assertEquals(publication.frame(), received);
        }
    }

    @Test
    void theDeliveredFrameIsTheInputWithChannelOffsetAndEpochAppendedAndStillValidJson() throws Exception {
        NotificationHistory history = createHistory(size(100));
        String channel = "notifications:user:al\"i\\ce";
        ReceivedFrames frames = listen(channel);
        Publication publication = history.publish(channel, frame(7), null);
        String delivered = frames.take();
        assertEquals(publication.frame(), delivered);
        assertTrue(delivered.startsWith(frame(7).substring(0, frame(7).length() - 1) + ",\"channel\":"),
                "the input, then the members: " + delivered);
        JsonNode tree = JSON.readTree(delivered);
        assertEquals(List.of("type", "data", "channel", "offset", "epoch"), names(tree));
        assertEquals(JSON.readTree(frame(7)).get("data"), tree.get("data"));
        assertEquals(channel, tree.get("channel").asText());
        assertEquals(1, tree.get("offset").asLong());
        assertTrue(tree.get("offset").isIntegralNumber());
        assertEquals(publication.position().epoch(), tree.get("epoch").asText());
        assertEquals(publication.position(), new StreamPosition(tree.get("epoch").asText(), 1), "a valid epoch");
    }

    // --- recovery ---

    @Test
    void recoveringWithoutAPositionGivesTheCurrentPositionAndAnEmptyChannelGetsItsEpochAtOffsetZero() {
        NotificationHistory history = createHistory(size(100));
        Recovery empty = history.recover(ALICE, null, 100);
        assertEquals(0, empty.current().offset());
        assertFalse(empty.recovered());
        assertEquals(List.of(), empty.frames());
        assertEquals(empty.current(), history.recover(ALICE, null, 100).current(), "the epoch is kept");
        Publication first = history.publish(ALICE, frame(1), null);
        assertEquals(new StreamPosition(empty.current().epoch(), 1), first.position(),
                "the first publication is offset 1 of the epoch the recovery created");
        Recovery fromZero = history.recover(ALICE, empty.current(), 100);
        assertEquals(new Recovery(first.position(), true, List.of(first.frame())), fromZero);
        assertEquals(new Recovery(first.position(), false, List.of()), history.recover(ALICE, null, 100));
    }

    @Test
    void recoveringFromAPositionReturnsExactlyTheMissedFramesAsDelivered() throws Exception {
        NotificationHistory history = createHistory(size(100));
        ReceivedFrames frames = listen(ALICE);
        List<Publication> published = publish(history, ALICE, 5);
        List<String> delivered = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            delivered.add(frames.take());
        }
        Recovery recovery = history.recover(ALICE, published.get(1).position(), 100);
        assertEquals(new Recovery(published.get(4).position(), true, delivered.subList(2, 5)), recovery);
    }

    @Test
    void recoveringFromTheLastOffsetIsRecoveredWithNothingToReplay() {
        NotificationHistory history = createHistory(size(100));
        StreamPosition last = publish(history, ALICE, 3).get(2).position();
        assertEquals(new Recovery(last, true, List.of()), history.recover(ALICE, last, 100));
        StreamPosition start = history.recover(BROADCAST, null, 100).current();
        assertEquals(new Recovery(start, true, List.of()), history.recover(BROADCAST, start, 100),
                "offset 0 of a channel with no publication");
    }

    @Test
    void moreMissedThanMaxFramesIsNotRecovered() {
        NotificationHistory history = createHistory(size(100));
        List<Publication> published = publish(history, ALICE, 10);
        StreamPosition last = published.get(9).position();
        StreamPosition at3 = published.get(2).position();
        assertEquals(new Recovery(last, false, List.of()), history.recover(ALICE, at3, 6), "7 missed, 6 allowed");
        assertEquals(7, history.recover(ALICE, at3, 7).frames().size(), "exactly the maximum is fine");
        assertEquals(new Recovery(last, false, List.of()), history.recover(ALICE, at3, 0));
    }

    @Test
    void aPositionFromAnotherEpochIsNotRecovered() {
        NotificationHistory history = createHistory(size(100));
        StreamPosition last = publish(history, ALICE, 3).get(2).position();
        String other = last.epoch().equals("other1") ? "other2" : "other1";
        assertEquals(new Recovery(last, false, List.of()),
                history.recover(ALICE, new StreamPosition(other, 1), 100));
        assertEquals(new Recovery(last, false, List.of()),
                history.recover(ALICE, new StreamPosition(other, 3), 100));
    }

    @Test
    void aPositionAheadOfTheLastOffsetIsNotRecovered() {
        NotificationHistory history = createHistory(size(100));
        StreamPosition last = publish(history, ALICE, 3).get(2).position();
        assertEquals(new Recovery(last, false, List.of()),
                history.recover(ALICE, new StreamPosition(last.epoch(), 4), 100));
    }

    @Test
    void aPositionOlderThanTheTrimmedHistoryIsNotRecovered() {
        NotificationHistory history = createHistory(size(5));
        List<Publication> published = publish(history, ALICE, 10);
        StreamPosition last = published.get(9).position();
        assertEquals(new Recovery(last, false, List.of()), history.recover(ALICE, published.get(3).position(), 100),
                "offset 5 was trimmed");
        assertEquals(new Recovery(last, true, published.subList(5, 10).stream().map(Publication::frame).toList()),
                history.recover(ALICE, published.get(4).position(), 100), "6..10 are kept");
    }

    @Test
    void expiredPublicationsAreNotRecoveredButTheEpochOutlivesThemSoTheLastPositionStillIs() {
        Duration ttl = Duration.ofMillis(500);
        NotificationHistory history = createHistory(
                new HistorySettings(100, ttl, Duration.ofHours(1), Duration.ofMinutes(10)));
        List<Publication> published = publish(history, ALICE, 3);
        StreamPosition last = published.get(2).position();
        elapse(ttl.plusMillis(300));
        assertEquals(new Recovery(last, false, List.of()), history.recover(ALICE, published.get(0).position(), 100),
                "2 and 3 expired");
        assertEquals(new Recovery(last, true, List.of()), history.recover(ALICE, last, 100),
                "the epoch and last offset are kept: a client that missed nothing is recovered");
        assertEquals(new StreamPosition(last.epoch(), 4), history.publish(ALICE, frame(4), null).position());
    }

    // --- idempotency ---

    @Test
    void aRepeatedIdempotencyKeyIsNotDeliveredAgainAndReturnsTheFirstPosition() throws Exception {
        NotificationHistory history = createHistory(size(100));
        ReceivedFrames frames = listen(ALICE);
        Publication first = history.publish(ALICE, frame(1), "order-42");
        assertEquals(first.frame(), frames.take());
        Publication retry = history.publish(ALICE, frame(2), "order-42");
        assertEquals(new Publication(ALICE, first.position(), first.frame(), true), retry);
        Publication next = history.publish(ALICE, frame(3), null);
        assertEquals(2, next.position().offset(), "the retry took no offset");
        assertEquals(next.frame(), frames.take(), "the retry was not delivered");
        assertEquals(List.of(first.frame(), next.frame()),
                history.recover(ALICE, new StreamPosition(first.position().epoch(), 0), 100).frames());
    }

    @Test
    void theSameIdempotencyKeyOnAnotherChannelIsIndependent() {
        NotificationHistory history = createHistory(size(100));
        history.publish(ALICE, frame(1), "k-1");
        Publication broadcast = history.publish(BROADCAST, frame(1), "k-1");
        assertFalse(broadcast.duplicate());
        assertEquals(BROADCAST, broadcast.channel());
        assertTrue(history.publish(ALICE, frame(1), "k-1").duplicate());
        assertTrue(history.publish(BROADCAST, frame(1), "k-1").duplicate());
    }

    @Test
    void anIdempotencyKeyIsForgottenAfterTheWindow() {
        Duration window = Duration.ofMillis(400);
        NotificationHistory history = createHistory(
                new HistorySettings(100, Duration.ofHours(1), Duration.ofHours(1), window));
        assertEquals(1, history.publish(ALICE, frame(1), "k-1").position().offset());
        elapse(window.plusMillis(300));
        Publication later = history.publish(ALICE, frame(1), "k-1");
        assertFalse(later.duplicate());
        assertEquals(2, later.position().offset());
    }

    @Test
    void concurrentRetriesOfOnePublicationPublishItOnce() throws Exception {
        NotificationHistory history = createHistory(size(100));
        List<Publication> outcomes = Concurrently.run(8, () -> history.publish(ALICE, frame(1), "once"));
        assertEquals(1, outcomes.stream().filter(p -> !p.duplicate()).count(), "one original: " + outcomes);
        outcomes.forEach(p -> assertEquals(outcomes.get(0).frame(), p.frame()));
        outcomes.forEach(p -> assertEquals(1, p.position().offset()));
        assertEquals(1, history.recover(ALICE, null, 100).current().offset());
    }

    // --- history off ---

    @Test
    void withHistoryOffFramesArePublishedUnchangedWithoutAPosition() throws Exception {
        NotificationHistory history = createHistory(size(0));
        ReceivedFrames frames = listen(ALICE);
        Publication publication = history.publish(ALICE, frame(1), null);
        assertEquals(new Publication(ALICE, null, frame(1), false), publication);
        assertEquals(frame(1), frames.take());
        assertEquals(new Recovery(null, false, List.of()), history.recover(ALICE, null, 100));
        assertNull(history.recover(ALICE, new StreamPosition("e1", 0), 100).current());
    }

    // --- helpers ---

    private static List<Publication> publish(NotificationHistory history, String channel, int count) {
        List<Publication> published = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            published.add(history.publish(channel, frame(i), null));
        }
        return published;
    }

    private static List<String> names(JsonNode tree) {
        List<String> names = new ArrayList<>();
        tree.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private ReceivedFrames listen(String channel) throws Exception {
        return ReceivedFrames.listen(pubSub(), channel);
    }
}
