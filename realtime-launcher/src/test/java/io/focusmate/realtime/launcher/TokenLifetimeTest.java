package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.auth.JwtIssuer;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection lives no longer than its token: {@code token_expiring} ahead of the expiry, an in-band
 * {@code refresh} that extends it, and 4003 {@code Token expired} for a connection that did not refresh.
 */
@Timeout(60)
class TokenLifetimeTest {
    private static final JwtIssuer ISSUER = new JwtIssuer(TestTokens.SECRET, Clock.systemUTC());
    private static TestInstance gateway;

    @BeforeAll
    static void start() {
        gateway = TestInstance.start(Map.of("JWT_CLOCK_SKEW", "0s", "TOKEN_REFRESH_WINDOW", "2s"));
    }

    @AfterAll
    static void stop() {
        gateway.close();
    }

    private static long expiryMillis(String token) {
        try {
            return com.nimbusds.jwt.SignedJWT.parse(token).getJWTClaimsSet().getExpirationTime().getTime();
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static WsClient connect(String path, String token) {
        WsClient client = WsClient.connect(gateway.url(path + "?token=" + token));
        String first = client.next().path("type").asText();
        assertTrue(first.equals("connected") || first.equals("room_state"), first);
        return client;
    }

    @Test
    void aRefreshedConnectionGetsTokenExpiringThenRefreshedAndKeepsReceivingPastTheFirstExpiry() {
        String token = ISSUER.issue("refresher", Duration.ofSeconds(3));
        long firstExpiry = expiryMillis(token);
        WsClient client = connect("/api/v1/notifications/ws", token);
        JsonNode expiring = client.nextOfType("token_expiring");
        assertEquals(firstExpiry, expiring.path("data").path("expires_at").asLong());

        String fresh = ISSUER.issue("refresher", Duration.ofSeconds(60));
        client.send("{\"type\":\"refresh\",\"data\":{\"token\":\"" + fresh + "\"}}");
        JsonNode refreshed = client.nextOfType("refreshed");
        assertEquals(expiryMillis(fresh), refreshed.path("data").path("expires_at").asLong());

        Await.until("the first expiry to pass", Duration.ofSeconds(10),
                () -> System.currentTimeMillis() > firstExpiry + 1_500);
        gateway.gateway().notifications().publishFrame("notifications:user:refresher",
                "{\"type\":\"notification\",\"data\":{\"title\":\"still here\"}}");
        assertEquals("still here", client.nextOfType("notification").path("data").path("title").asText());
        assertTrue(!client.isClosed());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/notifications/ws", "/ws/room/lifetime-room", "/api/v1/matching/chat/lifetime-chat/ws"})
    void anUnrefreshedConnectionIsClosedWith4003AtItsTokensExpiryOnEveryEndpoint(String path) {
        String token = ISSUER.issue("expiring-" + path.length(), Duration.ofSeconds(3));
        long expiry = expiryMillis(token);
        WsClient client = connect(path, token);
        client.nextOfType("token_expiring");
        WsClient.Close close = client.awaitClose(Duration.ofSeconds(10));
        long closedAt = System.currentTimeMillis();
        assertEquals(4003, close.code());
        assertEquals("Token expired", close.reason());
        assertTrue(closedAt >= expiry && closedAt < expiry + 2_000, "closed " + (closedAt - expiry) + " ms after exp");
    }

    @Test
    void aRefreshWithAnotherUsersTokenIsRefusedAndTheConnectionEndsAtItsOldExpiry() {
        String token = ISSUER.issue("victim-of-swap", Duration.ofSeconds(3));
        long expiry = expiryMillis(token);
        WsClient client = connect("/api/v1/notifications/ws", token);
        client.send("{\"type\":\"refresh\",\"data\":{\"token\":\"" + ISSUER.issue("someone-else", Duration.ofHours(1))
                + "\"}}");
        JsonNode error = client.nextOfType("error");
        assertEquals("AUTH_ERROR", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("another user"), error.toString());
        assertEquals(4003, client.awaitClose(Duration.ofSeconds(10)).code());
        assertTrue(System.currentTimeMillis() >= expiry);
    }

    @Test
    void aRefreshWithAnInvalidTokenIsRefusedWithAuthErrorAndTheConnectionStaysOpen() {
        WsClient client = gateway.connect("keeps-old-token");
        client.send("{\"type\":\"refresh\",\"data\":{\"token\":\"not-a-jwt\"}}");
        JsonNode error = client.nextOfType("error");
        assertEquals("AUTH_ERROR", error.path("code").asText());
        client.send("{\"type\":\"ping\"}");
        assertEquals("pong", client.nextOfType("pong").path("type").asText());
    }

    @Test
    void aTokenLongerThan4096CharactersIsRefusedBeforeItIsParsed() {
        WsClient client = WsClient.connect(gateway.notificationsUrl("a".repeat(5_000)));
        JsonNode error = client.next();
        assertEquals("AUTH_ERROR", error.path("code").asText());
        assertTrue(error.path("message").asText().contains("longer than 4096"), error.toString());
        assertEquals(1008, client.awaitClose().code());
    }
}
