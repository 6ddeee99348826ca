package io.focusmate.realtime.internal;

import io.focusmate.realtime.adapter.Handshake;
import io.focusmate.realtime.internal.protocol.ClientMessage;

/**
 * The protocol of one endpoint kind, once a session is authenticated and within limits. Each feature package
 * implements one; the {@link Engine} calls it, and it calls back only into its {@link EndpointContext}.
 */
public interface EndpointHandler {
    /** The session was accepted; its outbound queue holds frames back until {@link Session#resumeOutbound()}. */
    void onOpen(Session session, Handshake handshake);

    /** A well-formed client frame arrived. */
    void onMessage(Session session, ClientMessage message);

    /** The accepted session closed; its channels are already released. */
    default void onClose(Session session) {
    }
}
