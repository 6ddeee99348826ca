package io.focusmate.realtime.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Mints HS256 tokens ({@code sub}, {@code iat}, {@code exp}) for development and tests. Thread-safe. */
public final class JwtIssuer {
    private final MACSigner signer;
    private final Clock clock;

    /**
     * @throws IllegalArgumentException when the secret is shorter than 32 bytes
     */
    public JwtIssuer(String secret, Clock clock) {
        try {
            this.signer = new MACSigner(Hs256Secret.bytes(secret));
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable HS256 secret", e);
        }
        this.clock = clock;
    }

    /** A token for {@code userId} that expires after {@code ttl}. */
    public String issue(String userId, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .subject(userId)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }
}
