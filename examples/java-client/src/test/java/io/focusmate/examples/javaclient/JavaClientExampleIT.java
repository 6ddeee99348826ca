package io.focusmate.examples.javaclient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.examples.suite.ExampleProcess;
import io.focusmate.realtime.testkit.Await;
import io.focusmate.realtime.testkit.RedisServer;
import io.focusmate.realtime.testkit.TestTokens;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code java -jar target/java-client.jar} against the real launcher ({@code java -jar realtime-launcher.jar}) on a
 * real redis-server: it prints what is published before, during and after a restart of the gateway, each once.
 */
@Timeout(120)
class JavaClientExampleIT {
    private static final Path LAUNCHER = Path.of(System.getenv().getOrDefault("LAUNCHER_JAR",
            "../../realtime-launcher/target/realtime-launcher.jar"));
    private final RedisServer redis = RedisServer.start();
    private final int port = RedisServer.freePort();
    private ExampleProcess gateway;
    private ExampleProcess example;

    @AfterEach
    void stop() {
        for (AutoCloseable process : new AutoCloseable[] {example, gateway, redis}) {
            try {
                if (process != null) {
                    process.close();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private ExampleProcess startGateway(String name) {
        ExampleProcess started = ExampleProcess.start(LAUNCHER, Map.of("PORT", String.valueOf(port),
                "JWT_SECRET_KEY", TestTokens.SECRET, "REDIS_URL", redis.url()), Path.of("target", name + ".log"));
        started.awaitListening(port, Duration.ofSeconds(30));
        return started;
    }

    /** What a backend that talks only to Redis does: numbered, stored, recoverable (docs/operations.md). */
    private void publish(String title) {
        redis.command("FCALL", "realtime_publish", "1", "notifications:user:alice",
                "{\"type\":\"notification\",\"data\":{\"title\":\"" + title + "\"}}");
    }

    @Test
    void theExamplePrintsEveryNotificationOnceAcrossARestartOfTheGateway() {
        gateway = startGateway("gateway-1");
        example = ExampleProcess.start(Path.of("target", "java-client.jar"), Map.of("GATEWAY_URL",
                "ws://127.0.0.1:" + port, "REALTIME_TOKEN", TestTokens.token("alice")), Path.of("target", "example.log"));
        await("connected", () -> example.output().contains("state CONNECTED"));
        publish("before the restart");
        await("the first notification", () -> example.output().contains("before the restart"));

        gateway.terminate(Duration.ofSeconds(30)); // SIGTERM: the gateway closes its sockets with 1001 and exits
        await("the example to notice", () -> example.output().contains("state RECONNECTING"));
        publish("while the gateway is down");
        gateway = startGateway("gateway-2");
        await("the missed notification", () -> example.output().contains("while the gateway is down"));
        publish("after the restart");
        await("the last notification", () -> example.output().contains("after the restart"));

        String output = example.output();
        for (String title : new String[] {"before the restart", "while the gateway is down", "after the restart"}) {
            assertEquals(1, count(output, title), title + " printed once:\n" + output);
        }
        assertTrue(output.matches("(?s).*notification \\w+:1 .*notification \\w+:2 .*notification \\w+:3 .*"),
                "offsets 1, 2, 3 in order:\n" + output);
        assertEquals(0, count(output, "gap "), output);
    }

    /** Waits for {@code condition}; fails at once, with the example's output, if the example exits. */
    private void await(String what, BooleanSupplier condition) {
        Await.until(what, Duration.ofSeconds(60), () -> {
            if (!example.isAlive()) {
                throw new AssertionError("the example exited while waiting for " + what + ":\n" + example.output());
            }
            return condition.getAsBoolean();
        });
    }

    private static int count(String text, String what) {
        Matcher matcher = Pattern.compile(Pattern.quote(what)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }
}
