package io.focusmate.examples.springboot;

/**
 * The Spring Boot example with {@code REDIS_URL} set to a real redis-server: Jedis 8 under Boot's dependency
 * management (the pom keeps {@code jedis.version} at 8.0.2).
 */
class SpringBootExampleWithRedisIT extends SpringBootSuite {
    SpringBootExampleWithRedisIT() {
        super(Backend.REDIS);
    }
}
