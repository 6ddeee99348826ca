package io.focusmate.realtime.jakarta;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.time.Duration;
import java.util.Map;
import org.glassfish.tyrus.container.grizzly.server.GrizzlyServerContainer;
import org.glassfish.tyrus.spi.ServerContainer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The adapter deployed the way an embedder would: {@link RealtimeEndpoints#register} into a stock container. */
@Timeout(60)
class RealtimeEndpointsTest {
    private InMemoryPubSub pubSub;
    private Gateway gateway;
    private ServerContainer container;
    private int port;

    @BeforeEach
    void start() throws Exception {
        pubSub = new InMemoryPubSub();
        gateway = Gateway.builder()
                .pubSub(pubSub)
                .authenticator(JwtAuthenticator.builder(TestTokens.SECRET).build())
                .config(GatewayConfig.builder().heartbeatInterval(Duration.ofMillis(100))
                        .idleTimeout(Duration.ofMillis(400)).build())
                .build();
        container = new GrizzlyServerContainer().createContainer(Map.of());
        RealtimeEndpoints.register(container, gateway);
        port = RedisServer.freePort();
        container.start("/", port);
    }

    @AfterEach
    void stop() {
        gateway.close();
        container.stop();
        pubSub.close();
    }

    private String url(String token) {
        return "ws://localhost:" + port + "/api/v1/notifications/ws" + (token == null ? "" : "?token=" + token);
    }

    @Test
    void aStockContainerServesTheNotificationsEndpoint() {
        WsClient client = WsClient.connect(url(TestTokens.token("embedded")));
        assertEquals("embedded", client.next().path("user_id").asText());
        gateway.notifications().publishFrame("notifications:user:embedded", "{\"type\":\"hello\"}");
        assertEquals("hello", client.next().path("type").asText());
    }

    @Test
    void theAuthorizationHeaderReachesTheGateway() {
        WsClient client = WsClient.connect(url(null), Map.of("Authorization", "Bearer " + TestTokens.token("hdr")), true);
        assertEquals("hdr", client.next().path("user_id").asText());
    }

    @Test
    void pongsToServerPingsReachTheGatewayAndKeepTheSocketAlive() {
        WsClient client = WsClient.connect(url(TestTokens.token("alive")));
        client.next();
        Await.until("eight server pings, twice the idle timeout", () -> client.pingsReceived() >= 8);
        assertFalse(client.isClosed());
    }

    @Test
    void aBinaryFrameIsClosedWith1003() {
        WsClient client = WsClient.connect(url(TestTokens.token("bin")));
        client.next();
        client.sendBinary(new byte[] {0});
        assertEquals("INVALID_MESSAGE", client.next().path("code").asText());
        assertEquals(1003, client.awaitClose().code());
    }

    @Test
    void closingTheSocketReleasesTheConnection() {
        WsClient client = WsClient.connect(url(TestTokens.token("leaving")));
        client.next();
        assertEquals(1, gateway.connectionCount("leaving"));
        client.close();
        Await.until("the connection to be released", () -> gateway.connectionCount() == 0);
    }
}
