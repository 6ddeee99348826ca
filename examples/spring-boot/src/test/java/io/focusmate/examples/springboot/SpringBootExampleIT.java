package io.focusmate.examples.springboot;

/** The Spring Boot example without Redis. */
class SpringBootExampleIT extends SpringBootSuite {
    SpringBootExampleIT() {
        super(Backend.IN_MEMORY);
    }
}
