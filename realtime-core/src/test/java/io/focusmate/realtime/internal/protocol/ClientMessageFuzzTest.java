package io.focusmate.realtime.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.protocol.ErrorCode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing the client-frame parser (issue 11): whatever text a client sends, parsing it gives a message or a
 * {@link ProtocolException} with a documented code and message (docs/protocol.md, section 7), never another
 * exception. The same holds for the channel-payload reader. Inputs: {@link ClientFrames}; runner: {@link Fuzz}.
 */
@Timeout(60)
class ClientMessageFuzzTest {
    /** The messages of a frame that is not a JSON object with a string type. */
    private static final Set<String> NOT_A_MESSAGE = Set.of("Malformed JSON", "A message must be a JSON object",
            "A message needs a string \"type\"");

    @Test
    void anyTextParsesToAMessageOrToInvalidMessageAndNothingElse() {
        Fuzz.forAll(3_000, ClientFrames::anyFrame, text -> {
            ClientMessage message;
            try {
                message = ClientMessage.parse(text);
            } catch (ProtocolException e) {
                assertEquals(ErrorCode.INVALID_MESSAGE, e.code());
                assertTrue(NOT_A_MESSAGE.contains(e.getMessage()), e.getMessage());
                return;
            }
            assertNotNull(message.type());
            assertNotNull(message.data());
        });
    }

    @Test
    void aParsedMessagesMembersAreReadAsTextOrRefusedWithInvalidMessage() {
        List<String> names = List.of("channel", "content", "client_msg_id", "", "type");
        Fuzz.forAll(2_000, ClientFrames::messageShaped, text -> {
            ClientMessage message;
            try {
                message = ClientMessage.parse(text);
            } catch (ProtocolException e) {
                return;
            }
            for (String name : names) {
                try {
                    assertNotNull(message.requireText(name));
                } catch (ProtocolException e) {
                    assertEquals(ErrorCode.INVALID_MESSAGE, e.code());
                }
            }
            ProtocolException unknown = message.unknownType();
            assertEquals(ErrorCode.UNKNOWN_TYPE, unknown.code());
            assertTrue(unknown.getMessage().length() <= "Unknown message type: ".length() + 67, "cut to 64 + ...");
        });
    }

    @Test
    void anyChannelPayloadIsReadAsAServerFrameOrDroppedAndNothingElse() {
        Fuzz.forAll(3_000, ClientFrames::anyFrame, payload -> {
            FrameSummary summary = FrameSummary.parse(payload);
            assertEquals(summary != null, FrameSummary.isServerFrame(payload));
            if (summary != null) {
                assertNotNull(summary.type());
            }
            assertNotNull(FrameSummary.of(payload));
        });
    }

    @Test
    void theRunnerNamesTheSeedAndTheInputOfAFailure() {
        AssertionError failure = org.junit.jupiter.api.Assertions.assertThrows(AssertionError.class,
                () -> Fuzz.forAll(10, random -> "\u0000x" + random.nextInt(3), text -> assertEquals("never", text)));
        assertTrue(failure.getMessage().contains("-Dfuzz.seed="), failure.getMessage());
        assertTrue(failure.getMessage().contains("\\u0000x"), failure.getMessage());
    }
}
