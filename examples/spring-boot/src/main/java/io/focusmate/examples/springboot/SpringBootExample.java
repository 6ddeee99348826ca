package io.focusmate.examples.springboot;

import io.focusmate.realtime.Backend;
import io.focusmate.realtime.AllowedOrigins;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.InMemoryBackend;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.jakarta.RealtimeEndpoints;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.redis.RedisBackend;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.server.ServerContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;

/**
 * The realtime gateway as Spring beans in a Spring Boot 3 application: the three WebSocket endpoints at the
 * launcher's paths on Boot's embedded Tomcat, {@code POST /notify/{user_id}} to publish from Java
 * ({@link NotifyController}), and the gateway's meters in {@code /actuator/prometheus}. Run it with
 * {@code java -jar examples/spring-boot/target/spring-boot.jar}.
 *
 * <p>Environment: {@code PORT} (default 8080), {@code JWT_SECRET_KEY} (required, at least 32 bytes) and
 * {@code REDIS_URL} (optional; set, a {@link RedisBackend} for many instances; unset, an {@link InMemoryBackend} for
 * one). SIGTERM closes the gateway (1001 to every client), then the backend, then Boot stops its web server.
 */
@SpringBootApplication
public class SpringBootExample {
    private static final Logger LOG = LoggerFactory.getLogger(SpringBootExample.class);

    /** Checks the secret first, so that a missing one is one line on stderr (exit code 2), then starts Spring. */
    public static void main(String[] args) {
        try {
            authenticator(System.getenv("JWT_SECRET_KEY"));
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
        SpringApplication.run(SpringBootExample.class, args);
    }

    /** @throws IllegalArgumentException naming JWT_SECRET_KEY when the secret is missing or too short */
    static JwtAuthenticator authenticator(String secret) {
        if (secret == null || secret.isEmpty()) {
            throw new IllegalArgumentException("JWT_SECRET_KEY is not set: set it to the HS256 secret of your tokens, "
                    + "at least 32 bytes (for example: openssl rand -base64 48)");
        }
        try {
            return JwtAuthenticator.builder(secret).build();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("JWT_SECRET_KEY: " + e.getMessage(), e);
        }
    }

    /** The broker and stores: Redis when {@code REDIS_URL} is set, else this process's memory. */
    @Bean(destroyMethod = "") // closed by realtimeShutdown, after the gateway
    Backend backend(@Value("${REDIS_URL:}") String redisUrl) {
        if (redisUrl.isBlank()) {
            return new InMemoryBackend();
        }
        try {
            RedisBackend redis = RedisBackend.builder(redisUrl).buildVerified();
            LOG.info("Using Redis at {}", redis.url()); // the URL's password is masked
            return redis;
        } catch (IllegalArgumentException | PubSubException e) {
            throw new IllegalStateException("REDIS_URL: " + e.getMessage(), e);
        }
    }

    /** The gateway, its meters in Boot's registry (and so in /actuator/prometheus). */
    @Bean(destroyMethod = "") // closed by realtimeShutdown
    Gateway gateway(Backend backend, MeterRegistry meterRegistry, @Value("${JWT_SECRET_KEY}") String secret,
                    @Value("${ALLOWED_ORIGINS:}") String allowedOrigins) {
        return Gateway.builder()
                .backend(backend)
                .authenticator(authenticator(secret))
                .config(GatewayConfig.builder().allowedOrigins(AllowedOrigins.parseList(allowedOrigins)).build())
                .meterRegistry(meterRegistry)
                .build();
    }

    /**
     * Deploys the gateway's endpoints into Tomcat's ServerContainer. Boot runs its initializers before Tomcat's
     * WebSocket initializer (WsSci) makes the container; a context listener runs after both.
     */
    @Bean
    ServletContextListener realtimeEndpoints(Gateway gateway) {
        return new ServletContextListener() {
            @Override
            public void contextInitialized(ServletContextEvent event) {
                ServerContainer container = (ServerContainer) event.getServletContext()
                        .getAttribute(ServerContainer.class.getName());
                RealtimeEndpoints.register(container, gateway);
            }
        };
    }

    /** Closes the gateway, then the backend, before Boot stops its web server. */
    @Bean
    RealtimeShutdown realtimeShutdown(Gateway gateway, Backend backend) {
        return new RealtimeShutdown(gateway, backend);
    }

    /**
     * Stops first (the default phase, above the web server's): Boot's web server stop removes Tomcat's connectors,
     * which cuts every socket without a close frame (1006). Closing the gateway before that tells each client 1001;
     * then the backend is closed. Spring calls it on the thread that closes the context.
     */
    static final class RealtimeShutdown implements SmartLifecycle {
        private final Gateway gateway;
        private final Backend backend;
        /** Set by Spring's start and stop, on the thread that refreshes or closes the context. */
        private volatile boolean running;

        RealtimeShutdown(Gateway gateway, Backend backend) {
            this.gateway = gateway;
            this.backend = backend;
        }

        @Override
        public void start() {
            running = true;
        }

        @Override
        public void stop() {
            running = false;
            gateway.close();
            LOG.info("Gateway closed");
            backend.close();
            LOG.info("Backend closed");
        }

        @Override
        public boolean isRunning() {
            return running;
        }
    }
}
