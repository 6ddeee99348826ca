package io.focusmate.realtime.internal.protocol;

import io.focusmate.realtime.protocol.ErrorCode;

/** A client frame the server cannot accept; its message is safe to send back to the client. */
public final class ProtocolException extends RuntimeException {
    private final ErrorCode code;

    /** Creates the exception with the error code and the client-facing message. */
    public ProtocolException(ErrorCode code, String message) {
        super(message, null, false, false);
        this.code = code;
    }

    /** The code to put in the error frame. */
    public ErrorCode code() {
        return code;
    }
}
