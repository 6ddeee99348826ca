package io.focusmate.realtime.jakarta;

import io.focusmate.realtime.adapter.Frame;
import io.focusmate.realtime.adapter.Transport;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jakarta {@link Session} as a core {@link Transport}: async sends, pings and closes that never throw. Works on
 * any container; a container-specific transport can wrap it and write pre-encoded frames instead.
 */
public final class JakartaTransport implements Transport {
    private static final Logger LOG = LoggerFactory.getLogger(JakartaTransport.class);

    private final Session session;

    /** A transport for this session. */
    public JakartaTransport(Session session) {
        this.session = session;
    }

    @Override
    public void send(Frame frame, SendCallback done) {
        try {
            session.getAsyncRemote().sendText(frame.text(), result -> done.done(result.isOK() ? null : result.getException()));
        } catch (RuntimeException e) {
            done.done(e);
        }
    }

    @Override
    public void ping() {
        try {
            session.getAsyncRemote().sendPing(ByteBuffer.allocate(0));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Ping failed on session {}: {}", session.getId(), e.toString());
        }
    }

    @Override
    public void close(int code, String reason) {
        try {
            session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
        } catch (IOException | RuntimeException e) {
            LOG.debug("Close failed on session {}: {}", session.getId(), e.toString());
        }
    }
}
