package io.focusmate.realtime.launcher.server;

/**
 * An incremental UTF-8 check (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF), fed a fragmented
 * message's bytes fragment by fragment, so that invalid text is refused at the first fragment that shows it (RFC 6455
 * 8.1: "fail fast"). Not thread-safe: one per message, on the connection's reading thread.
 */
final class Utf8Check {
    /** Owned by the reading thread, as are the bounds: continuation bytes still expected. */
    private int need;
    private int lower = 0x80;
    private int upper = 0xBF;

    /** False at the first byte that no valid UTF-8 text can contain here. */
    boolean feed(byte[] bytes) {
        for (byte b : bytes) {
            int c = b & 0xFF;
            if (need == 0) {
                if (c < 0x80) {
                    continue;
                }
                if (c >= 0xC2 && c <= 0xDF) {
                    need = 1;
                } else if (c >= 0xE0 && c <= 0xEF) {
                    need = 2;
                } else if (c >= 0xF0 && c <= 0xF4) {
                    need = 3;
                } else {
                    return false;
                }
                lower = c == 0xE0 ? 0xA0 : c == 0xF0 ? 0x90 : 0x80;
                upper = c == 0xED ? 0x9F : c == 0xF4 ? 0x8F : 0xBF;
            } else {
                if (c < lower || c > upper) {
                    return false;
                }
                lower = 0x80;
                upper = 0xBF;
                need--;
            }
        }
        return true;
    }

    /** Whether the bytes fed so far end on a whole character. */
    boolean complete() {
        return need == 0;
    }
}
