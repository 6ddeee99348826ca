package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.internal.protocol.Json;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisClusterExtension;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.WsClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two instances on a real Redis Cluster (three masters, a replica each): the two-instance tests of rooms and chat
 * run again there, and notifications cross instances through sharded pub/sub.
 */
@Timeout(180)
class AcrossInstancesOnAClusterTest {
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @Nested
    class Rooms extends RoomsAcrossInstancesTest {
        @Override
        protected String redisUrl() {
            return CLUSTER.url();
        }
    }

    @Nested
    class Chat extends ChatAcrossInstancesTest {
        @Override
        protected String redisUrl() {
            return CLUSTER.url();
        }

        @Override
        protected void addMembers(String prefix, String room, String... users) {
            String key = prefix + "{matching:chat:" + room + "}:members";
            List<String> command = new ArrayList<>(List.of("SADD", key));
            command.addAll(List.of(users));
            CLUSTER.command(key, command.toArray(new String[0]));
        }
    }

    @Test
    void aNotificationPublishedOnOneInstanceReachesTheUsersClientOnTheOtherThroughItsShardOnly() throws Exception {
        String prefix = RedisExtension.uniquePrefix();
        Map<String, String> env = Map.of("REDIS_URL", CLUSTER.url(), "REDIS_KEY_PREFIX", prefix);
        try (TestInstance one = TestInstance.start(env); TestInstance two = TestInstance.start(env)) {
            Await.until("both instances up on every shard", Duration.ofSeconds(20),
                    () -> status(one) == 200 && status(two) == 200);
            List<String> users = List.of("alice", "bob", "carol", "dave", "erin", "frank");
            List<WsClient> clients = new ArrayList<>();
            for (String user : users) {
                clients.add(two.connect(user));
            }
            Map<RedisServer, Long> before = spublishes();
            for (String user : users) {
                one.gateway().notifications().publishFrame("notifications:user:" + user,
                        "{\"type\":\"notification\",\"data\":{\"to\":\"" + user + "\"}}");
            }
            for (int i = 0; i < users.size(); i++) {
                JsonNode frame = clients.get(i).nextOfType("notification");
                assertEquals(users.get(i), frame.path("data").path("to").asText());
            }
            Map<RedisServer, Long> after = spublishes();
            long total = 0;
            for (RedisServer master : after.keySet()) {
                total += after.get(master) - before.getOrDefault(master, 0L);
            }
            assertTrue(total >= users.size(), "each publication is one SPUBLISH on its own shard: " + after);
            for (RedisServer master : CLUSTER.masters()) {
                assertEquals("0", stat(master, "cmdstat_publish:calls"), "no classic PUBLISH reaches any node");
            }
            clients.forEach(WsClient::close);
        }
    }

    @Test
    void healthListsEveryShardAndMetricsLabelBrokerGaugesByShard() throws Exception {
        Map<String, String> env = Map.of("REDIS_URL", CLUSTER.url(), "REDIS_KEY_PREFIX",
                RedisExtension.uniquePrefix());
        try (TestInstance one = TestInstance.start(env)) {
            Await.until("the instance up on every shard", Duration.ofSeconds(20),
                    () -> status(one) == 200);
            JsonNode broker = Json.MAPPER.readTree(health(one).body()).path("broker");
            assertEquals("up", broker.path("state").asText());
            List<String> shards = new ArrayList<>();
            broker.path("shards").fieldNames().forEachRemaining(shards::add);
            assertEquals(3, shards.size(), broker.toString());
            for (String shard : shards) {
                assertEquals("up", broker.path("shards").path(shard).path("state").asText());
                assertTrue(shard.matches("\\d+-\\d+(,\\d+-\\d+)*"), shard);
            }
            // a scrape registers the gauges of the shards it sees first, so the next one shows them
            Await.until("the shard gauges in /metrics", Duration.ofSeconds(10), () -> shards.stream().allMatch(
                    shard -> metrics(one).contains("realtime_broker_shard_up{shard=\"" + shard + "\"} 1.0")));
        }
    }

    /** SPUBLISH calls per running master, from INFO commandstats. */
    private static Map<RedisServer, Long> spublishes() {
        Map<RedisServer, Long> calls = new java.util.HashMap<>();
        for (RedisServer master : CLUSTER.masters()) {
            calls.put(master, Long.parseLong(stat(master, "cmdstat_spublish:calls")));
        }
        return calls;
    }

    /** One number of INFO commandstats, such as {@code cmdstat_spublish:calls}; "0" when the command never ran. */
    private static String stat(RedisServer node, String field) {
        String[] parts = field.split(":");
        for (String line : node.command("INFO", "commandstats").split("\r?\n")) {
            if (line.startsWith(parts[0] + ":")) {
                return line.replaceAll("^[^:]*:" + parts[1] + "=(\\d+).*", "$1"); // the first field, not failed_calls
            }
        }
        return "0";
    }

    private static String metrics(TestInstance instance) {
        try {
            return get(instance, "/metrics").body();
        } catch (Exception e) {
            return "";
        }
    }

    /** The status of GET /health, or -1 when the request failed. */
    static int status(TestInstance instance) {
        try {
            return health(instance).statusCode();
        } catch (Exception e) {
            return -1;
        }
    }

    private static HttpResponse<String> health(TestInstance instance) throws Exception {
        return get(instance, "/health");
    }

    private static HttpResponse<String> get(TestInstance instance, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(instance.url(path).replace("ws://", "http://"))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
