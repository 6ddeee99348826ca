package io.focusmate.realtime.pubsub;

/** The broker could not take a message: it is down, overloaded or closed. The message was not sent. */
public final class PubSubException extends RuntimeException {
    /** Creates the exception. */
    public PubSubException(String message, Throwable cause) {
        super(message, cause);
    }
}
