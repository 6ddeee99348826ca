package io.focusmate.realtime.internal.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FrameScannerTest {
    private static final List<String> COMMON = List.of(
            "{\"type\":\"bench\",\"data\":{\"seq\":12,\"t\":123456789012}}",
            "{\"type\":\"notification\",\"data\":{\"notification_id\":\"notif-1\",\"title\":\"Hi\",\"read\":false,"
                    + "\"tags\":[1,2.5,-3e2,null,true,{\"a\":[]}],\"user_id\":\"alice\"},\"ts\":1700000000000,"
                    + "\"channel\":\"notifications:user:alice\",\"offset\":42,\"epoch\":\"e1_-x\"}",
            " { \"type\" : \"message\" , \"data\" : { \"message_id\" : 7 , \"count\" : 0 , \"version\" : -1 } } \n",
            "{\"type\":\"room_state\",\"data\":{}}",
            "{\"data\":{\"user_id\":\"b\"},\"type\":\"participant_joined\",\"extra\":\"caf\u00e9 \\\"q\\\" \\u00e9\"}");

    @Test
    void readsTheCommonShapeOfAServerFrameWithoutJackson() {
        for (String frame : COMMON) {
            FrameSummary fast = FrameScanner.scan(frame);
            assertNotNull(fast, frame);
            assertEquals(FrameSummary.parseWithJackson(frame), fast, frame);
        }
    }

    @Test
    void leavesEverythingUnusualToJackson() {
        for (String frame : List.of("{}", "[]", "{\"type\":1}", "{\"type\":\"a\",\"type\":\"b\"}",
                "{\"typ\\u0065\":\"a\"}", "{\"type\":\"a\\nb\"}", "{\"type\":\"a\",\"ts\":1.5}",
                "{\"type\":\"a\",\"ts\":12345678901234567890}", "{\"type\":\"a\",\"data\":null}",
                "{\"type\":\"a\"} x", "{\"type\":\"a\",}", "{\"type\":\"a\",\"x\":01}", "{\"type\":\"a\",\"x\":tru}",
                "{\"type\":\"a\",\"x\":\"\\x\"}", "{\"type\":\"a\",\"x\":\"\\u12g4\"}", "{\"type\":\"a\u0001\"}",
                "\ufeff{\"type\":\"a\"}", "{\"type\":\"a\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}")) {
            assertNull(FrameScanner.scan(frame), frame);
        }
    }

    @Test
    void whatTheScannerReadsIsAlwaysWhatJacksonReads() {
        Fuzz.forAll(20_000, FrameScannerTest::mutated, frame -> {
            FrameSummary fast = FrameScanner.scan(frame);
            if (fast != null) {
                assertEquals(FrameSummary.parseWithJackson(frame), fast);
            }
            assertEquals(FrameSummary.parseWithJackson(frame), FrameSummary.parse(frame));
        });
    }

    /** A common frame with a few characters inserted, deleted or replaced by JSON's significant ones. */
    private static String mutated(Random random) {
        StringBuilder frame = new StringBuilder(COMMON.get(random.nextInt(COMMON.size())));
        String alphabet = "{}[]\":,\\ 0123456789-+.eEtrufalsn\u0000\t\nu\u00e9";
        for (int edits = random.nextInt(4); edits > 0; edits--) {
            int at = random.nextInt(frame.length() + 1);
            char c = alphabet.charAt(random.nextInt(alphabet.length()));
            switch (random.nextInt(3)) {
                case 0 -> frame.insert(at, c);
                case 1 -> frame.deleteCharAt(Math.min(at, frame.length() - 1));
                default -> frame.setCharAt(Math.min(at, frame.length() - 1), c);
            }
        }
        return frame.toString();
    }
}
