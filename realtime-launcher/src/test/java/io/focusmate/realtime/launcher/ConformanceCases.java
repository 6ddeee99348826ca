package io.focusmate.realtime.launcher;

import static io.focusmate.realtime.launcher.ConformanceCase.PING;
import static io.focusmate.realtime.launcher.ConformanceCase.answered;
import static io.focusmate.realtime.launcher.ConformanceCase.bytes;
import static io.focusmate.realtime.launcher.ConformanceCase.close;
import static io.focusmate.realtime.launcher.ConformanceCase.closed;
import static io.focusmate.realtime.launcher.ConformanceCase.concat;
import static io.focusmate.realtime.launcher.ConformanceCase.declaring;
import static io.focusmate.realtime.launcher.ConformanceCase.fragments;
import static io.focusmate.realtime.launcher.ConformanceCase.frame;
import static io.focusmate.realtime.launcher.ConformanceCase.jsonOfBytes;
import static io.focusmate.realtime.launcher.ConformanceCase.refused;
import static io.focusmate.realtime.launcher.ConformanceCase.unmasked;
import static io.focusmate.realtime.launcher.ConformanceCase.utf8;

import java.util.ArrayList;
import java.util.List;

/**
 * The RFC 6455 conformance table of the launcher with the default message limit (10240 bytes; the container takes
 * 4 x that, 40960): what each raw frame sequence gets. docs/protocol.md, section 8, describes the same table.
 */
final class ConformanceCases {
    /** The default MAX_MESSAGE_BYTES. */
    static final int LIMIT = 10_240;

    private ConformanceCases() {
    }

    static List<ConformanceCase> all() {
        List<ConformanceCase> all = new ArrayList<>();
        all.addAll(valid());
        all.addAll(protocolErrors());
        all.addAll(protocolErrorsFromTheHeader());
        all.addAll(badCloseFrames());
        all.addAll(invalidUtf8());
        all.addAll(sizes());
        return all;
    }

    /** What a conforming client does, and the answers it gets. */
    static List<ConformanceCase> valid() {
        List<ConformanceCase> cases = new ArrayList<>(validMessages());
        for (int code : new int[] {1002, 1003, 1007, 1008, 1009, 1010, 1011}) {
            cases.add(closed("a close " + code + " is echoed with " + code, code, close(code, new byte[0])));
        }
        return cases;
    }

    private static List<ConformanceCase> validMessages() {
        byte[] hangul = utf8("{\"type\":\"ping\",\"data\":\"\uAC00\"}"); // U+AC00 is 3 bytes: EA B0 80
        int inside = 24; // after EA, in the middle of the character
        return List.of(
                answered("a whole text frame is answered", List.of(frame(0x81, PING)), "pong"),
                answered("a text message in three fragments is reassembled and answered",
                        fragments(PING, 5, 10), "pong"),
                answered("a message with an empty first fragment and an empty last one is reassembled",
                        fragments(PING, 0, PING.length), "pong"),
                answered("a character split between two fragments is reassembled", fragments(hangul, inside), "pong"),
                answered("a ping control frame between fragments is answered at once with a pong of its payload",
                        interleaved(frame(0x89, utf8("hi"))), "pong-frame:hi", "pong"),
                answered("a pong control frame between fragments is taken silently",
                        interleaved(frame(0x8A, utf8("unsolicited"))), "pong"),
                answered("a ping of 125 bytes, the largest control frame, is answered",
                        List.of(frame(0x89, utf8("p".repeat(125)))), "pong-frame:" + "p".repeat(125)),
                answered("a text frame of exactly the limit reaches the gateway",
                        List.of(frame(0x81, jsonOfBytes(LIMIT))), "error:UNKNOWN_TYPE"),
                answered("a fragmented message of exactly the limit reaches the gateway",
                        fragments(jsonOfBytes(LIMIT), 4000, 8000), "error:UNKNOWN_TYPE"),
                answered("a text frame that is not JSON gets INVALID_MESSAGE and the connection stays open",
                        List.of(frame(0x81, utf8("{not json"))), "error:INVALID_MESSAGE"),
                closed("a close 1000 is echoed with 1000", 1000, close(1000, new byte[0])),
                closed("a close 1001 with a reason is echoed with 1001", 1001, close(1001, utf8("bye"))),
                closed("a close 3000 (registered range) is echoed with 3000", 3000, close(3000, new byte[0])),
                closed("a close 4999 (private range) is echoed with 4999", 4999, close(4999, utf8("ok"))),
                closed("a close with a UTF-8 reason is echoed", 1000, close(1000, utf8("fin \u00E9\u00E8"))),
                closed("a close without a code is answered with 1000", 1000, frame(0x88, new byte[0])),
                closed("a close between two fragments is echoed", 1000,
                        frame(0x01, utf8("{\"type\"")), close(1000, new byte[0])));
    }

    /** Frames RFC 6455 forbids (sections 5.1 to 5.5): 1002. */
    static List<ConformanceCase> protocolErrors() {
        List<ConformanceCase> cases = new ArrayList<>(List.of(
                closed("an unmasked client frame closes with 1002", 1002, unmasked(0x81, PING)),
                closed("an unmasked close frame closes with 1002", 1002, unmasked(0x88, bytes(0x03, 0xE8))),
                closed("a 64-bit length with its top bit set closes with 1002", 1002, declaring(Long.MIN_VALUE + 5)),
                closed("a ping of 126 bytes (an oversize control frame) closes with 1002", 1002,
                        frame(0x89, new byte[126])),
                closed("a close of 126 bytes (an oversize control frame) closes with 1002", 1002,
                        frame(0x88, concat(bytes(0x03, 0xE8), new byte[124]))),
                closed("a fragmented ping (a control frame without FIN) closes with 1002", 1002,
                        frame(0x09, utf8("a"))),
                closed("a continuation frame with no message started closes with 1002", 1002, frame(0x80, PING)),
                closed("a non-final continuation with no message started closes with 1002", 1002, frame(0x00, PING)),
                closed("a new text frame inside a fragmented message closes with 1002", 1002,
                        frame(0x01, utf8("{\"type\"")), frame(0x81, PING)),
                closed("a binary frame inside a fragmented text message closes with 1002", 1002,
                        frame(0x01, utf8("{\"type\"")), frame(0x82, PING))));
        for (int rsv : new int[] {0x40, 0x20, 0x10}) {
            cases.add(closed("a text frame with reserved bit 0x" + Integer.toHexString(rsv) + " set closes with 1002",
                    1002, frame(0x80 | rsv | 0x1, PING)));
        }
        cases.add(closed("a ping with a reserved bit set closes with 1002", 1002, frame(0x80 | 0x40 | 0x9, PING)));
        cases.add(closed("a continuation with a reserved bit set closes with 1002", 1002,
                frame(0x01, utf8("{\"type\"")), frame(0x80 | 0x20, utf8(":\"ping\"}"))));
        for (int opcode : new int[] {0x3, 0x4, 0x5, 0x6, 0x7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            cases.add(closed("a frame of reserved opcode 0x" + Integer.toHexString(opcode) + " closes with 1002", 1002,
                    frame(0x80 | opcode, PING)));
        }
        return cases;
    }

    /**
     * Frames whose header alone breaks RFC 6455, with a body large enough that the container would wait for all of
     * it before looking: they are refused from the header (1002), before any of their data is sent.
     */
    static List<ConformanceCase> protocolErrorsFromTheHeader() {
        long body = 30_000; // under 4 x the limit: not too large, only wrong
        return List.of(
                closed("a ping declaring 2^40 bytes closes with 1002 (an oversize control frame), not 1009", 1002,
                        declaring(0x89, 1L << 40)),
                closed("a frame of reserved opcode 0x3 closes with 1002 before its data", 1002, declaring(0x83, body)),
                closed("a text frame with a reserved bit set closes with 1002 before its data", 1002,
                        declaring(0xC1, body)),
                closed("a stray continuation closes with 1002 before its data", 1002, declaring(0x80, body)),
                closed("a new text frame inside a fragmented message closes with 1002 before its data", 1002,
                        frame(0x01, utf8("{\"type\"")), declaring(0x81, body)));
    }

    /** Close frames whose code no endpoint may send (RFC 6455, 7.4), or a one-byte payload: 1002. */
    static List<ConformanceCase> badCloseFrames() {
        List<ConformanceCase> cases = new ArrayList<>();
        for (int code : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535}) {
            cases.add(closed("a close with code " + code + " closes with 1002", 1002, close(code, new byte[0])));
        }
        cases.add(closed("a close of one byte closes with 1002", 1002, frame(0x88, bytes(0x03))));
        return cases;
    }

    /** Text that is not UTF-8 (RFC 6455, 8.1): 1007, wherever it is. */
    static List<ConformanceCase> invalidUtf8() {
        byte[] head = utf8("{\"type\":\"ping\",\"data\":\"");
        byte[] tail = utf8("\"}");
        List<ConformanceCase> cases = new ArrayList<>();
        String[][] bad = {
            {"a lone continuation byte", "80"}, {"an invalid start byte", "FF"}, {"C3 28", "C328"},
            {"an overlong slash", "C0AF"}, {"a surrogate", "EDA080"}, {"a code point above U+10FFFF", "F4908080"},
        };
        for (String[] each : bad) {
            byte[] invalid = hex(each[1]);
            cases.add(closed("a text frame with " + each[0] + " closes with 1007", 1007,
                    frame(0x81, concat(head, invalid, tail))));
            cases.add(closed("a continuation frame with " + each[0] + " closes with 1007", 1007,
                    frame(0x01, head), frame(0x80, concat(invalid, tail))));
            cases.add(closed("a close reason with " + each[0] + " closes with 1007", 1007,
                    close(1000, concat(utf8("bye "), invalid))));
        }
        cases.add(closed("invalid UTF-8 in a first fragment closes with 1007 before the message ends", 1007,
                frame(0x01, concat(head, hex("FF")))));
        cases.add(closed("a message that ends inside a character closes with 1007", 1007,
                frame(0x81, concat(head, hex("EAB0")))));
        cases.add(closed("a fragmented message that ends inside a character closes with 1007", 1007,
                frame(0x01, head), frame(0x80, hex("EAB0"))));
        return cases;
    }

    /** The size limit, on whole and fragmented messages. */
    static List<ConformanceCase> sizes() {
        byte[] overLimit = jsonOfBytes(LIMIT + 1);
        byte[] fourTimes = jsonOfBytes(4 * LIMIT);
        return List.of(
                refused("a text frame over the limit gets MESSAGE_TOO_LARGE and 1009", "MESSAGE_TOO_LARGE", 1009,
                        frame(0x81, overLimit)),
                refused("a text frame of 4 x the limit still gets MESSAGE_TOO_LARGE and 1009", "MESSAGE_TOO_LARGE",
                        1009, frame(0x81, fourTimes)),
                refused("a fragmented message over the limit gets MESSAGE_TOO_LARGE and 1009", "MESSAGE_TOO_LARGE",
                        1009, fragments(overLimit, 5000, 10_000).toArray(byte[][]::new)),
                closed("a fragmented message over 4 x the limit closes with 1009", 1009,
                        fragments(jsonOfBytes(5 * LIMIT), LIMIT, 2 * LIMIT, 3 * LIMIT, 4 * LIMIT)
                                .toArray(byte[][]::new)),
                closed("a frame declaring one byte over 4 x the limit closes with 1009 from its header", 1009,
                        declaring(4L * LIMIT + 1)),
                closed("a frame declaring 2^62 bytes closes with 1009 from its header", 1009, declaring(1L << 62)),
                closed("a fragment declaring over 4 x the limit closes with 1009 from its header", 1009,
                        frame(0x01, utf8("{\"type\"")), declaring(0x80, 5L * LIMIT)),
                refused("a binary frame gets INVALID_MESSAGE and 1003", "INVALID_MESSAGE", 1003,
                        frame(0x82, bytes(1, 2, 3))),
                refused("a fragmented binary message gets INVALID_MESSAGE and 1003", "INVALID_MESSAGE", 1003,
                        frame(0x02, bytes(1, 2)), frame(0x80, bytes(3))));
    }

    /** The ping JSON in two fragments with {@code control} between them. */
    private static List<byte[]> interleaved(byte[] control) {
        List<byte[]> frames = new ArrayList<>(fragments(PING, 7));
        frames.add(1, control);
        return frames;
    }

    private static byte[] hex(String hex) {
        byte[] out = new byte[hex.length() / 2];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return out;
    }
}
