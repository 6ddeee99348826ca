package io.focusmate.realtime.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.security.Key;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies HS256 JSON Web Tokens with Nimbus JOSE+JWT. Thread-safe.
 *
 * <p>A token is accepted only when it is a signed JWT with {@code alg: HS256} (and {@code typ}, when present, is
 * {@code JWT} or {@code at+jwt}; a {@code kid} is ignored, as there is one key), its signature matches the shared
 * secret, {@code exp} (when present, or always with {@link Builder#requireExpiry}) and {@code nbf} (when present)
 * hold within the clock skew, and {@code sub} is a non-blank string of at most 128 characters without control
 * characters. {@code alg: none}, every other algorithm, a forged signature and garbage are refused.
 */
public final class JwtAuthenticator implements Authenticator {
    static final int MAX_SUBJECT_LENGTH = 128;

    private final DefaultJWTProcessor<SecurityContext> processor;

    private JwtAuthenticator(Builder builder) {
        byte[] secret = Hs256Secret.bytes(builder.secret);
        Set<String> required = new HashSet<>();
        required.add("sub");
        if (builder.requireExpiry) {
            required.add("exp");
        }
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(null, required);
        claims.setMaxClockSkew((int) builder.clockSkew.toSeconds());
        // The shared secret is the only key: select it by algorithm alone, so that a kid header (which some
        // libraries add) does not hide it. Any other algorithm gets no key and fails.
        List<Key> key = List.of(new SecretKeySpec(secret, "HmacSHA256"));
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector((header, context) ->
                JWSAlgorithm.HS256.equals(header.getAlgorithm()) ? key : List.of());
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** A builder for an authenticator with the given HS256 secret (at least 32 bytes). */
    public static Builder builder(String secret) {
        return new Builder(secret);
    }

    @Override
    public Principal authenticate(String token) throws AuthenticationException {
        if (token == null || token.isBlank()) {
            throw new AuthenticationException("Authentication failed: no token");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token.trim(), null);
        } catch (BadJWTException e) {
            throw new AuthenticationException("Authentication failed: " + claimProblem(e));
        } catch (ParseException | BadJOSEException | JOSEException e) {
            throw new AuthenticationException("Authentication failed: invalid token");
        }
        String subject = claims.getSubject();
        if (!isValidSubject(subject)) {
            throw new AuthenticationException("Authentication failed: invalid sub");
        }
        java.util.Date exp = claims.getExpirationTime();
        return new Principal(subject, exp == null ? null : exp.toInstant());
    }

    private static String claimProblem(BadJWTException e) {
        String text = String.valueOf(e.getMessage());
        if (text.contains("Expired")) {
            return "token expired";
        }
        if (text.contains("before use time")) {
            return "token not yet valid";
        }
        if (text.contains("missing required claims")) {
            return "missing required claims " + text.substring(text.indexOf('[')).trim();
        }
        return "invalid claims";
    }

    /** Whether a {@code sub} is usable as a user id: 1 to 128 characters, no control characters. */
    public static boolean isValidSubject(String subject) {
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH) {
            return false;
        }
        return subject.chars().noneMatch(Character::isISOControl);
    }

    /** Options of a {@link JwtAuthenticator}. */
    public static final class Builder {
        private final String secret;
        /** Owned by the building thread. */
        private Duration clockSkew = Duration.ofSeconds(30);
        /** Owned by the building thread. */
        private boolean requireExpiry;

        private Builder(String secret) {
            this.secret = secret;
        }

        /** The tolerance for {@code exp} and {@code nbf}; 30 seconds by default. */
        public Builder clockSkew(Duration skew) {
            this.clockSkew = skew;
            return this;
        }

        /** Whether a token without {@code exp} is refused; false by default (as in the seed). */
        public Builder requireExpiry(boolean require) {
            this.requireExpiry = require;
            return this;
        }

        /**
         * @throws IllegalArgumentException when the secret is shorter than 32 bytes
         */
        public JwtAuthenticator build() {
            return new JwtAuthenticator(this);
        }
    }
}
