package io.focusmate.realtime.launcher.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.memory.Buffers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses a WebSocket client frame from its header, before a byte of its data is buffered: a header RFC 6455 forbids (an
 * unmasked frame, a reserved bit or opcode, a fragmented or oversize control frame, a continuation out of place, a
 * length with its top bit set; see {@link FrameHeaderGuard}) closes with 1002, a frame that declares more than the
 * container would ever take (four times the message limit) closes with 1009 at once. (Tyrus, which the launcher
 * used before its own {@link GrizzlyWebSocket}, accepted unmasked frames, buffered a declared length up to its 4 MiB
 * incoming buffer before any check, and waited for a whole frame's data before finding a reserved bit or opcode.)
 *
 * <p>It adds one filter in front of the HTTP codec, ahead of {@link ReleaseUpgradeRequestAddOn}'s (register this
 * add-on first). It reads each upgraded connection's bytes through a {@link FrameHeaderGuard} and passes them on.
 */
final class FrameGuardAddOn implements AddOn {
    private static final Logger LOG = LoggerFactory.getLogger(FrameGuardAddOn.class);
    /** The guard of each upgraded connection, made on its first WebSocket read. */
    private static final Attribute<FrameHeaderGuard> GUARD =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(FrameGuardAddOn.class.getName() + ".guard");

    private final long maxFrameBytes;

    /** @param maxFrameBytes the largest frame a client may declare */
    FrameGuardAddOn(long maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int codec = builder.indexOfType(HttpServerFilter.class);
        if (codec >= 0) {
            builder.add(codec, new Guard());
        }
    }

    /** The filter in front of the codec. */
    private final class Guard extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            Connection<?> connection = ctx.getConnection();
            if (!WebSocketUpgradeAddOn.SOCKET.isSet(connection)) {
                return ctx.getInvokeAction();
            }
            FrameHeaderGuard guard = GUARD.get(connection);
            if (guard == null) {
                guard = new FrameHeaderGuard(maxFrameBytes);
                GUARD.set(connection, guard);
            }
            Buffer bytes = ctx.getMessage();
            FrameHeaderGuard.Verdict verdict = guard.read(bytes.toByteBuffer());
            if (verdict == FrameHeaderGuard.Verdict.PASS) {
                return ctx.getInvokeAction();
            }
            boolean tooLarge = verdict == FrameHeaderGuard.Verdict.TOO_LARGE;
            int code = tooLarge ? 1009 : 1002;
            String reason = tooLarge ? "Message too large" : "Protocol error";
            LOG.info("Closed a WebSocket from {} at a frame header: {} ({})", connection.getPeerAddress(),
                    tooLarge ? "declared over " + maxFrameBytes + " bytes" : "a header RFC 6455 forbids", code);
            close(connection, code, reason);
            return ctx.getStopAction();
        }
    }

    /** Writes a close frame with this code and reason, then closes the socket. */
    private static void close(Connection<?> connection, int code, String reason) {
        byte[] text = reason.getBytes(StandardCharsets.US_ASCII);
        byte[] frame = new byte[4 + text.length];
        frame[0] = (byte) 0x88;
        frame[1] = (byte) (2 + text.length);
        frame[2] = (byte) (code >>> 8);
        frame[3] = (byte) code;
        System.arraycopy(text, 0, frame, 4, text.length);
        Buffer bytes = Buffers.wrap(connection.getMemoryManager(), frame);
        @SuppressWarnings({"unchecked", "rawtypes"})
        Connection<Object> raw = (Connection) connection;
        raw.write(bytes, new EmptyCompletionHandler<WriteResult<Buffer, Object>>() {
            @Override
            public void completed(WriteResult<Buffer, Object> result) {
                connection.closeSilently();
            }

            @Override
            public void failed(Throwable throwable) {
                connection.closeSilently();
            }
        });
    }
}
