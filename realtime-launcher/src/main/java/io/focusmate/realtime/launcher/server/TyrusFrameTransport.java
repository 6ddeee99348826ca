package io.focusmate.realtime.launcher.server;

import io.focusmate.realtime.adapter.Frame;
import io.focusmate.realtime.adapter.Transport;
import io.focusmate.realtime.jakarta.JakartaTransport;
import jakarta.websocket.Session;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.EmptyCompletionHandler;
import org.glassfish.grizzly.WriteResult;
import org.glassfish.grizzly.asyncqueue.AsyncQueueWriter;
import org.glassfish.grizzly.asyncqueue.MessageCloner;
import org.glassfish.grizzly.asyncqueue.WritableMessage;
import org.glassfish.grizzly.memory.Buffers;
import org.glassfish.grizzly.nio.NIOTransport;
import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.core.TyrusRemoteEndpoint;
import org.glassfish.tyrus.core.TyrusWebSocket;
import org.slf4j.LoggerFactory;

/**
 * Writes each frame's bytes, encoded once for all its recipients ({@link Frame#wire()}), straight into the
 * Grizzly connection's asynchronous write queue, with a completion callback.
 *
 * <p>Why: Tyrus's own {@code sendText} encodes the text again for every socket, then hands the bytes to a
 * per-connection task queue, which hands them to Grizzly's write filter chain, which ends in that same write queue.
 * In a room fan-out, profiling showed those three steps at about half of the server's time. The write queue is the
 * one Tyrus's own frames (pings, closes) end in, so frames stay whole and in order per socket. Several frames
 * waiting for one socket ({@link #sendAll}) are copied into one buffer and leave in one write.
 *
 * <p>The connection is not public API in Tyrus 2.2: it is reached once per session, by reflection; when it is not
 * there, the portable {@link JakartaTransport} is used. Pings and closes always go the portable way.
 */
final class TyrusFrameTransport implements Transport {
    /** Null when this Tyrus does not have the members this class needs. */
    private static final Access ACCESS = Access.find();

    private final JakartaTransport portable;
    private final Connection<?> connection;
    private final AsyncQueueWriter<?> queue;

    private TyrusFrameTransport(JakartaTransport portable, Connection<?> connection) {
        this.portable = portable;
        this.connection = connection;
        this.queue = ((NIOTransport) connection.getTransport()).getAsyncQueueIO().getWriter();
    }

    /** Transports for Tyrus sessions on Grizzly: the direct one where possible, else the portable one. */
    static Function<Session, Transport> factory() {
        return session -> {
            JakartaTransport portable = new JakartaTransport(session);
            Connection<?> connection = ACCESS == null ? null : ACCESS.connectionOf(session);
            return connection == null ? portable : new TyrusFrameTransport(portable, connection);
        };
    }

    /** Whether the direct path is available in this Tyrus. */
    static boolean available() {
        return ACCESS != null;
    }

    @Override
    public void send(Frame frame, SendCallback done) {
        write(frame.wire(), done);
    }

    /** The frames' bytes copied into one buffer: one write to the socket for all of them. */
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

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void write(ByteBuffer wire, SendCallback done) {
        if (!connection.isOpen()) {
            done.done(new IllegalStateException("Connection is not open"));
            return;
        }
        try {
            WritableMessage bytes = Buffers.wrap(connection.getMemoryManager(), wire);
            ((AsyncQueueWriter) queue).write(connection, null, bytes, new Done(done), (MessageCloner) null);
        } catch (RuntimeException e) {
            done.done(e);
        }
    }

    @Override
    public void ping() {
        portable.ping();
    }

    @Override
    public void close(int code, String reason) {
        portable.close(code, reason);
    }

    /** Grizzly's completion of one write, as the core's callback (called exactly once). */
    private static final class Done extends EmptyCompletionHandler<WriteResult<?, ?>> {
        private final SendCallback done;

        Done(SendCallback done) {
            this.done = done;
        }

        @Override
        public void completed(WriteResult<?, ?> result) {
            done.done(null);
        }

        @Override
        public void failed(Throwable throwable) {
            done.done(throwable);
        }

        @Override
        public void cancelled() {
            done.done(new CancellationException("write cancelled"));
        }
    }

    /** The Tyrus members the direct path needs, looked up once: session, web socket, protocol handler, writer. */
    private record Access(Field webSocket, Field protocolHandler, Field writer, Field connection) {
        static Access find() {
            try {
                Field webSocket = TyrusRemoteEndpoint.class.getDeclaredField("webSocket");
                Field protocolHandler = TyrusWebSocket.class.getDeclaredField("protocolHandler");
                Field writer = ProtocolHandler.class.getDeclaredField("writer");
                Field connection = Class.forName("org.glassfish.tyrus.container.grizzly.client.GrizzlyWriter")
                        .getDeclaredField("connection");
                for (Field field : new Field[] {webSocket, protocolHandler, writer, connection}) {
                    field.setAccessible(true);
                }
                return new Access(webSocket, protocolHandler, writer, connection);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LoggerFactory.getLogger(TyrusFrameTransport.class).warn("Tyrus's Grizzly connection is not "
                        + "reachable ({}); frames are encoded and queued per socket", e.toString());
                return null;
            }
        }

        /** The session's Grizzly connection, or null when the session is not a Tyrus-on-Grizzly one. */
        Connection<?> connectionOf(Session session) {
            try {
                Object remote = session.getAsyncRemote();
                if (!(remote instanceof TyrusRemoteEndpoint)) {
                    return null;
                }
                Object handler = protocolHandler.get(webSocket.get(remote));
                Object grizzlyWriter = writer.get(handler);
                if (grizzlyWriter == null || !connection.getDeclaringClass().isInstance(grizzlyWriter)) {
                    return null;
                }
                return (Connection<?>) connection.get(grizzlyWriter);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
