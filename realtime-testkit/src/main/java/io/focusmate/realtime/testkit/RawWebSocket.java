package io.focusmate.realtime.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A minimal hand-written WebSocket client for what library clients smooth over: it writes a whole frame with one
 * {@code write} call (as browsers do with large frames), writes any frame RFC 6455 forbids (fragments, reserved bits
 * and opcodes, bad close codes, raw bytes), and reads raw frames, close codes included. Not thread-safe.
 */
public final class RawWebSocket implements AutoCloseable {
    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    private RawWebSocket(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Opens the socket and completes the upgrade handshake. */
    public static RawWebSocket connect(String uri) throws IOException {
        URI target = URI.create(uri);
        Socket socket = new Socket(target.getHost(), target.getPort());
        socket.setSoTimeout(10_000);
        String path = target.getRawPath() + (target.getRawQuery() == null ? "" : "?" + target.getRawQuery());
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + target.getHost() + ":" + target.getPort()
                + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(new byte[16]) + "\r\n\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        RawWebSocket ws = new RawWebSocket(socket);
        String status = ws.readHeaderLine();
        if (!status.contains(" 101 ")) {
            throw new IOException("upgrade refused: " + status);
        }
        while (!ws.readHeaderLine().isEmpty()) {
            // skip the response headers
        }
        return ws;
    }

    /** Writes one masked text frame in a single write call. */
    public void sendText(String text) throws IOException {
        sendFrame(0x81, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes one masked frame in a single write call: {@code firstByte} is FIN, the three reserved bits and the opcode
     * as they go on the wire (0x81 a whole text frame, 0x01 a first fragment, 0x80 a last continuation, 0x89 a ping,
     * 0x88 a close), whatever RFC 6455 says of them.
     */
    public void sendFrame(int firstByte, byte[] payload) throws IOException {
        sendRaw(frame(firstByte, payload));
    }

    /** Writes a masked close frame with this code and reason (any code, even one RFC 6455 forbids). */
    public void sendClose(int code, byte[] reason) throws IOException {
        byte[] payload = new byte[2 + reason.length];
        payload[0] = (byte) (code >>> 8);
        payload[1] = (byte) code;
        System.arraycopy(reason, 0, payload, 2, reason.length);
        sendFrame(0x88, payload);
    }

    /** The bytes of one masked client frame: {@code firstByte} as it is, the shortest length encoding, a mask. */
    public static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(firstByte);
        if (payload.length < 126) {
            frame.write(0x80 | payload.length);
        } else if (payload.length < 65_536) {
            frame.write(0x80 | 126);
            frame.write(payload.length >>> 8);
            frame.write(payload.length);
        } else {
            frame.write(0x80 | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                frame.write((int) ((long) payload.length >>> shift));
            }
        }
        byte[] mask = {1, 2, 3, 4};
        frame.write(mask, 0, 4);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        return frame.toByteArray();
    }

    /**
     * A masked frame header that declares a 64-bit {@code length} (any value, even one with its top bit set), with
     * {@code firstByte} as it is (0x81 a whole text frame) and its masking key, followed by no data.
     */
    public static byte[] headerDeclaring(int firstByte, long length) {
        byte[] header = new byte[14];
        header[0] = (byte) firstByte;
        header[1] = (byte) (0x80 | 127);
        for (int i = 0; i < 8; i++) {
            header[2 + i] = (byte) (length >>> (56 - 8 * i));
        }
        header[10] = 1;
        header[11] = 2;
        header[12] = 3;
        header[13] = 4;
        return header;
    }

    /**
     * Writes these bytes as they are: a frame header a polite client never sends (unmasked, a length from another
     * world), or part of a frame.
     */
    public void sendRaw(byte[] bytes) throws IOException {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            // the server may cut the socket while the bytes are still going out; the close frame is still readable
        }
    }

    /** How long {@link #nextFrame()} waits for the server (10 s at first). */
    public void readTimeout(java.time.Duration timeout) throws IOException {
        socket.setSoTimeout((int) timeout.toMillis());
    }

    /**
     * Ends what this client sends (a TCP half-close), as a client that stopped mid-frame would: the server reads the
     * end of the stream, and the frames it sent are still readable here.
     */
    public void endOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** Reads frames until a close frame and returns its code, or -1 when the socket ends (or times out) without one. */
    public int awaitCloseCode() throws IOException {
        try {
            Frame close = awaitClose();
            return close == null ? -1 : close.closeCode();
        } catch (SocketTimeoutException e) {
            return -1;
        }
    }

    /** Reads frames until a close frame and returns it, or null when the socket ends (or fails) without one. */
    public Frame awaitClose() throws IOException {
        while (true) {
            Frame frame = nextFrame();
            if (frame == null || frame.opcode() == 0x8) {
                return frame;
            }
        }
    }

    /**
     * Reads the next frame the server sent, or returns null when the socket ends (or is reset) first. Waits at most the
     * socket's read timeout (10 s), then throws {@link SocketTimeoutException}.
     */
    public Frame nextFrame() throws IOException {
        int head;
        try {
            head = in.read();
            if (head == -1) {
                return null;
            }
            int len = in.readUnsignedByte() & 0x7F;
            long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            return new Frame(head, payload);
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            return null; // a reset or an end of stream inside a frame: no (whole) frame
        }
    }

    /**
     * A frame from the server, unmasked.
     *
     * @param head the first byte: FIN, the reserved bits and the opcode
     * @param payload the payload
     */
    public record Frame(int head, byte[] payload) {
        public int opcode() {
            return head & 0x0F;
        }

        public boolean fin() {
            return (head & 0x80) != 0;
        }

        /** The payload as UTF-8 text. */
        public String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }

        /** A close frame's code, or 1005 when it has none. */
        public int closeCode() {
            return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        }

        /** A close frame's reason, or "". */
        public String closeReason() {
            return payload.length > 2 ? new String(payload, 2, payload.length - 2, StandardCharsets.UTF_8) : "";
        }
    }

    private String readHeaderLine() throws IOException {
        StringBuilder line = new StringBuilder();
        int b;
        while ((b = in.read()) != '\n') {
            if (b == -1) {
                throw new IOException("connection closed during the handshake");
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
