package io.focusmate.realtime.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.client.Position;
import io.focusmate.realtime.client.Positions;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The position bookkeeping of a notifications connection: resume query, {@code connected}'s recovery, dedup. */
class RecoveryBookTest {
    private static final String USER = "notifications:user:alice";

    private static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void aFirstConnectAsksForRecoverTrueAndThenResumesFromBothChannels() {
        RecoveryBook book = new RecoveryBook(Positions.none());
        assertEquals("recover=true", book.resumeQuery());
        List<String> gaps = book.connected("alice", json("{\"user\":{\"epoch\":\"eu\",\"offset\":3},"
                + "\"broadcast\":{\"epoch\":\"eb\",\"offset\":0}}"));
        assertEquals(List.of(), gaps);
        assertEquals(new Positions(new Position("eu", 3), new Position("eb", 0)), book.positions());
        assertEquals("since=eu:3&broadcast_since=eb:0", book.resumeQuery());
    }

    @Test
    void savedPositionsAreSentOnTheFirstConnectAndOnlyTheKnownOnes() {
        assertEquals("since=eu:9", new RecoveryBook(new Positions(new Position("eu", 9), null)).resumeQuery());
        assertEquals("broadcast_since=eb:2", new RecoveryBook(new Positions(null, new Position("eb", 2))).resumeQuery());
    }

    @Test
    void aRecoveredChannelKeepsTheClientsPositionAndTheReplayAdvancesIt() {
        RecoveryBook book = new RecoveryBook(new Positions(new Position("eu", 5), new Position("eb", 1)));
        List<String> gaps = book.connected("alice", json("{\"user\":{\"epoch\":\"eu\",\"offset\":8,\"recovered\":true},"
                + "\"broadcast\":{\"epoch\":\"eb\",\"offset\":1,\"recovered\":true}}"));
        assertEquals(List.of(), gaps);
        assertEquals(new Position("eu", 5), book.positions().user());
        for (long offset = 6; offset <= 8; offset++) {
            assertTrue(book.accept(USER, new Position("eu", offset)));
        }
        assertEquals(new Position("eu", 8), book.positions().user());
    }

    @Test
    void aChannelNotRecoveredIsAGapAndContinuesFromTheGatewaysNewPosition() {
        RecoveryBook book = new RecoveryBook(new Positions(new Position("old", 5), new Position("eb", 1)));
        List<String> gaps = book.connected("alice", json("{\"user\":{\"epoch\":\"new\",\"offset\":2,\"recovered\":false},"
                + "\"broadcast\":{\"epoch\":\"eb\",\"offset\":1,\"recovered\":true}}"));
        assertEquals(List.of(USER), gaps);
        assertEquals(new Position("new", 2), book.positions().user());
        assertFalse(book.accept(USER, new Position("new", 2)));
        assertTrue(book.accept(USER, new Position("new", 3)));
    }

    @Test
    void aFrameAtOrBeforeTheNewestPositionOfTheSameEpochIsADuplicate() {
        RecoveryBook book = new RecoveryBook(Positions.none());
        book.connected("alice", json("{\"user\":{\"epoch\":\"eu\",\"offset\":0},\"broadcast\":{\"epoch\":\"eb\",\"offset\":0}}"));
        assertTrue(book.accept(USER, new Position("eu", 1)));
        assertTrue(book.accept(USER, new Position("eu", 2)));
        assertFalse(book.accept(USER, new Position("eu", 2)));
        assertFalse(book.accept(USER, new Position("eu", 1)));
        assertTrue(book.accept(RecoveryBook.BROADCAST, new Position("eb", 1)));
        assertFalse(book.accept(RecoveryBook.BROADCAST, new Position("eb", 1)));
        assertEquals(new Positions(new Position("eu", 2), new Position("eb", 1)), book.positions());
    }

    @Test
    void aNewEpochIsAcceptedFromOffsetOneAndBecomesThePosition() {
        RecoveryBook book = new RecoveryBook(new Positions(new Position("eu", 40), null));
        book.connected("alice", json("{\"user\":{\"epoch\":\"eu\",\"offset\":40,\"recovered\":true}}"));
        assertTrue(book.accept(USER, new Position("reset", 1)));
        assertEquals(new Position("reset", 1), book.positions().user());
    }

    @Test
    void framesOfOtherChannelsAreNeverDroppedAndChangeNoPosition() {
        RecoveryBook book = new RecoveryBook(Positions.none());
        book.connected("alice", json("{}"));
        assertTrue(book.accept("notifications:user:bob", new Position("x", 1)));
        assertTrue(book.accept("notifications:user:bob", new Position("x", 1)));
        assertEquals(Positions.none(), book.positions());
    }

    @Test
    void aGatewayWithoutHistoryReportsAGapButGivesNoPosition() {
        RecoveryBook book = new RecoveryBook(new Positions(new Position("eu", 4), null));
        List<String> gaps = book.connected("alice", json("{\"user\":{\"recovered\":false}}"));
        assertEquals(List.of(USER), gaps);
        assertEquals(new Position("eu", 4), book.positions().user());
    }
}
