package io.focusmate.realtime.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.io.IOException;
import java.net.URI;
import java.text.ParseException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Verifies JSON Web Tokens with Nimbus JOSE+JWT: HS256 with a shared secret ({@link #builder(String)}), RS256,
 * ES256 and EdDSA (Ed25519) with the keys of an identity provider's JWKS URL ({@link #jwks(URI)}), or both
 * ({@code builder(secret).jwks(url)}). Thread-safe.
 *
 * <p>A token is accepted only when it is a signed JWT ({@code typ}, when present, is {@code JWT} or {@code at+jwt})
 * whose algorithm fits its key: {@code HS256} is checked against the shared secret only (a {@code kid} is ignored, as
 * there is one secret), and {@code RS256}, {@code ES256} and {@code EdDSA}/{@code Ed25519} against the JWKS keys of
 * the matching type only (RSA, EC P-256, OKP Ed25519), chosen by the token's {@code kid}; {@code alg: none}, every
 * other algorithm, an HS256 token without a secret and an asymmetric one without a JWKS are refused. Then
 * {@code exp} (when present, or always with {@link Builder#requireExpiry}) and {@code nbf} (when present) must hold
 * within the clock skew, {@code iss} must be the {@linkplain Builder#issuer issuer} and {@code aud} contain the
 * {@linkplain Builder#audience audience} when those are set (for every token, HS256 ones too), and {@code sub} must
 * be a non-blank string of at most 128 characters without control characters.
 *
 * <p>The JWKS is fetched on the first token that needs it (or by {@link #preloadKeys()}), kept for the
 * {@linkplain Builder#jwksCacheTtl cache time to live}, fetched again at once when a token names an unknown
 * {@code kid} (so a rotated key works), but at most twice per {@linkplain Builder#jwksRefreshInterval refresh
 * interval}; while the URL is down, the keys last fetched keep working for the
 * {@linkplain Builder#jwksOutageTolerance outage tolerance}. A fetch runs on the authenticating thread (at most
 * about 4 s); others needing keys meanwhile wait for it.
 */
public final class JwtAuthenticator implements Authenticator {
    static final int MAX_SUBJECT_LENGTH = 128;
    private static final Logger LOG = LoggerFactory.getLogger(JwtAuthenticator.class);
    /** How often at most the reason of unavailable JWKS keys is logged. */
    private static final long KEY_WARNING_INTERVAL_NANOS = Duration.ofMinutes(1).toNanos();

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final TokenKeys keys;
    private final URI jwksUrl;
    /** When the last unavailable-keys warning was logged (System.nanoTime); any thread, compare-and-set. */
    private final AtomicLong lastKeyWarning = new AtomicLong(System.nanoTime() - KEY_WARNING_INTERVAL_NANOS);

    private JwtAuthenticator(Builder builder) {
        if (!builder.hs256 && builder.jwksUrl == null) {
            throw new IllegalArgumentException("a JWT authenticator needs an HS256 secret or a JWKS URL");
        }
        SecretKeySpec secret = builder.hs256
                ? new SecretKeySpec(Hs256Secret.bytes(builder.secret), "HmacSHA256") : null;
        JWKSource<SecurityContext> jwks = null;
        if (builder.jwksUrl != null) {
            Duration outage = builder.outageTolerance != null ? builder.outageTolerance
                    : builder.cacheTtl.multipliedBy(10);
            requireJwksTimes(builder.cacheTtl, builder.refreshInterval, outage);
            jwks = JwksSource.create(builder.jwksUrl, builder.cacheTtl, builder.refreshInterval, outage);
        }
        this.jwksUrl = builder.jwksUrl;
        this.keys = new TokenKeys(secret, jwks);
        processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(keys);
        processor.setJWSVerifierFactory(new TokenVerifiers());
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(
                JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWTClaimsSetVerifier(claimsVerifier(builder));
    }

    private static DefaultJWTClaimsVerifier<SecurityContext> claimsVerifier(Builder builder) {
        Set<String> required = new HashSet<>();
        required.add("sub");
        if (builder.requireExpiry) {
            required.add("exp");
        }
        JWTClaimsSet exact = builder.issuer == null ? null : new JWTClaimsSet.Builder().issuer(builder.issuer).build();
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                builder.audience == null ? null : Set.of(builder.audience), exact, required, null);
        claims.setMaxClockSkew((int) builder.clockSkew.toSeconds());
        return claims;
    }

    private static void requireJwksTimes(Duration ttl, Duration refreshInterval, Duration outage) {
        if (refreshInterval.toMillis() < 1 || refreshInterval.compareTo(ttl) >= 0) {
            throw new IllegalArgumentException("jwksRefreshInterval (" + refreshInterval.toMillis()
                    + " ms) must be positive and shorter than jwksCacheTtl (" + ttl.toMillis() + " ms)");
        }
        if (outage.compareTo(ttl) < 0) {
            throw new IllegalArgumentException("jwksOutageTolerance (" + outage.toMillis()
                    + " ms) must be at least jwksCacheTtl (" + ttl.toMillis() + " ms)");
        }
    }

    /** A builder for an authenticator with the given HS256 secret (at least 32 bytes). */
    public static Builder builder(String secret) {
        return new Builder(secret, true);
    }

    /**
     * A builder for an authenticator of the tokens an identity provider signs (RS256, ES256, EdDSA) with the keys
     * its JWKS URL serves, and no HS256 secret.
     *
     * @param jwksUrl an http or https URL, such as {@code https://idp.example.com/.well-known/jwks.json}
     */
    public static Builder jwks(URI jwksUrl) {
        return new Builder(null, false).jwks(jwksUrl);
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
        } catch (RateLimitReachedException e) {
            // an unknown kid while the JWKS was fetched twice in the refresh interval: no such key for now
            throw new AuthenticationException("Authentication failed: invalid token");
        } catch (KeySourceException e) {
            warnKeysUnavailable(e);
            throw new AuthenticationException("Authentication failed: signing keys unavailable", true);
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

    /**
     * Fetches the JWKS now, unless keys are cached, so that a start-up can report an unreachable identity provider
     * (tokens are verified either way once it answers). Does nothing without a JWKS URL. Counts toward the refresh
     * rate limit.
     *
     * @return the number of keys the JWKS serves (0 without a JWKS URL)
     * @throws IOException with a one-line reason when the JWKS cannot be fetched or parsed
     */
    public int preloadKeys() throws IOException {
        try {
            return keys.all().size();
        } catch (KeySourceException e) {
            throw new IOException("JWKS " + jwksUrl + " unavailable: " + reason(e));
        }
    }

    private void warnKeysUnavailable(KeySourceException e) {
        long last = lastKeyWarning.get();
        long now = System.nanoTime();
        if (now - last >= KEY_WARNING_INTERVAL_NANOS && lastKeyWarning.compareAndSet(last, now)) {
            LOG.warn("Refusing tokens signed by the identity provider: JWKS {} unavailable: {}", jwksUrl, reason(e));
        }
    }

    /** The innermost message of a key source failure, on one line. */
    private static String reason(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        String text = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return text.replaceAll("\\s+", " ").trim();
    }

    private static String claimProblem(BadJWTException e) {
        String text = String.valueOf(e.getMessage());
        if (text.contains("Expired")) {
            return "token expired";
        }
        if (text.contains("before use time")) {
            return "token not yet valid";
        }
        if (text.contains("aud claim")) {
            return "audience not accepted";
        }
        if (text.contains("iss claim value rejected")) {
            return "issuer not accepted";
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

    /** Options of a {@link JwtAuthenticator}. Not thread-safe: build on one thread. */
    public static final class Builder {
        private final String secret;
        private final boolean hs256;
        /** Owned by the building thread. */
        private Duration clockSkew = Duration.ofSeconds(30);
        /** Owned by the building thread. */
        private boolean requireExpiry;
        /** Owned by the building thread. */
        private URI jwksUrl;
        /** Owned by the building thread. */
        private String issuer;
        /** Owned by the building thread. */
        private String audience;
        /** Owned by the building thread. */
        private Duration cacheTtl = Duration.ofMinutes(5);
        /** Owned by the building thread. */
        private Duration refreshInterval = Duration.ofSeconds(30);
        /** Owned by the building thread; null for ten times the cache TTL. */
        private Duration outageTolerance;

        private Builder(String secret, boolean hs256) {
            this.secret = secret;
            this.hs256 = hs256;
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
         * Also verify RS256, ES256 and EdDSA tokens with the keys this JWKS URL serves (HS256 tokens stay with the
         * secret).
         *
         * @throws IllegalArgumentException when the URL is not an absolute http or https URL
         */
        public Builder jwks(URI url) {
            Objects.requireNonNull(url, "url");
            if (!JwksSource.isHttpUrl(url)) {
                throw new IllegalArgumentException("the JWKS URL must be an http:// or https:// URL with a host");
            }
            this.jwksUrl = url;
            return this;
        }

        /** The {@code iss} every token must carry, exactly; null (the default) for any. */
        public Builder issuer(String issuer) {
            this.issuer = issuer == null || issuer.isBlank() ? null : issuer;
            return this;
        }

        /** A value every token's {@code aud} must contain; null (the default) for any. */
        public Builder audience(String audience) {
            this.audience = audience == null || audience.isBlank() ? null : audience;
            return this;
        }

        /** How long a fetched JWKS is used before it is fetched again; 5 minutes by default. */
        public Builder jwksCacheTtl(Duration ttl) {
            this.cacheTtl = Objects.requireNonNull(ttl, "ttl");
            return this;
        }

        /**
         * The rate limit on JWKS fetches (for unknown {@code kid}s and expiries alike): at most two per interval,
         * counted from the first fetch of each; 30 seconds by default. Must be shorter than the cache TTL.
         */
        public Builder jwksRefreshInterval(Duration interval) {
            this.refreshInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        /**
         * How long after the last successful JWKS fetch its keys keep verifying tokens while the URL cannot be
         * fetched; ten times the cache TTL by default (50 minutes). At least the cache TTL.
         */
        public Builder jwksOutageTolerance(Duration tolerance) {
            this.outageTolerance = Objects.requireNonNull(tolerance, "tolerance");
            return this;
        }

        /**
         * Builds the authenticator; no I/O (the JWKS is fetched on first use, or by
         * {@link JwtAuthenticator#preloadKeys()}).
         *
         * @throws IllegalArgumentException when the secret is shorter than 32 bytes, or the JWKS times do not fit
         */
        public JwtAuthenticator build() {
            return new JwtAuthenticator(this);
        }
    }
}
