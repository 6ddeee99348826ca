package io.focusmate.realtime.internal;

import io.focusmate.realtime.adapter.Frame;
import io.focusmate.realtime.internal.protocol.FrameSummary;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * The engine's {@link Frame}: the text, the wire bytes computed on first use and shared, and for a frame from a
 * channel, its {@link FrameSummary}, read once for every recipient. Thread-safe.
 */
public final class OutboundFrame implements Frame {
    private final String text;
    /** What routing reads of a channel frame, parsed once; null for the gateway's own replies. */
    private final FrameSummary summary;
    /** Computed once on first use (racy single-check: at worst computed twice, never wrong). */
    private volatile ByteBuffer wire;
    /** Computed once on first use, as above. */
    private volatile String type;
    /** Computed once on first use, as above: this frame without its history position. */
    private volatile OutboundFrame bare;
    private static final java.util.regex.Pattern POSITION = java.util.regex.Pattern.compile(
            ",\"channel\":\"(?:[^\"\\\\]|\\\\.)*\",\"offset\":\\d+,\"epoch\":\"[A-Za-z0-9_-]{1,32}\"}");

    /** A frame with this JSON text. */
    public OutboundFrame(String text) {
        this(text, null);
    }

    /** A channel frame with what routing read of it. */
    public OutboundFrame(String text, FrameSummary summary) {
        this.text = text;
        this.summary = summary;
    }

    /** What routing read of a channel frame (read now for a frame that came without it). */
    public FrameSummary summary() {
        return summary != null ? summary : FrameSummary.of(text);
    }

    /**
     * This frame as a client that did not ask for recovery gets it: without the {@code channel}, {@code offset} and
     * {@code epoch} members the notification history appended (the seed's frame, byte for byte). Shared by every
     * such recipient.
     */
    OutboundFrame bare() {
        OutboundFrame known = bare;
        if (known == null) {
            known = this;
            int at = text.lastIndexOf(",\"channel\":\"");
            if (at > 0 && POSITION.matcher(text).region(at, text.length()).matches()) {
                FrameSummary read = summary();
                known = new OutboundFrame(text.substring(0, at) + "}", new FrameSummary(read.type(), read.stamp(),
                        read.version(), read.userId(), read.messageId(), read.count(), null, -1, null));
            }
            bare = known;
        }
        return known;
    }

    @Override
    public String text() {
        return text;
    }

    /** The length of the text in UTF-16 characters (the unit of the outbound queue's limit). */
    int length() {
        return text.length();
    }

    @Override
    public ByteBuffer wire() {
        ByteBuffer encoded = wire;
        if (encoded == null) {
            encoded = encode(text);
            wire = encoded;
        }
        return encoded.duplicate();
    }

    /** The {@code type} of a frame that starts with {@code {"type":"...}} (all the gateway's own do), else other. */
    String type() {
        String known = type;
        if (known == null) {
            known = typeOf(text, summary);
            type = known;
        }
        return known;
    }

    static String typeOf(String frame) {
        return typeOf(frame, null);
    }

    /** As {@link #typeOf(String)}, taking the summary's equal string when there is one instead of a new copy. */
    private static String typeOf(String frame, FrameSummary read) {
        if (!frame.startsWith("{\"type\":\"")) {
            return "other";
        }
        int end = frame.indexOf('"', 9);
        if (end < 0 || end - 9 > 32) {
            return "other";
        }
        String parsed = read == null ? null : read.type();
        return parsed != null && parsed.length() == end - 9 && frame.startsWith(parsed, 9) ? parsed
                : frame.substring(9, end);
    }

    static ByteBuffer encode(String text) {
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        int header = payload.length < 126 ? 2 : payload.length < 65_536 ? 4 : 10;
        ByteBuffer frame = ByteBuffer.allocate(header + payload.length);
        frame.put((byte) 0x81);
        if (payload.length < 126) {
            frame.put((byte) payload.length);
        } else if (payload.length < 65_536) {
            frame.put((byte) 126).putShort((short) payload.length);
        } else {
            frame.put((byte) 127).putLong(payload.length);
        }
        frame.put(payload).flip();
        return frame;
    }
}
