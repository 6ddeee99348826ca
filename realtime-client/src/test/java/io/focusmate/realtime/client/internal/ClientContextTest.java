package io.focusmate.realtime.client.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.client.ClientOptions;
import java.net.URI;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The URL of an attempt: the token in the query (URL-encoded) or, with tokenInHeader, nowhere in it. */
class ClientContextTest {
    private static ClientContext context(ClientOptions options) {
        return new ClientContext(null, null, () -> "ws://gw:8080", () -> CompletableFuture.completedFuture("t"),
                options, () -> 0.5);
    }

    @Test
    void theTokenGoesInTheQueryByDefaultBeforeTheEndpointsParameters() {
        ClientContext context = context(ClientOptions.defaults());
        assertEquals(URI.create("ws://gw:8080/api/v1/notifications/ws?token=a%2Bb&recover=true"),
                context.uri("/api/v1/notifications/ws", "recover=true", "a+b"));
        assertEquals(URI.create("ws://gw:8080/ws/room/r1?token=a"), context.uri("/ws/room/r1", "", "a"));
    }

    @Test
    void withTheTokenInTheHeaderTheUrlCarriesNoToken() {
        ClientContext context = context(ClientOptions.defaults().withTokenInHeader(true));
        assertEquals(URI.create("ws://gw:8080/ws/room/r1"), context.uri("/ws/room/r1", "", "secret"));
        assertEquals(URI.create("ws://gw:8080/api/v1/matching/chat/c1/ws?last_message_id=4"),
                context.uri("/api/v1/matching/chat/c1/ws", "last_message_id=4", "secret"));
    }
}
