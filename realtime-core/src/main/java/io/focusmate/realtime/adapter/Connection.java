package io.focusmate.realtime.adapter;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.auth.Principal;

/**
 * One client's WebSocket as an adapter sees it: the adapter gets it from
 * {@link io.focusmate.realtime.Gateway#open} and feeds it the socket's events. The gateway writes to the client
 * through the {@link Transport} it was given, from its bounded outbound queue.
 *
 * <p>Thread-safe: the adapter may call the {@code on*} methods from any container thread. None of them blocks on
 * the network or throws.
 */
public interface Connection {

    /** The adapter received a text frame. */
    void onText(String text);

    /** The adapter received a binary frame, which the protocol does not allow (close 1003). */
    void onBinary();

    /** The adapter received a pong (the answer to {@link Transport#ping()}). */
    void onPong();

    /** The socket closed, whoever closed it, with this close code. Idempotent. */
    void onClosed(int code);

    /** The user, or null while the connection is not (or not yet) authenticated. */
    Principal principal();

    /** The endpoint this connection is on. */
    EndpointKind endpoint();

    /** A process-unique id, for logs. */
    long id();
}
