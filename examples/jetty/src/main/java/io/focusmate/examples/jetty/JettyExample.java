package io.focusmate.examples.jetty;

import io.focusmate.realtime.Backend;
import io.focusmate.realtime.AllowedOrigins;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.InMemoryBackend;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.jakarta.RealtimeEndpoints;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.redis.RedisBackend;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.ee10.websocket.jakarta.server.config.JakartaWebSocketServletContainerInitializer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime gateway on embedded Jetty 12 (ee10, Jakarta WebSocket): the three WebSocket endpoints at the
 * launcher's paths, and {@code POST /notify/{user_id}} to publish from Java. Run it with
 * {@code java -jar examples/jetty/target/jetty.jar}.
 *
 * <p>Environment: {@code PORT} (default 8080), {@code JWT_SECRET_KEY} (required, at least 32 bytes) and
 * {@code REDIS_URL} (optional; set, a {@link RedisBackend} for many instances; unset, an {@link InMemoryBackend} for
 * one). A bad setting stops it with one line on stderr and exit code 2. SIGTERM closes the gateway (1001 to every
 * client), then the backend, then Jetty.
 */
public final class JettyExample {
    private static final Logger LOG = LoggerFactory.getLogger(JettyExample.class);

    private JettyExample() {
    }

    /** Starts the server; see the class comment. */
    public static void main(String[] args) throws Exception {
        try {
            int port = port(System.getenv("PORT"));
            JwtAuthenticator authenticator = authenticator(System.getenv("JWT_SECRET_KEY"));
            Backend backend = backend(System.getenv("REDIS_URL"));
            GatewayConfig config = GatewayConfig.builder()
                    .allowedOrigins(AllowedOrigins.parseList(System.getenv("ALLOWED_ORIGINS"))).build();
            Gateway gateway = Gateway.builder().backend(backend).authenticator(authenticator).config(config).build();
            Server server = start(port, gateway);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(gateway, backend, server), "shutdown"));
            int listening = ((ServerConnector) server.getConnectors()[0]).getLocalPort();
            LOG.info("Listening on port {} ({} backend)", listening, backend.name());
            server.join();
        } catch (IllegalArgumentException | PubSubException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Jetty with the gateway's endpoints and the notify servlet, listening on {@code port}. */
    static Server start(int port, Gateway gateway) {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(port);
        server.addConnector(connector);

        ServletContextHandler context = new ServletContextHandler("/");
        // Jetty's Jakarta WebSocket support: the callback gets the ServerContainer as the context starts.
        JakartaWebSocketServletContainerInitializer.configure(context,
                (servletContext, container) -> RealtimeEndpoints.register(container, gateway));
        context.addServlet(new ServletHolder(new NotifyServlet(gateway)), "/notify/*");
        server.setHandler(context);
        try {
            server.start();
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot listen on PORT " + port + ": " + e.getMessage(), e);
        }
        return server;
    }

    /** The gateway first (its sockets get 1001), then the backend it used, then the container. */
    static void stop(Gateway gateway, Backend backend, Server server) {
        gateway.close();
        LOG.info("Gateway closed");
        backend.close();
        LOG.info("Backend closed");
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("Jetty did not stop cleanly: {}", e.toString());
        }
    }

    /** {@code PORT}: 8080 when unset, 0 for any free port. */
    static int port(String value) {
        if (value == null || value.isBlank()) {
            return 8080;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("PORT must be a number from 0 to 65535, not '" + value + "'");
    }

    /** {@code JWT_SECRET_KEY}: required, at least 32 bytes; the message names the variable, never the secret. */
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

    /** {@code REDIS_URL}: set, Redis (checked with a PING); unset, this process's memory. */
    static Backend backend(String redisUrl) {
        if (redisUrl == null || redisUrl.isBlank()) {
            return new InMemoryBackend();
        }
        try {
            RedisBackend redis = RedisBackend.builder(redisUrl).buildVerified();
            LOG.info("Using Redis at {}", redis.url()); // the URL's password is masked
            return redis;
        } catch (IllegalArgumentException | PubSubException e) {
            throw new IllegalArgumentException("REDIS_URL: " + e.getMessage(), e);
        }
    }
}
