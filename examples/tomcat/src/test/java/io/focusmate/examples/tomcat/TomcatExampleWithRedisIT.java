package io.focusmate.examples.tomcat;

import io.focusmate.examples.suite.ExampleSuite;
import java.nio.file.Path;

/** The shared suite against {@code java -jar target/tomcat.jar}, with {@code REDIS_URL} set to a real redis-server. */
class TomcatExampleWithRedisIT extends ExampleSuite {
    TomcatExampleWithRedisIT() {
        super(Path.of("target", "tomcat.jar"), Backend.REDIS);
    }
}
