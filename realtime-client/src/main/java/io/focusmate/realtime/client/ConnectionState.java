package io.focusmate.realtime.client;

/** The visible state of one endpoint connection, as {@link ConnectionListener#onStateChanged} reports it. */
public enum ConnectionState {
    /** The first attempt is under way: fetching a token, opening the socket, waiting for {@code connected}. */
    CONNECTING,
    /** The gateway has sent {@code connected}: frames flow. */
    CONNECTED,
    /** The connection was lost and a new attempt is scheduled or under way. */
    RECONNECTING,
    /** Final: closed by the application, refused by the gateway (1000, 1003, 1008), or out of attempts. */
    STOPPED
}
