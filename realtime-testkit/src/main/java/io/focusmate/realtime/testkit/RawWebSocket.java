package io.focusmate.realtime.testkit;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A minimal hand-written WebSocket client for what library clients smooth over: it writes a whole frame with one
 * {@code write} call (as browsers do with large frames), and reads raw frames, close codes included.
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
        byte[] payload = text.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream frame = new ByteArrayOutputStream(payload.length + 14);
        frame.write(0x81);
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
        frame.write(mask);
        for (int i = 0; i < payload.length; i++) {
            frame.write(payload[i] ^ mask[i % 4]);
        }
        try {
            out.write(frame.toByteArray());
            out.flush();
        } catch (IOException e) {
            // the server may cut the socket while the frame is still going out; the close frame is still readable
        }
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

    /** Reads frames until a close frame and returns its code, or -1 when the socket ends without one. */
    public int awaitCloseCode() throws IOException {
        while (true) {
            int head;
            try {
                head = in.read();
            } catch (IOException e) {
                return -1;
            }
            if (head == -1) {
                return -1;
            }
            int len = in.readUnsignedByte() & 0x7F;
            long length = len == 126 ? in.readUnsignedShort() : len == 127 ? in.readLong() : len;
            byte[] payload = new byte[(int) length];
            in.readFully(payload);
            if ((head & 0x0F) == 0x8) {
                return payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
            }
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
