package io.focusmate.realtime.pubsub;

/**
 * The broker could not do what was asked: it is down, overloaded or closed. For a publish, the message was not
 * sent; for a room or chat store call on the broker's Redis, the state was not read or changed.
 */
public final class PubSubException extends RuntimeException {
    /** Creates the exception. */
    public PubSubException(String message, Throwable cause) {
        super(message, cause);
    }
}
