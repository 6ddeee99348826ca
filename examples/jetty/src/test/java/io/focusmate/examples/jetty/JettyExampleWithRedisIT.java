package io.focusmate.examples.jetty;

import io.focusmate.examples.suite.ExampleSuite;
import java.nio.file.Path;

/** The shared suite against {@code java -jar target/jetty.jar}, with {@code REDIS_URL} set to a real redis-server. */
class JettyExampleWithRedisIT extends ExampleSuite {
    JettyExampleWithRedisIT() {
        super(Path.of("target", "jetty.jar"), Backend.REDIS);
    }
}
