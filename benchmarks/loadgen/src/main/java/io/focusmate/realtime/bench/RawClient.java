package io.focusmate.realtime.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * One benchmark client on a raw non-blocking socket: it writes a prebuilt HTTP upgrade request, reads the 101
 * response, then parses the server's frames (unmasked, RFC 6455) straight from its read buffer and hands each text
 * message to its {@link Listener} as bytes. It answers pings with pongs and a close with nothing (the fleet closes
 * the socket). Owned by the fleet's selector thread: not thread-safe.
 */
final class RawClient {
    /** What a client reports; called on the selector thread. */
    interface Listener {
        /** A whole text message: {@code length} bytes of {@code bytes} from {@code offset}. */
        void onText(RawClient client, byte[] bytes, int offset, int length);
    }

    private static final int BUFFER = 4096;

    final SocketChannel channel;
    private final Listener listener;
    /** Selector thread: the upgrade request still to write, or null once written. */
    private ByteBuffer request;
    /** Selector thread: bytes read and not yet parsed (in write mode between reads). */
    private ByteBuffer in = ByteBuffer.allocate(BUFFER);
    /** Selector thread: whether the 101 response was read. */
    private boolean upgraded;
    /** Selector thread: a text message's fragments so far, or null outside a fragmented message. */
    private ByteArrayOutputStream fragments;
    /** Selector thread: this client's last bench sequence number (per-channel order), or -1. */
    long lastSeq = -1;
    /** Selector thread: whether the greeting arrived (or the client failed before it). */
    boolean settled;

    RawClient(SocketChannel channel, URI uri, Listener listener) {
        this.channel = channel;
        this.listener = listener;
        String target = uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        this.request = ByteBuffer.wrap(Bytes.upgradeRequest(target, uri.getHost(), uri.getPort()));
    }

    /** Writes what is left of the upgrade request; true once all of it is written. */
    boolean writeRequest() throws IOException {
        channel.write(request);
        if (request.hasRemaining()) {
            return false;
        }
        request = null;
        return true;
    }

    /**
     * Reads what the socket has (once: the selector is level-triggered and calls again for the rest) and handles
     * every whole frame; false when the connection ended (EOF, a close frame or a refused upgrade).
     */
    boolean read() throws IOException {
        return channel.read(in) >= 0 && parse();
    }

    /** Handles the buffered response and frames; false on a close frame or a refused upgrade. */
    private boolean parse() throws IOException {
        in.flip();
        try {
            if (!upgraded) {
                int end = Bytes.indexOf(in.array(), in.position(), in.limit(), Bytes.END_OF_HEADERS);
                if (end < 0) {
                    return in.limit() < in.capacity() || grow(in.capacity() * 2);
                }
                if (!Bytes.startsWith(in.array(), in.position(), in.remaining(), Bytes.SWITCHING_PROTOCOLS)) {
                    return false;
                }
                in.position(end + Bytes.END_OF_HEADERS.length);
                upgraded = true;
            }
            while (in.remaining() >= 2) {
                int start = in.position();
                int b0 = in.get(start) & 0xff;
                int b1 = in.get(start + 1) & 0x7f;
                int header = 2;
                long length = b1;
                if (b1 == 126) {
                    header = 4;
                    length = in.remaining() < header ? -1 : in.getShort(start + 2) & 0xffff;
                } else if (b1 == 127) {
                    header = 10;
                    length = in.remaining() < header ? -1 : in.getLong(start + 2);
                }
                if (length < 0 || in.remaining() < header + length) {
                    return header + length <= in.capacity() || grow((int) (header + length));
                }
                if (!frame(b0 & 0x80, b0 & 0x0f, start + header, (int) length)) {
                    return false;
                }
                in.position(start + header + (int) length);
            }
            return true;
        } finally {
            in.compact();
            if (in.position() == 0 && in.capacity() > BUFFER) {
                in = ByteBuffer.allocate(BUFFER); // a large frame (a big room_state) was read: give the memory back
            }
        }
    }

    /** One whole frame at {@code offset} of the read buffer; false for a close. */
    private boolean frame(int fin, int opcode, int offset, int length) throws IOException {
        byte[] bytes = in.array();
        switch (opcode) {
            case 1, 0 -> {
                if (fin != 0 && fragments == null) {
                    listener.onText(this, bytes, offset, length);
                    return true;
                }
                if (fragments == null) {
                    fragments = new ByteArrayOutputStream();
                }
                fragments.write(bytes, offset, length);
                if (fin != 0) {
                    byte[] whole = fragments.toByteArray();
                    fragments = null;
                    listener.onText(this, whole, 0, whole.length);
                }
                return true;
            }
            case 9 -> {
                pong(bytes, offset, length);
                return true;
            }
            case 8 -> {
                return false;
            }
            default -> {
                return true; // binary or pong: not part of the benchmark
            }
        }
    }

    /** Answers a ping with its payload, masked with a zero key (so the payload goes as it is). */
    private void pong(byte[] bytes, int offset, int length) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(6 + length);
        out.put((byte) 0x8A).put((byte) (0x80 | length)).putInt(0).put(bytes, offset, length).flip();
        for (int i = 0; i < 100 && out.hasRemaining(); i++) {
            channel.write(out);
        }
    }

    /** Makes room for {@code needed} bytes in the (flipped) read buffer; always true. */
    private boolean grow(int needed) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(needed, in.capacity()));
        bigger.put(in);
        bigger.flip();
        in = bigger;
        return true;
    }
}
