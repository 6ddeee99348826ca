package io.focusmate.realtime.launcher.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handshake timeout watches only the connections that are not WebSockets: a WebSocket leaves the watch when its
 * handshake is answered, so the once-a-second check costs nothing per WebSocket.
 */
@Timeout(60)
class HandshakeTimeoutWatchTest {

    @Test
    void onlyConnectionsThatAreNotWebSocketsAreWatchedAndAClosedOneLeavesTheWatch() throws Exception {
        try (InMemoryPubSub pubSub = new InMemoryPubSub();
             Gateway gateway = Gateway.builder().pubSub(pubSub)
                     .authenticator(JwtAuthenticator.builder(TestTokens.SECRET).build()).build();
             RealtimeServer server = RealtimeServer.builder(gateway).host("127.0.0.1").port(0)
                     .handshakeTimeout(Duration.ofSeconds(30)).build().start()) {
            List<WsClient> clients = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                WsClient client = WsClient.connect("ws://127.0.0.1:" + server.port()
                        + "/api/v1/notifications/ws?token=" + TestTokens.token("u" + i));
                assertEquals("connected", client.next().path("type").asText());
                clients.add(client);
            }
            Await.until("no WebSocket to be watched", () -> server.handshakeWatchCount() == 0);
            try (Socket half = new Socket("127.0.0.1", server.port())) {
                OutputStream out = half.getOutputStream();
                out.write("GET /api/v1/notifications/ws?tok".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Await.until("the half-sent request to be watched", () -> server.handshakeWatchCount() == 1);
            }
            Await.until("the closed socket to leave the watch", () -> server.handshakeWatchCount() == 0);
            clients.forEach(WsClient::close);
        }
    }
}
