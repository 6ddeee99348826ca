package io.focusmate.realtime.internal.protocol;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Generators of client text frames for the fuzz tests: not only random strings but JSON-ish structures (every JSON
 * type, nested objects and arrays, huge and malformed numbers, deep nesting, unicode, lone surrogates, NUL), frames
 * shaped like real messages with random members, real messages with one mutation, and texts around the size limit.
 */
public final class ClientFrames {
    /** Types the endpoints accept, so that generated frames reach their handlers. */
    private static final List<String> TYPES = List.of("ping", "subscribe", "unsubscribe", "message", "typing", "read",
            "timer_start", "timer_pause", "timer_resume", "timer_reset", "update_settings", "error", "");
    private static final List<String> VALID = List.of("{\"type\":\"ping\"}",
            "{\"type\":\"subscribe\",\"data\":{\"channel\":\"notifications:broadcast\"}}",
            "{\"type\":\"message\",\"data\":{\"content\":\"hi\",\"client_msg_id\":\"c-1\"}}",
            "{\"type\":\"typing\",\"data\":{\"is_typing\":true}}", "{\"type\":\"read\",\"data\":{\"message_id\":3}}",
            "{\"type\":\"timer_start\",\"data\":{\"duration_s\":1500}}");
    private static final List<String> STRINGS = List.of("\"type\"", "\"data\"", "\"channel\"", "\"content\"",
            "\"\\u0000\"", "\"\\ud800\"", "\"\\udc00\\ud800\"", "\"\\uD83D\\uDE00\"", "\"\\x\"", "\"\u0000\"",
            "\"\uD800\"", "\"\uDC00\"");
    private static final List<String> NUMBERS = List.of("1e999999", "-1e-999999", "-0", "0.0", "1E+2", "01", "1.",
            ".5", "NaN", "Infinity", "-Infinity", "0x10", "1_000", "9223372036854775808", "-9223372036854775809");
    private static final String STRUCTURE = "{}[]\":,\\u0e-";

    private ClientFrames() {
    }

    /** Any client frame text, from every generator below. */
    public static String anyFrame(Random random) {
        return switch (random.nextInt(11)) {
            case 0, 1, 2 -> messageShaped(random);
            case 3, 4 -> jsonValue(random, 4);
            case 5, 6 -> mutated(random);
            case 7, 8 -> rawText(random, 60);
            case 9 -> deeplyNested(random);
            default -> nearTheLimit(random, 10_240);
        };
    }

    /** Up to {@code max} UTF-16 units of anything: unicode, lone surrogates, NUL, JSON punctuation. */
    public static String rawText(Random random, int max) {
        int length = random.nextInt(max + 1);
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(switch (random.nextInt(9)) {
                case 0, 1, 2, 3 -> (char) random.nextInt(0x10000);
                case 4, 5, 6 -> STRUCTURE.charAt(random.nextInt(STRUCTURE.length()));
                case 7 -> (char) (0xD800 + random.nextInt(0x800)); // a surrogate, most often alone
                default -> (char) random.nextInt(0x20); // NUL and the other control characters
            });
        }
        return out.toString();
    }

    /** An object with maybe a {@code type} (often a real one), maybe a {@code data}, and other members. */
    public static String messageShaped(Random random) {
        List<String> members = new ArrayList<>();
        int type = random.nextInt(3);
        if (type == 0) {
            members.add("\"type\":\"" + TYPES.get(random.nextInt(TYPES.size())) + "\"");
        } else if (type == 1) {
            members.add("\"type\":" + jsonValue(random, 2));
        }
        if (random.nextBoolean()) {
            members.add("\"data\":" + jsonValue(random, 3));
        }
        for (int i = random.nextInt(3); i > 0; i--) {
            members.add(random.nextInt(members.size() + 1), member(random, 2));
        }
        return "{" + String.join(",", members) + "}";
    }

    /** Any JSON value nested at most {@code depth} deep, and some texts that only look like one. */
    public static String jsonValue(Random random, int depth) {
        int kind = depth == 0 ? random.nextInt(3) : random.nextInt(6);
        switch (kind) {
            case 0:
                return number(random);
            case 1:
                return jsonString(random);
            case 2:
                return List.of("true", "false", "null").get(random.nextInt(3));
            case 3:
                List<String> values = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    values.add(jsonValue(random, depth - 1));
                }
                return "[" + String.join(",", values) + "]";
            default:
                List<String> members = new ArrayList<>();
                for (int i = random.nextInt(5); i > 0; i--) {
                    members.add(member(random, depth - 1));
                }
                return "{" + String.join(",", members) + "}";
        }
    }

    /** Brackets nested up to 5000 deep, balanced or not, inside a message's data. */
    public static String deeplyNested(Random random) {
        int depth = 1 + random.nextInt(5_000);
        boolean array = random.nextBoolean();
        String open = array ? "[" : "{\"a\":";
        String close = array ? "]" : "}";
        String inner = open.repeat(depth) + "1" + (random.nextBoolean() ? close.repeat(depth) : "");
        return "{\"type\":\"ping\",\"data\":" + inner + "}";
    }

    /** A real message with one character inserted, removed or replaced, or cut short. */
    public static String mutated(Random random) {
        String text = VALID.get(random.nextInt(VALID.size()));
        int i = random.nextInt(text.length() + 1);
        char c = (char) random.nextInt(0x10000);
        String rest = i < text.length() ? text.substring(i + 1) : "";
        return switch (random.nextInt(4)) {
            case 0 -> text.substring(0, i) + c + text.substring(i);
            case 1 -> text.substring(0, i) + rest;
            case 2 -> text.substring(0, i) + c + rest;
            default -> text.substring(0, i);
        };
    }

    /** A frame whose UTF-8 length is around {@code limit} bytes, in 1-, 2-, 3- or 4-byte characters. */
    public static String nearTheLimit(Random random, int limit) {
        String[] units = {"x", "\u00E9", "\uAC00", "\uD83D\uDE00"};
        int[] bytes = {1, 2, 3, 4};
        int unit = random.nextInt(units.length);
        String head = "{\"type\":\"ping\",\"data\":\"";
        int count = Math.max(0, (limit - head.length() - 2) / bytes[unit] + random.nextInt(17) - 8);
        return head + units[unit].repeat(count) + "\"}";
    }

    private static String member(Random random, int depth) {
        return jsonString(random) + ":" + jsonValue(random, depth);
    }

    /** A JSON string literal of any content: escaped properly, or with escaped or raw lone surrogates and NUL. */
    private static String jsonString(Random random) {
        if (random.nextInt(3) == 0) {
            return STRINGS.get(random.nextInt(STRINGS.size()));
        }
        StringBuilder out = new StringBuilder("\"");
        for (char c : rawText(random, 20).toCharArray()) {
            if (c == '"' || c == '\\') {
                out.append('\\').append(c);
            } else if (c < 0x20) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.append('"').toString();
    }

    /** Integers of any size, decimals with huge exponents, and tokens that are not JSON numbers. */
    private static String number(Random random) {
        return switch (random.nextInt(6)) {
            case 0 -> String.valueOf(random.nextInt());
            case 1 -> String.valueOf(random.nextLong());
            case 2 -> String.valueOf(Double.longBitsToDouble(random.nextLong()));
            case 3 -> new BigInteger(1 + random.nextInt(1_400), random).toString(); // up to 420 digits
            case 4 -> "1".repeat(1 + random.nextInt(2_000)); // past the parser's number length limit
            default -> NUMBERS.get(random.nextInt(NUMBERS.size()));
        };
    }
}
