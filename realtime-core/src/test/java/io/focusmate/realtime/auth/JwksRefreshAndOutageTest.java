package io.focusmate.realtime.auth;

import static io.focusmate.realtime.auth.TestKeys.claims;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.RSAKey;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JWKS over time: key rotation, the rate limit on fetches, and an identity provider that goes down. */
@Timeout(120)
class JwksRefreshAndOutageTest {
    private final RSAKey rsa = TestKeys.rsa("rsa-1");
    private final ECKey ec = TestKeys.ec("ec-1");
    private final TestKeys.Ed25519 ed = TestKeys.Ed25519.generate("ed-1");

    private static boolean verifies(JwtAuthenticator authenticator, String token) {
        try {
            authenticator.authenticate(token);
            return true;
        } catch (AuthenticationException e) {
            return false;
        }
    }

    private static String refusal(JwtAuthenticator with, String token) {
        return assertThrows(AuthenticationException.class, () -> with.authenticate(token)).getMessage();
    }

    /** Polls a condition until a deadline (the pause between polls paces the loop; it synchronises nothing). */
    private static void until(String what, Duration timeout, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out after " + timeout.toMillis() + " ms waiting for: " + what);
            }
            LockSupport.parkNanos(20_000_000L);
        }
    }

    @Test
    void aRotatedKeyVerifiesAtOnceThroughTheRefreshItsUnknownKidTriggers() throws Exception {
        try (JwksServer jwks = JwksServer.start(rsa)) {
            JwtAuthenticator authenticator = JwtAuthenticator.jwks(jwks.url()).build();
            assertEquals("a", authenticator.authenticate(TestKeys.rs256(rsa, claims("a"))).userId());
            assertEquals(1, jwks.fetches());

            RSAKey next = TestKeys.rsa("rsa-2");
            jwks.serve(next); // the provider rotates: the old key is gone, a new kid signs
            assertEquals("b", authenticator.authenticate(TestKeys.rs256(next, claims("b"))).userId());
            assertEquals(2, jwks.fetches());
            assertEquals("Authentication failed: invalid token", refusal(authenticator, TestKeys.rs256(rsa, claims("a"))));
        }
    }

    @Test
    void unknownKidsFetchTheJwksAtMostTwicePerRefreshIntervalAndKnownKidsKeepWorking() throws Exception {
        try (JwksServer jwks = JwksServer.start(rsa, ec)) {
            JwtAuthenticator authenticator = JwtAuthenticator.jwks(jwks.url()).build(); // 30 s interval
            assertEquals("a", authenticator.authenticate(TestKeys.rs256(rsa, claims("a"))).userId());
            for (int i = 0; i < 50; i++) {
                String unknown = TestKeys.rs256(new RSAKey.Builder(rsa).keyID("random-" + i).build(), claims("x"));
                assertEquals("Authentication failed: invalid token", refusal(authenticator, unknown));
                assertEquals("e", authenticator.authenticate(TestKeys.es256(ec, claims("e"))).userId());
            }
            assertTrue(jwks.fetches() <= 2, jwks.fetches() + " fetches");
        }
    }

    @Test
    void unknownKidsSpentOnTheRateLimitDoNotRefuseKnownKeysWhenTheCacheExpires() throws Exception {
        try (JwksServer jwks = JwksServer.start(rsa)) {
            // the cache expires every second; a stream of unknown kids keeps the rate limit spent
            JwtAuthenticator authenticator = JwtAuthenticator.jwks(jwks.url()).jwksCacheTtl(Duration.ofSeconds(1))
                    .jwksRefreshInterval(Duration.ofMillis(900)).build();
            String known = TestKeys.rs256(rsa, claims("a"));
            String unknown = TestKeys.rs256(new RSAKey.Builder(rsa).keyID("unknown").build(), claims("x"));
            long end = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (System.nanoTime() < end) {
                assertTrue(!verifies(authenticator, unknown));
                assertTrue(!verifies(authenticator, unknown));
                assertEquals("a", authenticator.authenticate(known).userId());
                LockSupport.parkNanos(10_000_000L); // paces the rounds; nothing waits on it
            }
            assertTrue(jwks.fetches() <= 2 * (5000 / 900 + 2), jwks.fetches() + " fetches");
        }
    }

    @Test
    void aKeyRotatedWhileTheRateLimitHoldsVerifiesOnceTheIntervalHasPassed() {
        try (JwksServer jwks = JwksServer.start(rsa)) {
            JwtAuthenticator authenticator = JwtAuthenticator.jwks(jwks.url())
                    .jwksCacheTtl(Duration.ofMinutes(5)).jwksRefreshInterval(Duration.ofSeconds(1)).build();
            assertTrue(verifies(authenticator, TestKeys.rs256(rsa, claims("a"))));
            assertTrue(!verifies(authenticator, TestKeys.rs256(TestKeys.rsa("spent"), claims("x"))));
            RSAKey next = TestKeys.rsa("rsa-2");
            jwks.serve(rsa, next);
            String token = TestKeys.rs256(next, claims("b"));
            until("the rotated key to verify", Duration.ofSeconds(10), () -> verifies(authenticator, token));
        }
    }

    @Test
    void theJwksServerDownFor30SecondsDoesNotRefuseTokensWhoseKeysWereCached() throws Exception {
        try (JwksServer jwks = JwksServer.start(rsa, ec, ed.jwk())) {
            JwtAuthenticator defaults = JwtAuthenticator.jwks(jwks.url()).build();
            // the cache expires every 2 s: the outage cache, not the cache, keeps the keys through the outage
            JwtAuthenticator shortCache = JwtAuthenticator.jwks(jwks.url()).jwksCacheTtl(Duration.ofSeconds(2))
                    .jwksRefreshInterval(Duration.ofSeconds(1)).jwksOutageTolerance(Duration.ofMinutes(2)).build();
            List<String> tokens = List.of(TestKeys.rs256(rsa, claims("r")), TestKeys.es256(ec, claims("e")),
                    ed.sign("EdDSA", "ed-1", claims("d")));
            for (String token : tokens) {
                defaults.authenticate(token);
                shortCache.authenticate(token);
            }

            jwks.stop();
            long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            int rounds = 0;
            while (System.nanoTime() < end) {
                for (String token : tokens) {
                    defaults.authenticate(token);
                    shortCache.authenticate(token);
                }
                rounds++;
                LockSupport.parkNanos(100_000_000L); // paces the rounds; nothing waits on it
            }
            assertTrue(rounds > 100, rounds + " rounds");
            // an unknown kid during the outage is refused as unknown, and known ones still pass
            assertEquals("Authentication failed: invalid token", refusal(shortCache,
                    TestKeys.rs256(TestKeys.rsa("rsa-new"), claims("x"))));
            assertEquals("r", shortCache.authenticate(tokens.get(0)).userId());
        }
    }

    @Test
    void pastTheOutageToleranceTokensAreRefusedUntilTheJwksAnswersAgain() throws Exception {
        try (JwksServer jwks = JwksServer.start(rsa)) {
            JwtAuthenticator authenticator = JwtAuthenticator.jwks(jwks.url()).jwksCacheTtl(Duration.ofSeconds(1))
                    .jwksRefreshInterval(Duration.ofMillis(200)).jwksOutageTolerance(Duration.ofSeconds(2)).build();
            String token = TestKeys.rs256(rsa, claims("a"));
            authenticator.authenticate(token);
            jwks.stop();
            until("the cached keys to run out", Duration.ofSeconds(15), () -> !verifies(authenticator, token));
            assertEquals("Authentication failed: signing keys unavailable", refusal(authenticator, token));
            jwks.restart();
            until("the JWKS to be fetched again", Duration.ofSeconds(15), () -> verifies(authenticator, token));
        }
    }

    @Test
    void aJwksUnreachableAtStartVerifiesTokensOnceItAnswers() throws Exception {
        try (JwksServer jwks = JwksServer.stopped(rsa)) {
            JwtAuthenticator authenticator = JwtAuthenticator.jwks(jwks.url()).jwksCacheTtl(Duration.ofSeconds(5))
                    .jwksRefreshInterval(Duration.ofMillis(500)).build();
            IOException down = assertThrows(IOException.class, authenticator::preloadKeys);
            assertTrue(down.getMessage().startsWith("JWKS " + jwks.url() + " unavailable: "), down.getMessage());
            assertEquals(1, down.getMessage().lines().count());
            String token = TestKeys.rs256(rsa, claims("a"));
            assertEquals("Authentication failed: signing keys unavailable", refusal(authenticator, token));
            jwks.restart();
            until("the JWKS to be fetched", Duration.ofSeconds(10), () -> verifies(authenticator, token));
            assertEquals(1, authenticator.preloadKeys());
        }
    }

    @Test
    void aJwksThatIsNotAKeySetRefusesTokensAsKeysUnavailable() {
        try (JwksServer jwks = JwksServer.start()) {
            jwks.serveRaw("<html>login</html>");
            JwtAuthenticator authenticator = JwtAuthenticator.jwks(jwks.url()).build();
            assertEquals("Authentication failed: signing keys unavailable",
                    refusal(authenticator, TestKeys.rs256(rsa, claims("a"))));
            assertThrows(IOException.class, authenticator::preloadKeys);
        }
    }
}
