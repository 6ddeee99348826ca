package io.focusmate.realtime.launcher.server;

import io.focusmate.realtime.adapter.Frame;
import io.focusmate.realtime.adapter.Transport;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.nio.NIOTransport;

/**
 * One upgraded connection, as the core's {@link Transport}: RFC 6455 frames in (unmasked, checked, reassembled, text
 * validated as UTF-8), the core's frames out as bytes written straight to Grizzly's write queue, pings, pongs and the
 * close handshake. A close this side begins releases the core's connection at once, as Jakarta containers do; the
 * socket itself closes when the close frame is flushed, or after {@value #CLOSE_DEADLINE_SECONDS} s when the client
 * stopped reading.
 *
 * <p>Thread-safe for the {@code Transport} calls (Grizzly's write queue orders whole frames); reads come from one
 * thread at a time, as Grizzly reads a connection.
 */
final class GrizzlyWebSocket implements Transport {
    /** How long a close this side began may wait for its close frame to be flushed before the socket is cut. */
    private static final long CLOSE_DEADLINE_SECONDS = 5;
    /** One daemon thread for every socket's close deadline; a cancelled deadline leaves its queue at once. */
    private static final ScheduledThreadPoolExecutor CUTTER = cutter();
    private final Connection<?> connection;
    private final AsyncQueueWriter<?> queue;
    private final long maxFrameBytes;
    /** Set once by the handshaking thread before any read. */
    private volatile io.focusmate.realtime.adapter.Connection core;
    /** The cut of a socket whose close frame could not be flushed; set by the closing thread, null before. */
    private volatile ScheduledFuture<?> deadline;
    /** Set once, by whichever thread begins this side's close first. */
    private final AtomicBoolean closeSent = new AtomicBoolean();
    /** The code of the close this side sent, or 0; written once before the close frame is queued. */
    private volatile int sentClose;
    /** Set once, by whichever thread reports the end to the core first. */
    private final AtomicBoolean ended = new AtomicBoolean();
    /** Owned by the reading thread (Grizzly reads one connection at a time): an incomplete frame, or null. */
    private byte[] pending;
    /** Owned by the reading thread: how many bytes of {@code pending} are the incomplete frame's. */
    private int pendingLength;
    /** Owned by the reading thread: a fragmented text message so far, or null. */
    private ByteArrayOutputStream fragments;
    /** Owned by the reading thread: the UTF-8 check of the fragmented message, fed fragment by fragment. */
    private Utf8Check fragmentCheck;
    /** Owned by the reading thread: a binary frame came (the core closes with 1003); later frames but a close wait. */
    private boolean refusedBinary;
    /** Owned by the reading thread: the received close code, or 1006. */
    private int receivedClose = 1006;

    GrizzlyWebSocket(Connection<?> connection, long maxFrameBytes) {
        this.connection = connection;
        this.queue = ((NIOTransport) connection.getTransport()).getAsyncQueueIO().getWriter();
        this.maxFrameBytes = maxFrameBytes;
    }

    private static ScheduledThreadPoolExecutor cutter() {
        ScheduledThreadPoolExecutor cutter = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "realtime-close-deadline");
            thread.setDaemon(true);
            return thread;
        });
        cutter.setRemoveOnCancelPolicy(true);
        return cutter;
    }

    /** Gives the socket the core's connection; reports the end at once when the client already left. */
    void open(io.focusmate.realtime.adapter.Connection opened) {
        this.core = opened;
        if (!connection.isOpen()) {
            closed();
        }
    }

    /** Reports the end to the core once: the close code this side sent, else the client's, else 1006. */
    void closed() {
        ScheduledFuture<?> cut = deadline;
        if (cut != null) {
            cut.cancel(false);
        }
        io.focusmate.realtime.adapter.Connection current = core;
        if (current != null && ended.compareAndSet(false, true)) {
            int sent = sentClose;
            current.onClosed(sent != 0 ? sent : receivedClose); // as Jakarta containers report a close we began
        }
    }

    /**
     * Reads the client's bytes: whole frames are acted on, an incomplete one is kept for the next read. A frame that
     * trickles in over many reads is appended to a buffer that doubles, so it costs its length, not its square.
     */
    void read(Buffer buffer) {
        int have = buffer.remaining();
        byte[] bytes;
        int end;
        if (pendingLength == 0) {
            bytes = new byte[have];
            buffer.get(bytes);
            end = have;
        } else {
            if (pendingLength + have > pending.length) {
                pending = Arrays.copyOf(pending, Math.max(pending.length * 2, pendingLength + have));
            }
            buffer.get(pending, pendingLength, have);
            bytes = pending;
            end = pendingLength + have;
        }
        int at = 0;
        int used;
        while (at < end && (used = frame(bytes, at, end)) != 0) {
            if (used < 0) {
                pending = null;
                pendingLength = 0;
                return;
            }
            at += used;
        }
        keep(bytes, at, end);
    }

    /** Keeps {@code bytes[at, end)}, the start of a frame, for the next read; lets go of the buffer when empty. */
    private void keep(byte[] bytes, int at, int end) {
        pendingLength = end - at;
        if (pendingLength == 0) {
            pending = null;
        } else if (bytes == pending) {
            System.arraycopy(pending, at, pending, 0, pendingLength);
        } else {
            pending = Arrays.copyOfRange(bytes, at, end);
        }
    }

    /** Parses one frame at {@code at}: its length, 0 when incomplete, -1 when the connection is closing. */
    private int frame(byte[] b, int at, int end) {
        int left = end - at;
        if (left < 2) {
            return 0;
        }
        boolean fin = (b[at] & 0x80) != 0;
        int opcode = b[at] & 0x0F;
        boolean masked = (b[at + 1] & 0x80) != 0;
        long length = b[at + 1] & 0x7F;
        int header = 2;
        if (length == 126) {
            if (left < 4) {
                return 0;
            }
            length = ((b[at + 2] & 0xFF) << 8) | (b[at + 3] & 0xFF);
            header = 4;
        } else if (length == 127) {
            if (left < 10) {
                return 0;
            }
            length = 0;
            for (int i = 0; i < 8; i++) {
                length = (length << 8) | (b[at + 2 + i] & 0xFF);
            }
            header = 10;
        }
        if (!masked || (b[at] & 0x70) != 0) {
            close(1002, "Protocol error");
            return -1;
        }
        if (length > maxFrameBytes) {
            close(1009, "Message too large");
            return -1;
        }
        if (left < header + 4 + length) {
            return 0;
        }
        int maskAt = at + header;
        int payloadAt = maskAt + 4;
        byte[] payload = new byte[(int) length];
        for (int i = 0; i < payload.length; i++) {
            payload[i] = (byte) (b[payloadAt + i] ^ b[maskAt + (i & 3)]);
        }
        int used = header + 4 + (int) length;
        if (opcode >= 0x8 && (!fin || length > 125)) {
            close(1002, "Protocol error"); // RFC 6455 5.5: control frames are whole and at most 125 bytes
            return -1;
        }
        if ((closeSent.get() || refusedBinary) && opcode != 0x8) {
            return used; // after our close (or the core's, begun), only the peer's close matters (RFC 6455 5.5.1)
        }
        return dispatch(opcode, fin, payload) ? used : -1;
    }

    /** Acts on one whole frame; false when the connection is closing. */
    private boolean dispatch(int opcode, boolean fin, byte[] payload) {
        switch (opcode) {
            case 0x1 -> {
                return textFrame(fin, payload);
            }
            case 0x0 -> {
                return continuation(fin, payload);
            }
            case 0x2 -> {
                refusedBinary = true;
                core.onBinary();
            }
            case 0x9 -> write(control(0xA, payload), null);
            case 0xA -> core.onPong();
            case 0x8 -> {
                closeFrame(payload);
                return false;
            }
            default -> {
                close(1002, "Protocol error");
                return false;
            }
        }
        return true;
    }

    private boolean textFrame(boolean fin, byte[] payload) {
        if (fragments != null) {
            close(1002, "Protocol error"); // a new message inside a fragmented one
            return false;
        }
        if (fin) {
            String text = utf8(payload);
            if (text != null) {
                core.onText(text);
            }
            return text != null;
        }
        fragments = new ByteArrayOutputStream();
        fragmentCheck = new Utf8Check();
        if (!fragmentCheck.feed(payload)) {
            close(1007, "Invalid UTF-8"); // at once, not when the message ends
            return false;
        }
        fragments.writeBytes(payload);
        return true;
    }

    private boolean continuation(boolean fin, byte[] payload) {
        if (fragments == null) {
            close(1002, "Protocol error");
            return false;
        }
        if (fragments.size() + payload.length > maxFrameBytes) {
            close(1009, "Message too large");
            return false;
        }
        if (!fragmentCheck.feed(payload) || fin && !fragmentCheck.complete()) {
            close(1007, "Invalid UTF-8");
            return false;
        }
        fragments.writeBytes(payload);
        if (fin) {
            String text = fragments.toString(StandardCharsets.UTF_8);
            fragments = null;
            fragmentCheck = null;
            core.onText(text);
        }
        return true;
    }

    private void closeFrame(byte[] payload) {
        receivedClose = payload.length >= 2 ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
        if (payload.length == 1 || payload.length >= 2 && !sendable(receivedClose)) {
            close(1002, "Protocol error");
        } else if (payload.length > 2 && utf8(Arrays.copyOfRange(payload, 2, payload.length)) == null) {
            return; // utf8 closed with 1007
        } else if (closeSent.get()) {
            connection.closeSilently(); // the answer to our close: the handshake is complete
        } else {
            close(payload.length >= 2 ? receivedClose : 1000, "");
        }
    }

    /** The text of a UTF-8 payload, or null after closing with 1007 when it is not valid UTF-8. */
    private String utf8(byte[] payload) {
        Utf8Check check = new Utf8Check();
        if (check.feed(payload) && check.complete()) {
            return new String(payload, StandardCharsets.UTF_8);
        }
        close(1007, "Invalid UTF-8");
        return null;
    }

    /** Whether a peer may send this close code (RFC 6455 7.4: 1000-1003, 1007-1014, 3000-4999). */
    private static boolean sendable(int code) {
        return code >= 1000 && code <= 1003 || code >= 1007 && code <= 1014 || code >= 3000 && code <= 4999;
    }

    private static ByteBuffer control(int opcode, byte[] payload) {
        ByteBuffer frame = ByteBuffer.allocate(2 + payload.length);
        frame.put((byte) (0x80 | opcode)).put((byte) payload.length).put(payload);
        return frame.flip();
    }

    @Override
    public void send(Frame frame, SendCallback done) {
        write(frame.wire(), done);
    }

    @Override
    public void sendAll(List<? extends Frame> frames, SendCallback done) {
        ByteBuffer[] wires = new ByteBuffer[frames.size()];
        int size = 0;
        for (int i = 0; i < wires.length; i++) {
            wires[i] = frames.get(i).wire();
            size += wires[i].remaining();
        }
        ByteBuffer all = ByteBuffer.allocate(size);
        for (ByteBuffer wire : wires) {
            all.put(wire);
        }
        write(all.flip(), done);
    }

    @Override
    public void ping() {
        write(control(0x9, new byte[0]), null);
    }

    @Override
    public void close(int code, String reason) {
        if (!closeSent.compareAndSet(false, true)) {
            return;
        }
        sentClose = code;
        byte[] text = reason == null ? new byte[0] : reason.getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[2 + Math.min(text.length, 123)];
        payload[0] = (byte) (code >> 8);
        payload[1] = (byte) code;
        System.arraycopy(text, 0, payload, 2, payload.length - 2);
        write(control(0x8, payload), null);
        // Grizzly's close is graceful: it flushes what is queued (the close frame last), then closes. The session is
        // released now, as Jakarta containers do on a close they begin; a client that stopped reading (a slow
        // consumer) never lets the flush end, so its socket is cut after CLOSE_DEADLINE.
        connection.closeSilently();
        closed();
        deadline = CUTTER.schedule(connection::terminateSilently, CLOSE_DEADLINE_SECONDS, TimeUnit.SECONDS);
        if (!connection.isOpen()) {
            deadline.cancel(false); // closed already (before the deadline was set): let go of the connection now
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void write(ByteBuffer wire, SendCallback done) {
        if (!connection.isOpen()) {
            if (done != null) {
                done.done(new IllegalStateException("Connection is not open"));
            }
            return;
        }
        try {
            WritableMessage bytes = Buffers.wrap(connection.getMemoryManager(), wire);
            ((AsyncQueueWriter) queue).write(connection, null, bytes, new Done(done), (MessageCloner) null);
        } catch (RuntimeException e) {
            if (done != null) {
                done.done(e);
            }
        }
    }

    private static final class Done extends EmptyCompletionHandler<WriteResult<?, ?>> {
        private final SendCallback done;

        Done(SendCallback done) {
            this.done = done;
        }

        @Override
        public void completed(WriteResult<?, ?> result) {
            failed(null); // reports success: SendCallback takes null for it
        }

        @Override
        public void failed(Throwable throwable) {
            if (done != null) {
                done.done(throwable);
            }
        }

        @Override
        public void cancelled() {
            failed(new CancellationException("write cancelled"));
        }
    }
}
