package io.focusmate.realtime.launcher;

import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.util.HashMap;
import java.util.Map;

/** A launcher instance on a free port of 127.0.0.1, configured the way an operator would, through its settings. */
final class TestInstance implements AutoCloseable {
    private final Launcher launcher;

    private TestInstance(Launcher launcher) {
        this.launcher = launcher;
    }

    /** Starts an instance with these settings on top of: HOST=127.0.0.1, PORT=0 and the test secret. */
    static TestInstance start(Map<String, String> settings) {
        Map<String, String> env = new HashMap<>();
        env.put("HOST", "127.0.0.1");
        env.put("PORT", "0");
        env.put("JWT_SECRET_KEY", TestTokens.SECRET);
        env.putAll(settings);
        try {
            return new TestInstance(Launcher.start(LauncherConfig.read(env, Map.of()), TestTokens.SECRET));
        } catch (ConfigException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    /** An in-memory instance. */
    static TestInstance inMemory() {
        return start(Map.of());
    }

    Gateway gateway() {
        return launcher.gateway();
    }

    Launcher launcher() {
        return launcher;
    }

    String url(String path) {
        return "ws://127.0.0.1:" + launcher.port() + path;
    }

    /** The notifications URL with a token in the query, as the seed's browser client does. */
    String notificationsUrl(String token) {
        return url("/api/v1/notifications/ws") + (token == null ? "" : "?token=" + token);
    }

    /** Connects {@code user} and waits for the {@code connected} frame. */
    WsClient connect(String user) {
        WsClient client = WsClient.connect(notificationsUrl(TestTokens.token(user)));
        String type = client.next().path("type").asText();
        if (!"connected".equals(type)) {
            throw new AssertionError("expected connected, got " + type);
        }
        return client;
    }

    @Override
    public void close() {
        launcher.close();
    }
}
