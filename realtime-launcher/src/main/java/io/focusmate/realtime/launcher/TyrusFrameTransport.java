package io.focusmate.realtime.launcher;

import io.focusmate.realtime.OutboundFrame;
import io.focusmate.realtime.Transport;
import io.focusmate.realtime.jakarta.JakartaTransport;
import jakarta.websocket.Session;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.function.Function;
import org.glassfish.tyrus.core.frame.Frame;
import org.glassfish.tyrus.core.ProtocolHandler;
import org.glassfish.tyrus.core.TyrusRemoteEndpoint;
import org.glassfish.tyrus.core.TyrusWebSocket;
import org.glassfish.tyrus.spi.CompletionHandler;
import org.glassfish.tyrus.spi.WriterInfo;
import org.slf4j.LoggerFactory;

/**
 * Writes each frame's bytes, encoded once for all its recipients ({@link OutboundFrame#wire()}), straight to
 * Tyrus's protocol handler, with a completion callback. Tyrus's own {@code sendText} encodes the text again for
 * every socket (and builds a UTF-8 encoder each time), which profiling showed to be about a quarter of the server's
 * time in a room fan-out. The raw path is not public API in Tyrus 2.2: it is reached once, by reflection; when it is
 * not there, the portable {@link JakartaTransport} is used. Pings and closes always go the portable way.
 */
final class TyrusFrameTransport implements Transport {
    private static final WriterInfo TEXT = new WriterInfo(WriterInfo.MessageType.TEXT,
            WriterInfo.RemoteEndpointType.ASYNC);
    /** Null when this Tyrus does not have the members this class needs. */
    private static final Access ACCESS = Access.find();

    private final JakartaTransport portable;
    private final ProtocolHandler handler;

    private TyrusFrameTransport(JakartaTransport portable, ProtocolHandler handler) {
        this.portable = portable;
        this.handler = handler;
    }

    /** Transports for Tyrus sessions: the raw-frame one where possible, else the portable one. */
    static Function<Session, Transport> factory() {
        return session -> {
            JakartaTransport portable = new JakartaTransport(session);
            ProtocolHandler handler = ACCESS == null ? null : ACCESS.handlerOf(session);
            return handler == null ? portable : new TyrusFrameTransport(portable, handler);
        };
    }

    /** Whether the raw path is available in this Tyrus. */
    static boolean available() {
        return ACCESS != null;
    }

    @Override
    public void send(String text, SendCallback done) {
        send(new OutboundFrame(text), done);
    }

    @Override
    public void send(OutboundFrame frame, SendCallback done) {
        try {
            ACCESS.send.invoke(handler, frame.wire(), new Done(done), TEXT, Boolean.FALSE);
        } catch (Throwable e) {
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

    /** Tyrus's completion of one raw write, as the core's callback (called exactly once). */
    private static final class Done extends CompletionHandler<Frame> {
        private final SendCallback done;

        Done(SendCallback done) {
            this.done = done;
        }

        @Override
        public void completed(Frame result) {
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

    /** The Tyrus members the raw path needs, looked up once. */
    private record Access(Field webSocket, Field protocolHandler, MethodHandle send) {
        static Access find() {
            try {
                Field webSocket = TyrusRemoteEndpoint.class.getDeclaredField("webSocket");
                webSocket.setAccessible(true);
                Field protocolHandler = TyrusWebSocket.class.getDeclaredField("protocolHandler");
                protocolHandler.setAccessible(true);
                Method send = ProtocolHandler.class.getDeclaredMethod("send", ByteBuffer.class,
                        CompletionHandler.class, WriterInfo.class, Boolean.class);
                send.setAccessible(true);
                MethodHandle handle = MethodHandles.lookup().unreflect(send)
                        .asType(MethodType.methodType(void.class, ProtocolHandler.class, ByteBuffer.class,
                                CompletionHandler.class, WriterInfo.class, Boolean.class));
                return new Access(webSocket, protocolHandler, handle);
            } catch (ReflectiveOperationException | RuntimeException e) {
                LoggerFactory.getLogger(TyrusFrameTransport.class).warn("Tyrus's raw frame path is not available "
                        + "({}); frames are encoded per socket", e.toString());
                return null;
            }
        }

        ProtocolHandler handlerOf(Session session) {
            try {
                Object remote = session.getAsyncRemote();
                if (!(remote instanceof TyrusRemoteEndpoint)) {
                    return null;
                }
                return (ProtocolHandler) protocolHandler.get(webSocket.get(remote));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    }
}
