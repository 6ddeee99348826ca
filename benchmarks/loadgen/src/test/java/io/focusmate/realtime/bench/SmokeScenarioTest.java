package io.focusmate.realtime.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.launcher.http.HttpRoutes;
import io.focusmate.realtime.launcher.http.PublishApi;
import io.focusmate.realtime.launcher.server.RealtimeServer;
import io.focusmate.realtime.redis.RedisBackend;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.TestTokens;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The benchmark's smoke scenario, run in CI: a few dozen real clients of a real server on a real Redis, driven by
 * the load generator itself. Any lost delivery fails the build.
 */
@Timeout(120)
class SmokeScenarioTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();

    private static Map<String, String> options(int port, String scenario, int connections, int messages) {
        return Map.of("url", "ws://127.0.0.1:" + port, "connections", String.valueOf(connections),
                "rate", "200", "messages", String.valueOf(messages), "redis", REDIS.url(),
                "secret", TestTokens.SECRET, "hosts", "3", "room", "smoke-" + scenario);
    }

    private static final String API_KEY = "smoke-publish-api-key-0123456789";

    @Test
    void roomFanOutUserNotificationsAConnectStormAndThePublishPathsLoseNothing() throws Exception {
        try (RedisBackend redis = RedisBackend.builder(REDIS.url()).chatHistorySize(100).build();
             Gateway gateway = Gateway.builder().backend(redis)
                     .authenticator(JwtAuthenticator.builder(TestTokens.SECRET).build()).build();
             RealtimeServer server = RealtimeServer.builder(gateway).host("0.0.0.0").port(0)
                     .routes(publishApi(gateway)).build().start()) {
            LoadGen.Result fanout = LoadGen.run("fanout", options(server.port(), "fanout", 40, 50));
            System.out.println(fanout.json());
            assertEquals(40, fanout.connections());
            assertEquals(0, fanout.failures());
            assertEquals(40 * 50, fanout.deliveries());
            assertEquals(0, fanout.lost(), "a delivery was lost");
            assertEquals(0, fanout.outOfOrder(), "a client got a frame out of order");

            Map<String, String> bursts = new java.util.HashMap<>(options(server.port(), "burst", 40, 60));
            bursts.put("burst", "20");
            LoadGen.Result burst = LoadGen.run("burst", bursts);
            System.out.println(burst.json());
            assertEquals(40 * 60, burst.deliveries());
            assertEquals(0, burst.lost(), "a delivery of a burst was lost");
            assertEquals(0, burst.outOfOrder(), "a client got a frame of a burst out of order");

            LoadGen.Result notify = LoadGen.run("notify", options(server.port(), "notify", 40, 200));
            System.out.println(notify.json());
            assertEquals(0, notify.failures());
            assertEquals(0, notify.lost(), "a notification was lost");

            try (Fleet refusedFleet = new Fleet()) {
                refusedFleet.open(10, 4, i -> "ws://127.0.0.1:" + server.port() + "/api/v1/notifications/ws?token="
                        + (i % 2 == 0 ? "not-a-jwt" : ""), java.time.Duration.ofSeconds(30));
                assertEquals(0, refusedFleet.greeted.get());
                assertEquals(10, refusedFleet.failures.get(), "a refused client (an error frame, then a close) fails");
            }

            Storm.Result storm = Storm.run(Map.of("url", "ws://127.0.0.1:" + server.port(), "rate", "200",
                    "seconds", "0.2", "warmup", "10", "hosts", "3", "secret", TestTokens.SECRET));
            System.out.println(storm.json());
            assertEquals(40, storm.attempted());
            assertEquals(0, storm.failures());
            assertEquals(40, storm.connected(), "every storm client got its greeting");

            Storm.Result refused = Storm.run(Map.of("url", "ws://127.0.0.1:" + server.port(), "rate", "200",
                    "seconds", "0.05", "secret", "another-secret-that-the-server-does-not-know"));
            assertEquals(0, refused.connected());
            assertEquals(10, refused.failures(), "a refused handshake counts as an error");

            // Scenario (e): 600 publications per path (more than Grizzly's 256 requests per keep-alive connection, so
            // the HTTP senders reconnect), each numbered in the history (on by default) except the raw PUBLISH.
            for (String path : new String[] {"http", "fcall", "publish"}) {
                Publish.Result published = Publish.run(Map.of("path", path, "url", "http://127.0.0.1:" + server.port(),
                        "redis", REDIS.url(), "api-key", API_KEY, "publications", "600", "warmup", "100",
                        "concurrency", "2", "users", "10", "user-prefix", "smoke-" + path + "-"));
                System.out.println(published.json());
                assertEquals(0, published.errors(), path + ": a publication was refused");
                assertEquals(path.equals("publish") ? 0 : 600, published.numbered(), path + ": numbered publications");
            }
        }
    }

    /** The launcher's HTTP publish API, on the test server's routes. */
    private static HttpRoutes publishApi(Gateway gateway) {
        HttpRoutes routes = new HttpRoutes();
        PublishApi.register(routes, gateway.notifications(), API_KEY, 65536);
        return routes;
    }
}
