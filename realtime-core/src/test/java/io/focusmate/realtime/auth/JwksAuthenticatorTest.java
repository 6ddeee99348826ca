package io.focusmate.realtime.auth;

import static io.focusmate.realtime.auth.TestKeys.claims;
import static io.focusmate.realtime.auth.TestKeys.claimsBuilder;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tokens of an identity provider, verified with the keys of its JWKS: which algorithms, keys and claims pass. */
@Timeout(60)
class JwksAuthenticatorTest {
    private static final String SECRET = "test-secret-that-is-long-enough-for-hs256!!";

    private static final RSAKey RSA = TestKeys.rsa("rsa-1");
    private static final ECKey EC = TestKeys.ec("ec-1");
    private static final TestKeys.Ed25519 ED = TestKeys.Ed25519.generate("ed-1");
    private static JwksServer jwks;
    private static JwtAuthenticator authenticator;

    @BeforeAll
    static void serve() {
        jwks = JwksServer.start(RSA, EC, ED.jwk());
        authenticator = JwtAuthenticator.jwks(jwks.url()).build();
    }

    @AfterAll
    static void stop() {
        jwks.close();
    }

    private static String refusal(JwtAuthenticator with, String token) {
        return assertThrows(AuthenticationException.class, () -> with.authenticate(token)).getMessage();
    }

    @Test
    void anRs256TokenVerifiesAndItsPrincipalCarriesExp() throws Exception {
        Date exp = new Date((System.currentTimeMillis() / 1000 + 600) * 1000);
        Principal user = authenticator.authenticate(TestKeys.rs256(RSA,
                new JWTClaimsSet.Builder().subject("alice").expirationTime(exp).build()));
        assertEquals(new Principal("alice", exp.toInstant()), user);
    }

    @Test
    void anEs256TokenVerifies() throws Exception {
        assertEquals("bob", authenticator.authenticate(TestKeys.es256(EC, claims("bob"))).userId());
    }

    @Test
    void anEdDsaTokenVerifiesUnderBothNamesOfTheAlgorithm() throws Exception {
        assertEquals("carol", authenticator.authenticate(ED.sign("EdDSA", "ed-1", claims("carol"))).userId());
        assertEquals("carol", authenticator.authenticate(ED.sign("Ed25519", "ed-1", claims("carol"))).userId());
    }

    @Test
    void aTokenWithoutKidVerifiesWithTheKeyOfItsType() throws Exception {
        String token = TestKeys.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT).build(),
                claims("dave"), TestKeys.signer(() -> new ECDSASigner(EC)));
        assertEquals("dave", authenticator.authenticate(token).userId());
        assertEquals("dave", authenticator.authenticate(ED.sign("EdDSA", null, claims("dave"))).userId());
    }

    @Test
    void anHs256TokenWhoseHmacKeyIsTheRsaPublicKeyIsRefused() throws Exception {
        byte[] der = RSA.toRSAPublicKey().getEncoded();
        String pem = "-----BEGIN PUBLIC KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(der) + "\n-----END PUBLIC KEY-----\n";
        JwtAuthenticator combined = JwtAuthenticator.builder(SECRET).jwks(jwks.url()).build();
        for (byte[] hmacKey : List.of(pem.getBytes(StandardCharsets.US_ASCII), der,
                RSA.toPublicJWK().toJSONString().getBytes(StandardCharsets.UTF_8))) {
            String forged = TestKeys.hs256(hmacKey, "rsa-1", claims("mallory"));
            assertEquals("Authentication failed: invalid token", refusal(authenticator, forged));
            assertEquals("Authentication failed: invalid token", refusal(combined, forged));
        }
    }

    @Test
    void anAsymmetricTokenIsRefusedByAnHs256OnlyAuthenticatorAndHs256ByAJwksOnlyOne() throws Exception {
        JwtAuthenticator hs256Only = JwtAuthenticator.builder(SECRET).build();
        assertEquals("Authentication failed: invalid token", refusal(hs256Only, TestKeys.rs256(RSA, claims("a"))));
        assertEquals("Authentication failed: invalid token", refusal(hs256Only, TestKeys.es256(EC, claims("a"))));
        String hs256 = TestKeys.hs256(SECRET.getBytes(StandardCharsets.UTF_8), null, claims("a"));
        assertEquals("a", hs256Only.authenticate(hs256).userId());
        assertEquals("Authentication failed: invalid token", refusal(authenticator, hs256));
    }

    @Test
    void withASecretAndAJwksBothKindsOfTokenVerify() throws Exception {
        JwtAuthenticator combined = JwtAuthenticator.builder(SECRET).jwks(jwks.url()).build();
        assertEquals("backend", combined.authenticate(
                TestKeys.hs256(SECRET.getBytes(StandardCharsets.UTF_8), null, claims("backend"))).userId());
        assertEquals("idp-user", combined.authenticate(TestKeys.rs256(RSA, claims("idp-user"))).userId());
    }

    @Test
    void aTokenWhoseAlgorithmDoesNotFitItsKidsKeyTypeIsRefused() {
        // each signed with a real key of the JWKS, but naming another type's key
        String rs256OnEcKid = TestKeys.sign(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("ec-1").build(),
                claims("a"), TestKeys.signer(() -> new RSASSASigner(RSA)));
        String es256OnRsaKid = TestKeys.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("rsa-1").build(),
                claims("a"), TestKeys.signer(() -> new ECDSASigner(EC)));
        String edDsaOnEcKid = ED.sign("EdDSA", "ec-1", claims("a"));
        for (String token : List.of(rs256OnEcKid, es256OnRsaKid, edDsaOnEcKid)) {
            assertEquals("Authentication failed: invalid token", refusal(authenticator, token));
        }
    }

    @Test
    void algorithmsOtherThanRs256Es256AndEdDsaAreRefusedEvenWithAKeyOfTheRightType() {
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.RS384, JWSAlgorithm.RS512, JWSAlgorithm.PS256)) {
            String token = TestKeys.sign(new JWSHeader.Builder(alg).keyID("rsa-1").build(), claims("a"),
                    TestKeys.signer(() -> new RSASSASigner(RSA)));
            assertEquals("Authentication failed: invalid token", refusal(authenticator, token), alg.getName());
        }
    }

    @Test
    void aKeyThatDeclaresAnotherAlgorithmOrUseVerifiesNothing() throws Exception {
        RSAKey ps256Only = new RSAKey.Builder(TestKeys.rsa("ps")).algorithm(JWSAlgorithm.PS256).build();
        RSAKey encryption = new RSAKey.Builder(TestKeys.rsa("enc")).keyUse(KeyUse.ENCRYPTION).build();
        RSAKey declared = new RSAKey.Builder(TestKeys.rsa("rs")).algorithm(JWSAlgorithm.RS256).keyUse(KeyUse.SIGNATURE)
                .build();
        try (JwksServer other = JwksServer.start(ps256Only, encryption, declared)) {
            JwtAuthenticator strict = JwtAuthenticator.jwks(other.url()).build();
            assertEquals("Authentication failed: invalid token", refusal(strict, TestKeys.rs256(ps256Only, claims("a"))));
            assertEquals("Authentication failed: invalid token", refusal(strict, TestKeys.rs256(encryption, claims("a"))));
            assertEquals("a", strict.authenticate(TestKeys.rs256(declared, claims("a"))).userId());
        }
    }

    @Test
    void aSignatureByAnotherKeyUnderAKnownKidIsRefused() {
        RSAKey impostor = TestKeys.rsa("rsa-1");
        assertEquals("Authentication failed: invalid token", refusal(authenticator, TestKeys.rs256(impostor, claims("a"))));
        TestKeys.Ed25519 edImpostor = TestKeys.Ed25519.generate("ed-1");
        assertEquals("Authentication failed: invalid token", refusal(authenticator,
                edImpostor.sign("EdDSA", "ed-1", claims("a"))));
    }

    @Test
    void theIssuerAndAudienceMustMatchWhenSet() throws Exception {
        JwtAuthenticator strict = JwtAuthenticator.jwks(jwks.url()).issuer("https://idp.example.com/")
                .audience("realtime").build();
        assertEquals("a", strict.authenticate(TestKeys.rs256(RSA, claimsBuilder("a")
                .issuer("https://idp.example.com/").audience(List.of("api", "realtime")).build())).userId());
        assertEquals("Authentication failed: issuer not accepted", refusal(strict, TestKeys.rs256(RSA,
                claimsBuilder("a").issuer("https://evil.example.com/").audience("realtime").build())));
        assertEquals("Authentication failed: missing required claims [iss]", refusal(strict, TestKeys.rs256(RSA,
                claimsBuilder("a").audience("realtime").build())));
        assertEquals("Authentication failed: audience not accepted", refusal(strict, TestKeys.es256(EC,
                claimsBuilder("a").issuer("https://idp.example.com/").audience("billing").build())));
        assertEquals("Authentication failed: audience not accepted", refusal(strict, TestKeys.es256(EC,
                claimsBuilder("a").issuer("https://idp.example.com/").build())));
    }

    @Test
    void theIssuerAppliesToHs256TokensToo() {
        JwtAuthenticator strict = JwtAuthenticator.builder(SECRET).jwks(jwks.url()).issuer("https://idp.example.com/")
                .build();
        assertEquals("Authentication failed: missing required claims [iss]", refusal(strict,
                TestKeys.hs256(SECRET.getBytes(StandardCharsets.UTF_8), null, claims("a"))));
    }

    @Test
    void expiryAndSubjectRulesApplyToJwksTokens() {
        assertEquals("Authentication failed: token expired", refusal(authenticator, TestKeys.rs256(RSA,
                new JWTClaimsSet.Builder().subject("a").expirationTime(new Date(System.currentTimeMillis() - 120_000))
                        .build())));
        assertEquals("Authentication failed: invalid sub", refusal(authenticator, TestKeys.es256(EC, claims("a\nb"))));
        assertEquals("Authentication failed: missing required claims [sub]", refusal(authenticator,
                ED.sign("EdDSA", "ed-1", new JWTClaimsSet.Builder().issuer("x").build())));
    }

    @Test
    void algNoneAndGarbageAreRefused() {
        String[] parts = TestKeys.rs256(RSA, claims("a")).split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"kid\":\"rsa-1\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("Authentication failed: invalid token", refusal(authenticator, none + "." + parts[1] + "."));
        assertEquals("Authentication failed: invalid token", refusal(authenticator, "a.b.c"));
        assertEquals("Authentication failed: no token", refusal(authenticator, " "));
    }

    @Test
    void aJwksUrlThatIsNotHttpOrTimesThatDoNotFitAreRefusedByTheBuilder() {
        assertThrows(IllegalArgumentException.class, () -> JwtAuthenticator.jwks(URI.create("file:///etc/jwks.json")));
        assertThrows(IllegalArgumentException.class, () -> JwtAuthenticator.jwks(URI.create("jwks.json")));
        assertThrows(IllegalArgumentException.class, () -> JwtAuthenticator.jwks(jwks.url())
                .jwksCacheTtl(Duration.ofSeconds(10)).jwksRefreshInterval(Duration.ofSeconds(10)).build());
        assertThrows(IllegalArgumentException.class, () -> JwtAuthenticator.jwks(jwks.url())
                .jwksOutageTolerance(Duration.ofMinutes(1)).build());
        assertThrows(IllegalArgumentException.class, () -> JwtAuthenticator.builder("short").jwks(jwks.url()).build());
    }

    @Test
    void preloadKeysFetchesTheJwksAndCountsItsKeys() throws Exception {
        assertEquals(3, JwtAuthenticator.jwks(jwks.url()).build().preloadKeys());
        assertEquals(0, JwtAuthenticator.builder(SECRET).build().preloadKeys());
        assertTrue(jwks.fetches() >= 1);
    }
}
