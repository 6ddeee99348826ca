package io.focusmate.realtime;

import io.focusmate.realtime.protocol.ClientMessage;

/** The protocol of one endpoint kind, once a connection is authenticated and within limits. */
interface EndpointHandler {
    /** The connection was accepted; its outbound queue holds frames back until {@link Connection#resumeOutbound()}. */
    void onOpen(Connection connection, Handshake handshake);

    /** A well-formed client frame arrived. */
    void onMessage(Connection connection, ClientMessage message);

    /** The accepted connection closed; its channels are already released. */
    default void onClose(Connection connection) {
    }
}
