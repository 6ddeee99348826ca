package io.focusmate.realtime.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Date;
import org.junit.jupiter.api.Test;

class JwtAuthenticatorTest {
    /** 44 bytes: long enough for HS256. */
    private static final String SECRET = "test-secret-that-is-long-enough-for-hs256!!";

    private final JwtAuthenticator authenticator = JwtAuthenticator.builder(SECRET).build();

    private static String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }

    @Test
    void aBadSignatureRightAfterAGoodOneOnTheSameThreadIsRefusedAndTheNextGoodOneAccepted() throws Exception {
        String good = sign(new JWTClaimsSet.Builder().subject("a").build());
        SignedJWT other = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder().subject("a").build());
        other.sign(new MACSigner("another-secret-that-is-long-enough-for-hs256".getBytes(StandardCharsets.UTF_8)));
        String tampered = good.substring(0, good.lastIndexOf('.') + 1) + other.serialize().substring(
                other.serialize().lastIndexOf('.') + 1);
        for (int i = 0; i < 3; i++) {
            assertEquals("a", authenticator.authenticate(good).userId());
            assertThrows(AuthenticationException.class, () -> authenticator.authenticate(tampered));
            assertThrows(AuthenticationException.class, () -> authenticator.authenticate(other.serialize()));
        }
    }

    @Test
    void anHs256TokenWithACriticalHeaderParameterIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .customParam("exp-hint", 1).criticalParams(java.util.Set.of("exp-hint")).build(),
                new JWTClaimsSet.Builder().subject("a").build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThrows(AuthenticationException.class, () -> authenticator.authenticate(jwt.serialize()));
    }

    @Test
    void tokensVerifiedOnManyThreadsAtOnceAreEachJudgedByTheirOwnSignature() throws Exception {
        String good = sign(new JWTClaimsSet.Builder().subject("a").build());
        String bad = good.substring(0, good.length() - 2) + (good.endsWith("AA") ? "BB" : "AA");
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> answers = new java.util.ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                String token = i % 2 == 0 ? good : bad;
                answers.add(pool.submit(() -> {
                    try {
                        return authenticator.authenticate(token) != null;
                    } catch (AuthenticationException e) {
                        return false;
                    }
                }));
            }
            for (int i = 0; i < answers.size(); i++) {
                assertEquals(i % 2 == 0, answers.get(i).get(), "token " + i);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aTokenExpiredWithinTheClockSkewIsStillAccepted() throws Exception {
        String token = sign(new JWTClaimsSet.Builder().subject("a")
                .expirationTime(new Date(System.currentTimeMillis() - 10_000)).build());
        assertEquals("a", authenticator.authenticate(token).userId());
    }

    @Test
    void aTokenExpiredBeyondTheClockSkewIsRefusedAsExpired() throws Exception {
        String token = sign(new JWTClaimsSet.Builder().subject("a")
                .expirationTime(new Date(System.currentTimeMillis() - 31_000)).build());
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> authenticator.authenticate(token));
        assertEquals("Authentication failed: token expired", e.getMessage());
    }

    @Test
    void requireExpiryRefusesATokenWithoutExp() throws Exception {
        String token = sign(new JWTClaimsSet.Builder().subject("a").build());
        JwtAuthenticator strict = JwtAuthenticator.builder(SECRET).requireExpiry(true).build();
        assertThrows(AuthenticationException.class, () -> strict.authenticate(token));
        assertEquals("a", authenticator.authenticate(token).userId());
    }

    @Test
    void aSubjectWithControlCharactersOrTooLongIsRefused() throws Exception {
        assertThrows(AuthenticationException.class, () -> authenticator.authenticate(
                sign(new JWTClaimsSet.Builder().subject("a\nb").build())));
        assertThrows(AuthenticationException.class, () -> authenticator.authenticate(
                sign(new JWTClaimsSet.Builder().subject("x".repeat(129)).build())));
        assertEquals("x".repeat(128), authenticator.authenticate(
                sign(new JWTClaimsSet.Builder().subject("x".repeat(128)).build())).userId());
    }

    @Test
    void theRefusalNeverContainsTheToken() {
        String token = new JwtIssuer(SECRET, java.time.Clock.systemUTC()).issue("alice", Duration.ofHours(1)) + "tampered";
        AuthenticationException e = assertThrows(AuthenticationException.class, () -> authenticator.authenticate(token));
        assertFalse(e.getMessage().contains(token.substring(0, 20)));
    }

    @Test
    void aSecretShorterThan32BytesIsRefusedWithAMessageThatDoesNotEchoIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JwtAuthenticator.builder("s3cr3t-but-short").build());
        assertTrue(e.getMessage().contains("32 bytes"), e.getMessage());
        assertFalse(e.getMessage().contains("s3cr3t"), e.getMessage());
    }

    @Test
    void tokensFromOtherLibrariesWithAKeyIdOrAnAccessTokenTypeAreAccepted() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("kid-user").build();
        for (JWSHeader header : new JWSHeader[] {
                new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("2026-key").build(),
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(new com.nimbusds.jose.JOSEObjectType("at+jwt")).build(),
                new JWSHeader.Builder(JWSAlgorithm.HS256).type(com.nimbusds.jose.JOSEObjectType.JWT).build()}) {
            SignedJWT jwt = new SignedJWT(header, claims);
            jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
            assertEquals("kid-user", authenticator.authenticate(jwt.serialize()).userId(), header.toString());
        }
    }

    @Test
    void aTokenTypedAsSomethingElseThanAJwtIsRefused() throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256)
                .type(new com.nimbusds.jose.JOSEObjectType("logout+jwt")).build(),
                new JWTClaimsSet.Builder().subject("x").build());
        jwt.sign(new MACSigner(SECRET.getBytes(StandardCharsets.UTF_8)));
        assertThrows(AuthenticationException.class, () -> authenticator.authenticate(jwt.serialize()));
    }

    @Test
    void theIssuersTokensVerify() throws Exception {
        String token = new JwtIssuer(SECRET, java.time.Clock.systemUTC()).issue("bob", Duration.ofMinutes(5));
        assertEquals("bob", authenticator.authenticate(token).userId());
    }
}
