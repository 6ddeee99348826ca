package io.focusmate.realtime.internal.protocol;

/**
 * The fast path of {@link FrameSummary#parse(String)}: one pass over the characters of a payload, allocating only
 * the summary and the strings it keeps. It reads the common shape of a server frame (plain JSON, each member that
 * routing reads present at most once and of its expected kind, unescaped) and says "don't know" ({@code null}) for
 * anything else (an escape in a name or a kept string, a duplicate, a long number, deep nesting, any syntax error),
 * which {@link FrameSummary} then hands to Jackson. So it never accepts what Jackson rejects, and whatever it
 * returns is what Jackson would have read. Stateless.
 */
final class FrameScanner {
    /** Below Jackson's limits on a name (50,000 characters), a number (1,000) and nesting (500). */
    private static final int MAX_LENGTH = 1 << 14;
    private static final int MAX_DEPTH = 32;
    private static final int MAX_DIGITS = 18;
    private static final int TYPE = 1;
    private static final int TS = 2;
    private static final int OFFSET = 4;
    private static final int CHANNEL = 8;
    private static final int EPOCH = 16;
    private static final int DATA = 32;
    private static final int VERSION = 64;
    private static final int MESSAGE_ID = 128;
    private static final int COUNT = 256;
    private static final int USER_ID = 512;

    private FrameScanner() {
    }

    /** Thrown to leave the scan for Jackson; preallocated, no stack trace. */
    private static final class Unsure extends RuntimeException {
        static final Unsure INSTANCE = new Unsure();

        private Unsure() {
            super(null, null, false, false);
        }
    }

    /** The summary of a payload in the common shape, or null when Jackson must decide. */
    static FrameSummary scan(String payload) {
        if (payload.length() > MAX_LENGTH) {
            return null;
        }
        try {
            return new Scan(payload).frame();
        } catch (Unsure | IndexOutOfBoundsException e) {
            return null;
        }
    }

    /** One pass over one payload; confined to the calling thread. */
    private static final class Scan {
        private final String s;
        /** The next character to read. */
        private int at;
        /** The members read so far, as bits: each may be seen once. */
        private int seen;
        private String type;
        private long stamp;
        private long version = -1;
        private String userId;
        private long messageId = -1;
        private long count = -1;
        private String channel;
        private long offset = -1;
        private String epoch;

        Scan(String payload) {
            this.s = payload;
        }

        FrameSummary frame() {
            expect('{');
            if (peek() != '}') {
                do {
                    topLevel(name());
                } while (comma('}'));
            }
            at++;
            skipSpace();
            if (at != s.length() || type == null) {
                throw Unsure.INSTANCE;
            }
            return new FrameSummary(type, stamp, version, userId, messageId, count, channel, offset, epoch);
        }

        private void topLevel(int name) {
            switch (name) {
                case TYPE -> type = keptString(TYPE);
                case TS -> stamp = Math.max(0, keptLong(TS));
                case OFFSET -> offset = Math.max(-1, keptLong(OFFSET));
                case CHANNEL -> channel = keptString(CHANNEL);
                case EPOCH -> epoch = keptString(EPOCH);
                case DATA -> data();
                default -> value(1);
            }
        }

        private void data() {
            once(DATA);
            expect('{');
            if (peek() == '}') {
                at++;
                return;
            }
            do {
                switch (name()) {
                    case VERSION -> version = keptLong(VERSION);
                    case MESSAGE_ID -> messageId = keptLong(MESSAGE_ID);
                    case COUNT -> count = keptLong(COUNT);
                    case USER_ID -> userId = keptString(USER_ID);
                    default -> value(2);
                }
            } while (comma('}'));
            at++;
        }

        /** A member name and its colon, as the bit of a member routing reads, or 0; an escaped name: Jackson's. */
        private int name() {
            expect('"');
            int start = at;
            int end = plainStringEnd();
            at = end + 1;
            expect(':');
            skipSpace();
            return switch (end - start) {
                case 2 -> is(start, "ts") ? TS : 0;
                case 4 -> is(start, "type") ? TYPE : is(start, "data") ? DATA : 0;
                case 5 -> is(start, "epoch") ? EPOCH : is(start, "count") ? COUNT : 0;
                case 6 -> is(start, "offset") ? OFFSET : 0;
                case 7 -> is(start, "channel") ? CHANNEL : is(start, "version") ? VERSION
                        : is(start, "user_id") ? USER_ID : 0;
                case 10 -> is(start, "message_id") ? MESSAGE_ID : 0;
                default -> 0;
            };
        }

        private boolean is(int start, String name) {
            return s.startsWith(name, start);
        }

        private String keptString(int bit) {
            once(bit);
            if (s.charAt(at) != '"') {
                throw Unsure.INSTANCE;
            }
            int start = ++at;
            int end = plainStringEnd();
            at = end + 1;
            return s.substring(start, end);
        }

        private long keptLong(int bit) {
            once(bit);
            boolean negative = s.charAt(at) == '-';
            int start = negative ? ++at : at;
            long value = 0;
            while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                value = value * 10 + (s.charAt(at++) - '0');
            }
            int digits = at - start;
            if (digits == 0 || digits > MAX_DIGITS || (digits > 1 && s.charAt(start) == '0') || numberGoesOn()) {
                throw Unsure.INSTANCE; // not a plain integer that fits a long: Jackson decides
            }
            return negative ? -value : value;
        }

        private boolean numberGoesOn() {
            if (at >= s.length()) {
                return false;
            }
            char c = s.charAt(at);
            return c == '.' || c == 'e' || c == 'E';
        }

        /** Any JSON value, checked and skipped. */
        private void value(int depth) {
            if (depth > MAX_DEPTH) {
                throw Unsure.INSTANCE;
            }
            char c = s.charAt(at);
            if (c == '"') {
                at++;
                at = escapedStringEnd() + 1;
            } else if (c == '{') {
                at++;
                skipSpace();
                if (peekRaw() != '}') {
                    do {
                        expect('"');
                        at = escapedStringEnd() + 1;
                        expect(':');
                        skipSpace();
                        value(depth + 1);
                    } while (comma('}'));
                }
                at++;
            } else if (c == '[') {
                at++;
                skipSpace();
                if (peekRaw() != ']') {
                    do {
                        skipSpace();
                        value(depth + 1);
                    } while (comma(']'));
                }
                at++;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                number();
            } else {
                literal(c == 't' ? "true" : c == 'f' ? "false" : "null");
            }
            skipSpace();
        }

        private void number() {
            int start = at;
            if (s.charAt(at) == '-') {
                at++;
            }
            int intStart = at;
            digits();
            if (at - intStart > 1 && s.charAt(intStart) == '0') {
                throw Unsure.INSTANCE;
            }
            if (at < s.length() && s.charAt(at) == '.') {
                at++;
                digits();
            }
            if (at < s.length() && (s.charAt(at) == 'e' || s.charAt(at) == 'E')) {
                at++;
                if (s.charAt(at) == '+' || s.charAt(at) == '-') {
                    at++;
                }
                digits();
            }
            if (at - start > 64) {
                throw Unsure.INSTANCE;
            }
        }

        private void digits() {
            int start = at;
            while (at < s.length() && s.charAt(at) >= '0' && s.charAt(at) <= '9') {
                at++;
            }
            if (at == start) {
                throw Unsure.INSTANCE;
            }
        }

        private void literal(String word) {
            if (!s.startsWith(word, at)) {
                throw Unsure.INSTANCE;
            }
            at += word.length();
        }

        /** The index of the closing quote of a string without escapes that starts at {@code at}. */
        private int plainStringEnd() {
            for (int i = at; ; i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    return i;
                }
                if (c == '\\' || c < 0x20) {
                    throw Unsure.INSTANCE;
                }
            }
        }

        /** The index of the closing quote of a string that starts at {@code at}, checking its escapes. */
        private int escapedStringEnd() {
            for (int i = at; ; i++) {
                char c = s.charAt(i);
                if (c == '"') {
                    return i;
                }
                if (c < 0x20) {
                    throw Unsure.INSTANCE;
                }
                if (c == '\\') {
                    char e = s.charAt(++i);
                    if (e == 'u') {
                        for (int k = 1; k <= 4; k++) {
                            char h = s.charAt(i + k);
                            if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) {
                                throw Unsure.INSTANCE;
                            }
                        }
                        i += 4;
                    } else if ("\"\\/bfnrt".indexOf(e) < 0) {
                        throw Unsure.INSTANCE;
                    }
                }
            }
        }

        /** After a member or element: true after a comma (more follow), false before {@code close}. */
        private boolean comma(char close) {
            skipSpace();
            char c = s.charAt(at);
            if (c == ',') {
                at++;
                skipSpace();
                return true;
            }
            if (c != close) {
                throw Unsure.INSTANCE;
            }
            return false;
        }

        private void once(int bit) {
            if ((seen & bit) != 0) {
                throw Unsure.INSTANCE;
            }
            seen |= bit;
        }

        private void expect(char c) {
            skipSpace();
            if (s.charAt(at) != c) {
                throw Unsure.INSTANCE;
            }
            at++;
        }

        private char peek() {
            skipSpace();
            return s.charAt(at);
        }

        private char peekRaw() {
            return s.charAt(at);
        }

        private void skipSpace() {
            while (at < s.length()) {
                char c = s.charAt(at);
                if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                    return;
                }
                at++;
            }
        }
    }
}
