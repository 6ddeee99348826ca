package io.focusmate.realtime.auth;

import java.nio.charset.StandardCharsets;

/** Validation of an HS256 shared secret. */
final class Hs256Secret {
    /** HS256 needs a key of at least 256 bits (RFC 7518, section 3.2). */
    static final int MIN_BYTES = 32;

    private Hs256Secret() {
    }

    /**
     * The UTF-8 bytes of the secret.
     *
     * @throws IllegalArgumentException with an operator-readable message (never the secret) when it is too short
     */
    static byte[] bytes(String secret) {
        byte[] bytes = secret == null ? new byte[0] : secret.getBytes(StandardCharsets.UTF_8);
        if (bytes.length < MIN_BYTES) {
            throw new IllegalArgumentException("the JWT secret is " + bytes.length + " bytes long; HS256 needs at least "
                    + MIN_BYTES + " bytes (256 bits). Generate one with: openssl rand -base64 48");
        }
        return bytes;
    }
}
