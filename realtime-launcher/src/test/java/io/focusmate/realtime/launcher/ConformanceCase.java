package io.focusmate.realtime.launcher;

import io.focusmate.realtime.testkit.RawWebSocket;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One row of the RFC 6455 conformance table: the raw bytes a client writes after the upgrade, the frames it then gets
 * before the server's close frame, and that close frame's code. Immutable.
 *
 * @param name what the row shows
 * @param writes the raw writes, in order, each in one {@code write} call
 * @param answers what the client reads before the close, as {@link #describe} puts it
 * @param close the expected close code
 * @param clientCloses whether the client writes a close 1000 once the answers are in
 */
record ConformanceCase(String name, List<byte[]> writes, List<String> answers, int close, boolean clientCloses) {
    /** The JSON ping every endpoint answers. */
    static final byte[] PING = utf8("{\"type\":\"ping\"}");

    /**
     * A valid exchange: the writes are answered, then the client's close 1000 is echoed. The close is written once the
     * answers are in: a close written with the messages may be echoed before they are answered, and a client that
     * closes wants no more answers (RFC 6455, 5.5.1).
     */
    static ConformanceCase answered(String name, List<byte[]> writes, String... answers) {
        return new ConformanceCase(name, writes, List.of(answers), 1000, true);
    }

    /** The server closes with {@code code} after these writes, with no frame before it. */
    static ConformanceCase closed(String name, int code, byte[]... writes) {
        return new ConformanceCase(name, List.of(writes), List.of(), code, false);
    }

    /** The gateway answers with an error frame of {@code error}, then closes with {@code code}. */
    static ConformanceCase refused(String name, String error, int code, byte[]... writes) {
        return new ConformanceCase(name, List.of(writes), List.of("error:" + error), code, false);
    }

    /** How a frame from the server shows in {@link #answers}: a JSON frame by its type, a pong by its payload. */
    static String describe(RawWebSocket.Frame frame) {
        if (frame.opcode() == 0xA) {
            return "pong-frame:" + frame.text();
        }
        String text = frame.text();
        String type = field(text, "type");
        return "error".equals(type) ? "error:" + field(text, "code") : type;
    }

    private static String field(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        return at < 0 ? "?" + json : json.substring(at + key.length(), json.indexOf('"', at + key.length()));
    }

    /** A masked frame. */
    static byte[] frame(int firstByte, byte[] payload) {
        return RawWebSocket.frame(firstByte, payload);
    }

    /** A masked frame whose mask bit is then cleared: the payload goes as it is, unmasked. */
    static byte[] unmasked(int firstByte, byte[] payload) {
        byte[] frame = new byte[2 + payload.length];
        frame[0] = (byte) firstByte;
        frame[1] = (byte) payload.length;
        System.arraycopy(payload, 0, frame, 2, payload.length);
        return frame;
    }

    /** A masked close frame with this code and reason. */
    static byte[] close(int code, byte[] reason) {
        return frame(0x88, concat(new byte[] {(byte) (code >>> 8), (byte) code}, reason));
    }

    /** A masked text frame header that declares a 64-bit {@code length}, followed by no data. */
    static byte[] declaring(long length) {
        return declaring(0x81, length);
    }

    /** A masked frame header with this first byte that declares a 64-bit {@code length}, followed by no data. */
    static byte[] declaring(int firstByte, long length) {
        return RawWebSocket.headerDeclaring(firstByte, length);
    }

    /** The message cut into text fragments at these offsets: a first frame, continuations, the last with FIN. */
    static List<byte[]> fragments(byte[] message, int... cuts) {
        List<byte[]> frames = new ArrayList<>();
        int from = 0;
        for (int i = 0; i <= cuts.length; i++) {
            int to = i < cuts.length ? cuts[i] : message.length;
            int opcode = i == 0 ? 0x1 : 0x0;
            int fin = i == cuts.length ? 0x80 : 0;
            frames.add(frame(fin | opcode, Arrays.copyOfRange(message, from, to)));
            from = to;
        }
        return frames;
    }

    /** A JSON frame of exactly {@code bytes} ASCII bytes with an unknown type. */
    static byte[] jsonOfBytes(int bytes) {
        String head = "{\"type\":\"filler\",\"data\":\"";
        String tail = "\"}";
        return utf8(head + "x".repeat(bytes - head.length() - tail.length()) + tail);
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] bytes(int... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) values[i];
        }
        return out;
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return name;
    }
}
