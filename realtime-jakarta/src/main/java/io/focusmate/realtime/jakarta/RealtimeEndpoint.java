package io.focusmate.realtime.jakarta;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.adapter.Connection;
import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.adapter.Transport;
import jakarta.websocket.CloseReason;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.PongMessage;
import jakarta.websocket.Session;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One programmatic Jakarta endpoint instance per socket, bridging the container's events to a core
 * {@link Connection}. Create the configs with {@link RealtimeEndpoints}; embedders never construct this directly.
 * Public only because containers (Tyrus among them) instantiate and call endpoint classes reflectively.
 */
public final class RealtimeEndpoint extends Endpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeEndpoint.class);
    /** The per-handshake user property carrying the {@code Authorization} header to the session. */
    static final String AUTHORIZATION_PROPERTY = "io.focusmate.realtime.authorization";

    private final Gateway gateway;
    private final EndpointKind kind;
    /** Set by the container thread in {@link #onOpen} before any other event of this socket. */
    private volatile Connection connection;
    /** The close code of a close that happened inside {@link #onOpen} (a refusal), before the connection was set. */
    private volatile int closedDuringOpen = -1;

    private final Function<Session, Transport> transports;

    RealtimeEndpoint(Gateway gateway, EndpointKind kind, Function<Session, Transport> transports) {
        this.gateway = gateway;
        this.kind = kind;
        this.transports = transports;
    }

    @Override
    public void onOpen(Session session, EndpointConfig config) {
        int limit = gateway.config().maxMessageBytes();
        // Frames up to 4x the limit reach the core, which closes with 1009 "Message too large" and an error frame;
        // anything larger is cut by the container itself (also 1009) before it is buffered.
        session.setMaxTextMessageBufferSize(Math.max(limit * 4, limit + 4096));
        session.setMaxBinaryMessageBufferSize(Math.max(limit * 4, limit + 4096));
        session.setMaxIdleTimeout(0);
        Map<String, String> query = new HashMap<>();
        session.getRequestParameterMap().forEach((name, values) -> {
            String value = first(values);
            if (value != null) {
                query.put(name, value);
            }
        });
        Handshake handshake = new Handshake(query,
                (String) session.getUserProperties().get(AUTHORIZATION_PROPERTY),
                session.getPathParameters());
        Connection opened = gateway.open(kind, handshake, transports.apply(session));
        connection = opened;
        if (closedDuringOpen != -1) {
            opened.onClosed(closedDuringOpen); // refused and closed before open returned: release it now
            return;
        }
        session.addMessageHandler(String.class, opened::onText);
        session.addMessageHandler(ByteBuffer.class, bytes -> opened.onBinary());
        session.addMessageHandler(PongMessage.class, pong -> opened.onPong());
    }

    @Override
    public void onClose(Session session, CloseReason reason) {
        Connection current = connection;
        if (current != null) {
            current.onClosed(reason.getCloseCode().getCode());
        } else {
            closedDuringOpen = reason.getCloseCode().getCode();
        }
    }

    @Override
    public void onError(Session session, Throwable failure) {
        LOG.debug("WebSocket error on {}: {}", connection, failure.toString());
    }

    private static String first(List<String> values) {
        return values == null || values.isEmpty() ? null : values.get(0);
    }

}
