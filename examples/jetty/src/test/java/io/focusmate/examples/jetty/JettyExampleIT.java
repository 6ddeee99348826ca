package io.focusmate.examples.jetty;

import io.focusmate.examples.suite.ExampleSuite;
import java.nio.file.Path;

/** The shared suite against {@code java -jar target/jetty.jar}, without Redis. */
class JettyExampleIT extends ExampleSuite {
    JettyExampleIT() {
        super(Path.of("target", "jetty.jar"), Backend.IN_MEMORY);
    }
}
