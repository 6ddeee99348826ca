package io.focusmate.realtime.testkit;

import io.focusmate.realtime.auth.JwtIssuer;
import java.time.Clock;
import java.time.Duration;

/** The HS256 secret the tests share, and tokens signed with it. */
public final class TestTokens {
    /** 44 bytes: long enough for HS256. */
    public static final String SECRET = "test-secret-that-is-long-enough-for-hs256!!";
    private static final JwtIssuer ISSUER = new JwtIssuer(SECRET, Clock.systemUTC());

    private TestTokens() {
    }

    /** A valid token for {@code userId}, good for an hour. */
    public static String token(String userId) {
        return ISSUER.issue(userId, Duration.ofHours(1));
    }
}
