package io.focusmate.examples.tomcat;

import io.focusmate.examples.suite.ExampleSuite;
import java.nio.file.Path;

/** The shared suite against {@code java -jar target/tomcat.jar}, without Redis. */
class TomcatExampleIT extends ExampleSuite {
    TomcatExampleIT() {
        super(Path.of("target", "tomcat.jar"), Backend.IN_MEMORY);
    }
}
