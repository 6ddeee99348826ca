package io.focusmate.realtime.auth;

/** The credential was refused. The message is safe for the client and for logs: it never contains the token. */
public final class AuthenticationException extends Exception {
    /** Creates the exception with a client-safe message. */
    public AuthenticationException(String message) {
        super(message, null, false, false);
    }
}
