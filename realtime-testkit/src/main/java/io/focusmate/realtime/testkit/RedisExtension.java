package io.focusmate.realtime.testkit;

import java.util.UUID;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One real {@code redis-server} per test class: {@code @RegisterExtension static final RedisExtension REDIS = ...}.
 * Tests keep apart from each other with {@link #uniquePrefix()}.
 */
public final class RedisExtension implements BeforeAllCallback, AfterAllCallback {
    /** Set in beforeAll, read by the tests of the class. */
    private RedisServer server;

    /** Register it on a static field with {@code @RegisterExtension}. */
    public RedisExtension() {
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = RedisServer.start();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        server.close();
    }

    /** A key prefix no other test uses, such as {@code t1a2b3c4d:}. */
    public static String uniquePrefix() {
        return "t" + UUID.randomUUID().toString().substring(0, 8) + ":";
    }

    /** {@code redis://127.0.0.1:<port>}. */
    public String url() {
        return server.url();
    }

    /** One command, as redis-cli would send it. */
    public String command(String... args) {
        return server.command(args);
    }

    /** Kills the server, as a crash would. */
    public void stop() {
        server.stop();
    }

    /** Starts it again on the same port. */
    public void restart() {
        server.restart();
    }
}
