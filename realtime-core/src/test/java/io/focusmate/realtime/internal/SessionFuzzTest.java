package io.focusmate.realtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.focusmate.realtime.internal.protocol.ClientFrames;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import io.focusmate.realtime.internal.protocol.Fuzz;
import io.focusmate.realtime.internal.protocol.ProtocolException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Fuzzing a connection's client-frame path (issue 11): any sequence of texts fed to an accepted session gets, for
 * each text, nothing (a message for its endpoint), an {@code INVALID_MESSAGE} error frame, or {@code MESSAGE_TOO_LARGE}
 * and close 1009, after which nothing more is answered; no text makes the session throw.
 */
@Timeout(60)
class SessionFuzzTest {
    private static final int LIMIT = 10_240; // the limit Sessions.accepted gives
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void eachTextGetsItsDocumentedAnswerAndNoneThrows() {
        Fuzz.forAll(1_000, SessionFuzzTest::texts, SessionFuzzTest::check);
    }

    /** One to six frames. */
    private static List<String> texts(Random random) {
        List<String> texts = new ArrayList<>();
        for (int i = 1 + random.nextInt(6); i > 0; i--) {
            texts.add(ClientFrames.anyFrame(random));
        }
        return texts;
    }

    private static void check(List<String> texts) throws Exception {
        FakeTransport transport = new FakeTransport();
        Session session = Sessions.accepted("fuzz", transport);
        session.resumeOutbound();
        List<String> expected = new ArrayList<>();
        int expectedClose = -1;
        for (String text : texts) {
            session.onText(text);
            if (expectedClose == -1) {
                String answer = expectedAnswer(text);
                if (answer != null) {
                    expected.add(answer);
                }
                expectedClose = "MESSAGE_TOO_LARGE".equals(answer) ? 1009 : -1;
            }
        }
        List<String> codes = new ArrayList<>();
        for (String frame : transport.sent()) {
            JsonNode error = JSON.readTree(frame);
            assertEquals("error", error.path("type").asText(), frame);
            assertTrue(error.path("message").isTextual(), frame);
            codes.add(error.path("code").asText());
        }
        assertEquals(expected, codes);
        assertEquals(expectedClose, transport.closeCode());
    }

    /** The error code a text gets on its own (null: none, it goes to the endpoint), as docs/protocol.md says. */
    private static String expectedAnswer(String text) {
        if (text.getBytes(StandardCharsets.UTF_8).length > LIMIT) {
            return "MESSAGE_TOO_LARGE";
        }
        try {
            ClientMessage.parse(text);
            return null;
        } catch (ProtocolException e) {
            return e.code().name();
        }
    }
}
