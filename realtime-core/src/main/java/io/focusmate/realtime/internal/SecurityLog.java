package io.focusmate.realtime.internal;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.auth.Principal;
import io.focusmate.realtime.internal.protocol.ClientMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The security events of a gateway, one structured line each on the logger {@code io.focusmate.realtime.security}:
 * a short message and key-value fields ({@code event}, {@code endpoint}, {@code connection}, {@code user},
 * {@code reason}), which a JSON log format turns into fields. A token never reaches a line; user-supplied text is
 * cut and stripped of control characters. Stateless and thread-safe.
 */
final class SecurityLog {
    private static final Logger LOG = LoggerFactory.getLogger("io.focusmate.realtime.security");

    private SecurityLog() {
    }

    /** A handshake's token was refused. */
    static void refusedToken(EndpointKind endpoint, long connection, String reason) {
        event(LOG.atInfo(), "Refused connection", "token_refused", endpoint).addKeyValue("connection", connection)
                .addKeyValue("reason", reason).log();
    }

    /** A handshake came from an origin that is not allowed. */
    static void refusedOrigin(EndpointKind endpoint, String origin) {
        event(LOG.atInfo(), "Refused handshake", "origin_refused", endpoint)
                .addKeyValue("origin", printable(origin)).addKeyValue("reason", "origin not allowed").log();
    }

    /** An authenticated user already held the most connections. */
    static void tooManyConnections(Session session) {
        event(LOG.atInfo(), "Refused connection", "too_many_connections", session)
                .addKeyValue("reason", "too many connections").log();
    }

    /** An in-band token refresh was refused; the connection keeps its old expiry. */
    static void refusedRefresh(Session session, String reason) {
        event(LOG.atInfo(), "Refused token refresh", "refresh_refused", session).addKeyValue("reason", reason).log();
    }

    /** A connection's token expired without a refresh; it is closed with 4003. */
    static void expired(Session session) {
        event(LOG.atInfo(), "Closing a connection whose token expired", "token_expired", session)
                .addKeyValue("reason", "token expired").log();
    }

    /** A connection sent far over its frame rate; it is closed with 4008. */
    static void flooded(Session session) {
        event(LOG.atWarn(), "Closing a flooding connection", "rate_limit_close", session)
                .addKeyValue("reason", "rate limit exceeded").log();
    }

    private static LoggingEventBuilder event(LoggingEventBuilder builder, String message, String event,
                                             Session session) {
        LoggingEventBuilder line = event(builder, message, event, session.endpoint())
                .addKeyValue("connection", session.id());
        Principal user = session.principal();
        return user == null ? line : line.addKeyValue("user", user.userId());
    }

    private static LoggingEventBuilder event(LoggingEventBuilder builder, String message, String event,
                                             EndpointKind endpoint) {
        return builder.setMessage(message).addKeyValue("event", event).addKeyValue("endpoint", endpoint.label());
    }

    private static String printable(String text) {
        return ClientMessage.shorten(text.replaceAll("[^\\x20-\\x7e]", "?"));
    }
}
