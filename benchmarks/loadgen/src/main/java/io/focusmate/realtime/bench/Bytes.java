package io.focusmate.realtime.bench;

import java.nio.charset.StandardCharsets;

/** Byte searches of the load generator's raw clients (HTTP responses and frames read without a String). */
final class Bytes {
    static final byte[] END_OF_HEADERS = ascii("\r\n\r\n");
    static final byte[] SWITCHING_PROTOCOLS = ascii("HTTP/1.1 101");

    private Bytes() {
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    /** Whether {@code bytes[offset, offset + length)} starts with {@code prefix}. */
    static boolean startsWith(byte[] bytes, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first index of {@code needle} in {@code bytes[from, end)}, or -1. */
    static int indexOf(byte[] bytes, int from, int end, byte[] needle) {
        for (int i = from; i + needle.length <= end; i++) {
            if (startsWith(bytes, i, end - i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /** The last index of {@code needle} in {@code bytes[from, end)}, or -1. */
    static int lastIndexOf(byte[] bytes, int from, int end, byte[] needle) {
        for (int i = end - needle.length; i >= from; i--) {
            if (startsWith(bytes, i, end - i, needle)) {
                return i;
            }
        }
        return -1;
    }

    /**
     * A WebSocket upgrade request for {@code target} (path and query) on {@code host:port}, with a fixed key: the
     * raw clients do not check the accept header, only the 101.
     */
    static byte[] upgradeRequest(String target, String host, int port) {
        return ascii("GET " + target + " HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nUpgrade: websocket\r\n"
                + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
    }
}
