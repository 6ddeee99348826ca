package io.focusmate.realtime.auth;

/**
 * The credential was refused. The message is safe for the client and for logs: it never contains the token.
 *
 * <p>A refusal is final by default: the client must get another token (the gateway closes with 1008). A
 * {@linkplain #temporary() temporary} one says the credential could not be checked right now (the identity
 * provider's keys are unavailable): the gateway closes with 1011, which clients retry with backoff.
 */
public final class AuthenticationException extends Exception {
    private final boolean temporary;

    /** A final refusal with a client-safe message. */
    public AuthenticationException(String message) {
        this(message, false);
    }

    /**
     * @param message a client-safe message
     * @param temporary whether the credential could not be checked now, rather than being wrong
     */
    public AuthenticationException(String message, boolean temporary) {
        super(message, null, false, false);
        this.temporary = temporary;
    }

    /** Whether the credential could not be checked now (retry later) rather than being refused. */
    public boolean temporary() {
        return temporary;
    }
}
