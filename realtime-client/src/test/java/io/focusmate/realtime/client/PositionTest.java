package io.focusmate.realtime.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Positions as the wire writes them, and the options' defaults and checks. */
class PositionTest {

    @Test
    void aPositionIsWrittenAndReadAsEpochColonOffset() {
        Position position = Position.parse("h7Qm2Xb1:42");
        assertEquals(new Position("h7Qm2Xb1", 42), position);
        assertEquals("h7Qm2Xb1:42", position.toString());
    }

    @Test
    void aMalformedPositionIsRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> Position.parse("no-colon"));
        assertThrows(IllegalArgumentException.class, () -> Position.parse("epoch:x"));
        assertThrows(IllegalArgumentException.class, () -> Position.parse("bad epoch:1"));
        assertThrows(IllegalArgumentException.class, () -> Position.parse("e:-1"));
    }

    @Test
    void aPositionCoversTheOffsetsUpToItsOwnInItsEpochOnly() {
        Position seen = new Position("e1", 5);
        assertTrue(seen.covers(new Position("e1", 5)));
        assertTrue(seen.covers(new Position("e1", 1)));
        assertFalse(seen.covers(new Position("e1", 6)));
        assertFalse(seen.covers(new Position("e2", 1)), "a new epoch starts again at 1");
    }

    @Test
    void theDefaultOptionsAreThoseOfTheProtocol() {
        ClientOptions defaults = ClientOptions.defaults();
        assertEquals(Duration.ofSeconds(30), defaults.pingInterval());
        assertEquals(Duration.ofSeconds(10), defaults.pongTimeout());
        assertEquals(Duration.ofSeconds(1), defaults.backoffBase());
        assertEquals(Duration.ofSeconds(30), defaults.backoffCap());
        assertEquals(0, defaults.maxAttempts());
        assertEquals(Duration.ofSeconds(10), defaults.connectTimeout());
        assertFalse(defaults.tokenInHeader(), "the token goes in the query unless asked");
    }

    @Test
    void optionsThatCannotWorkAreRefusedWhenBuilt() {
        ClientOptions defaults = ClientOptions.defaults();
        assertThrows(IllegalArgumentException.class, () -> defaults.withHeartbeat(Duration.ZERO, Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> defaults.withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)));
        assertThrows(IllegalArgumentException.class, () -> defaults.withMaxAttempts(-1));
    }

    @Test
    void aBuilderNeedsAWebSocketBaseUrlAndATokenSupplier() {
        assertThrows(IllegalArgumentException.class, () -> RealtimeClient.builder().baseUrl("http://localhost:1"));
        assertThrows(IllegalStateException.class, () -> RealtimeClient.builder().baseUrl("ws://localhost:1").build());
    }
}
