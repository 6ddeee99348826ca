package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Date;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The handshake's JWT: what is accepted, and how a refusal looks to a browser (an error frame, then 1008). */
@Timeout(60)
class AuthenticationTest {
    private static TestInstance gateway;

    @BeforeAll
    static void start() {
        gateway = TestInstance.inMemory();
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    @Test
    void aValidTokenInTheQueryGetsTheSeedsConnectedFrame() {
        WsClient client = WsClient.connect(gateway.notificationsUrl(TestTokens.token("550e8400-e29b-41d4-a716")));
        assertEquals("{\"type\":\"connected\",\"message\":\"Connected to notification service\","
                + "\"user_id\":\"550e8400-e29b-41d4-a716\"}", client.nextText());
    }

    @Test
    void aValidTokenInTheAuthorizationHeaderIsAccepted() {
        WsClient client = WsClient.connect(gateway.notificationsUrl(null),
                Map.of("Authorization", "Bearer " + TestTokens.token("server-side")), true);
        assertEquals("server-side", client.next().path("user_id").asText());
    }

    @Test
    void aHeaderTokenOfOneHandshakeNeverLeaksIntoTheNext() {
        WsClient.connect(gateway.notificationsUrl(null), Map.of("Authorization", "Bearer " + TestTokens.token("h1")),
                true).next();
        assertRefused(WsClient.connect(gateway.notificationsUrl(null)), "no token");
    }

    @Test
    void aMissingTokenIsRefused() {
        assertRefused(WsClient.connect(gateway.notificationsUrl(null)), "no token");
    }

    @Test
    void aRefusedConnectionIsReleasedAtOnceNotAfterTheCloseGrace() {
        long before = gateway.count("realtime.connections.rejected");
        assertRefused(WsClient.connect(gateway.notificationsUrl("garbage")), "invalid token");
        assertEquals(before + 1, gateway.count("realtime.connections.rejected"));
        // the close grace is 5 s: a release within 2 s comes from the close itself, not from the heartbeat's cut
        io.focusmate.realtime.testkit.Await.until("the refused connection to be released",
                java.time.Duration.ofSeconds(2),
                () -> gateway.launcher().meters().scrape()
                        .contains("realtime_connections_closed_total{code=\"1008\",endpoint=\"notifications\"}"));
        org.junit.jupiter.api.Assertions.assertFalse(gateway.launcher().meters().scrape()
                .contains("code=\"1011\""), "a refusal must not end as an internal error");
    }

    @Test
    void garbageIsRefused() {
        assertRefused(connect("not-a-jwt"), "invalid token");
        assertRefused(connect("a.b.c"), "invalid token");
    }

    @Test
    void anExpiredTokenIsRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("late")
                .expirationTime(new Date(System.currentTimeMillis() - 120_000)).build();
        assertRefused(connect(sign(JWSAlgorithm.HS256, TestTokens.SECRET, claims)), "expired");
    }

    @Test
    void aTokenNotYetValidIsRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("early")
                .notBeforeTime(new Date(System.currentTimeMillis() + 600_000)).build();
        assertRefused(connect(sign(JWSAlgorithm.HS256, TestTokens.SECRET, claims)), "not yet valid");
    }

    @Test
    void aTokenWithoutSubIsRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .expirationTime(new Date(System.currentTimeMillis() + 600_000)).build();
        assertRefused(connect(sign(JWSAlgorithm.HS256, TestTokens.SECRET, claims)), "sub");
    }

    @Test
    void aForgedSignatureIsRefused() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").build();
        assertRefused(connect(sign(JWSAlgorithm.HS256, "another-secret-that-is-also-long-enough!!", claims)),
                "invalid token");
    }

    @Test
    void algNoneIsRefused() {
        String unsigned = new PlainJWT(new JWTClaimsSet.Builder().subject("alice").build()).serialize();
        assertRefused(connect(unsigned), "invalid token");
        // and the classic trick: a real header rewritten to alg none with the signature stripped
        String[] parts = TestTokens.token("alice").split("\\.");
        String none = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
        assertRefused(connect(none + "." + parts[1] + "."), "invalid token");
    }

    @Test
    void otherAlgorithmsAreRefusedEvenWithTheRightSecret() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("alice").build();
        String secret64 = TestTokens.SECRET + TestTokens.SECRET; // HS512 needs 64 bytes
        assertRefused(connect(sign(JWSAlgorithm.HS512, secret64, claims)), "invalid token");
        assertRefused(connect(sign(JWSAlgorithm.HS384, secret64, claims)), "invalid token");
    }

    @Test
    void aTokenWithoutExpiryIsAcceptedAsTheSeedDoes() throws Exception {
        JWTClaimsSet claims = new JWTClaimsSet.Builder().subject("forever").build();
        assertEquals("forever", connect(sign(JWSAlgorithm.HS256, TestTokens.SECRET, claims)).next()
                .path("user_id").asText());
    }

    private WsClient connect(String token) {
        return WsClient.connect(gateway.notificationsUrl(token));
    }

    private static void assertRefused(WsClient client, String reasonPart) {
        JsonNode error = client.next();
        assertEquals("error", error.path("type").asText());
        assertEquals("AUTH_ERROR", error.path("code").asText());
        assertTrue(error.path("message").asText().contains(reasonPart), error.toString());
        WsClient.Close close = client.awaitClose();
        assertEquals(1008, close.code());
        assertEquals("Authentication failed", close.reason());
    }

    private static String sign(JWSAlgorithm alg, String secret, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new MACSigner(secret.getBytes(StandardCharsets.UTF_8)));
        return jwt.serialize();
    }
}
