package io.focusmate.realtime.launcher;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.launcher.cli.ConfigException;
import io.focusmate.realtime.launcher.cli.LauncherConfig;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** A launcher instance on a free port of 127.0.0.1, configured the way an operator would, through its settings. */
public final class TestInstance implements AutoCloseable {
    private final Launcher launcher;

    private TestInstance(Launcher launcher) {
        this.launcher = launcher;
    }

    /** Starts an instance with these settings on top of: HOST=127.0.0.1, PORT=0 and the test secret. */
    public static TestInstance start(Map<String, String> settings) {
        return start(settings, Clock.systemUTC(), UnaryOperator.identity());
    }

    /** Starts an instance on a clock, with gateway settings the launcher does not expose changed by {@code tweak}. */
    public static TestInstance start(Map<String, String> settings, Clock clock, UnaryOperator<GatewayConfig.Builder> tweak) {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("JWT_SECRET_KEY", TestTokens.SECRET);
        env.putAll(settings);
        try {
            LauncherConfig config = LauncherConfig.read(env, Map.of());
            LauncherConfig tweaked = config.withGateway(tweak.apply(config.gateway().toBuilder()).build());
            return new TestInstance(Launcher.start(tweaked, TestTokens.SECRET, clock));
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** An in-memory instance. */
    public static TestInstance inMemory() {
        return start(Map.of());
    }

    public Gateway gateway() {
        return launcher.gateway();
    }

    /** The sum of a counter's series (all label values) in the instance's meters. */
    public long count(String meter) {
        return (long) launcher.meters().find(meter).counters().stream()
                .mapToDouble(io.micrometer.core.instrument.Counter::count).sum();
    }

    public Launcher launcher() {
        return launcher;
    }

    public String url(String path) {
        return "ws://127.0.0.1:" + launcher.port() + path;
    }

    /** The notifications URL with a token in the query, as the seed's browser client does. */
    public String notificationsUrl(String token) {
        return url("/api/v1/notifications/ws") + (token == null ? "" : "?token=" + token);
    }

    /** Connects {@code user} and waits for the {@code connected} frame. */
    public WsClient connect(String user) {
        WsClient client = WsClient.connect(notificationsUrl(TestTokens.token(user)));
        String type = client.next().path("type").asText();
        if (!"connected".equals(type)) {
            throw new AssertionError("expected connected, got " + type);
        }
        return client;
    }

    /** Joins {@code user} to a room and returns the client with its {@code room_state} read. */
    public Joined joinRoom(String user, String roomId) {
        WsClient client = WsClient.connect(url("/ws/room/" + roomId + "?token=" + TestTokens.token(user)));
        JsonNode first = client.next();
        if (!"room_state".equals(first.path("type").asText())) {
            throw new AssertionError("expected room_state, got " + first);
        }
        return new Joined(client, first.path("data"));
    }

    /** Connects {@code user} to a chat room (optionally with the last message id seen) and reads {@code connected}. */
    public WsClient chat(String user, String roomId, Long lastMessageId) {
        WsClient client = WsClient.connect(url("/api/v1/matching/chat/" + roomId + "/ws?token=" + TestTokens.token(user)
                + (lastMessageId == null ? "" : "&last_message_id=" + lastMessageId)));
        JsonNode first = client.next();
        if (!"connected".equals(first.path("type").asText())) {
            throw new AssertionError("expected connected, got " + first);
        }
        return client;
    }

    /** A room client and the data of the room_state it got. */
    public record Joined(WsClient client, JsonNode state) {
        /** The user ids a room_state's data lists, in order. */
        static List<String> participants(JsonNode state) {
            List<String> users = new ArrayList<>();
            state.path("participants").forEach(p -> users.add(p.path("user_id").asText()));
            return users;
        }
    }

    @Override
    public void close() {
        launcher.close();
    }
}
