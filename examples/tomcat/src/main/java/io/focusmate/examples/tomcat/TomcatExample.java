package io.focusmate.examples.tomcat;

import io.focusmate.realtime.Backend;
import io.focusmate.realtime.AllowedOrigins;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.InMemoryBackend;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.jakarta.RealtimeEndpoints;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.redis.RedisBackend;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.websocket.server.ServerContainer;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.servlets.DefaultServlet;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.websocket.server.WsSci;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realtime gateway on embedded Apache Tomcat 10.1: the three WebSocket endpoints at the launcher's paths, and
 * {@code POST /notify/{user_id}} to publish from Java. Run it with {@code java -jar examples/tomcat/target/tomcat.jar}.
 *
 * <p>Environment: {@code PORT} (default 8080), {@code JWT_SECRET_KEY} (required, at least 32 bytes) and
 * {@code REDIS_URL} (optional; set, a {@link RedisBackend} for many instances; unset, an {@link InMemoryBackend} for
 * one). A bad setting stops it with one line on stderr and exit code 2. SIGTERM closes the gateway (1001 to every
 * client), then the backend, then Tomcat.
 */
public final class TomcatExample {
    private static final Logger LOG = LoggerFactory.getLogger(TomcatExample.class);

    private TomcatExample() {
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
            Tomcat tomcat = start(port, gateway);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(gateway, backend, tomcat), "shutdown"));
            LOG.info("Listening on port {} ({} backend)", tomcat.getConnector().getLocalPort(), backend.name());
            tomcat.getServer().await();
        } catch (IllegalArgumentException | PubSubException | LifecycleException e) {
            System.err.println("error: " + e.getMessage());
            System.exit(2);
        }
    }

    /** Tomcat with the gateway's endpoints and the notify servlet, listening on {@code port}. */
    static Tomcat start(int port, Gateway gateway) throws LifecycleException, IOException {
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(Files.createTempDirectory("tomcat-example").toString());
        Connector connector = new Connector();
        connector.setPort(port);
        connector.setThrowOnFailure(true); // a port in use fails the start instead of being logged
        tomcat.setConnector(connector);

        Context context = tomcat.addContext("", null);
        // Tomcat's WebSocket support (WsSci) creates the ServerContainer as the context starts; context listeners
        // run after every initializer, so this one finds the container ready.
        context.addServletContainerInitializer(new WsSci(), null);
        context.addServletContainerInitializer((classes, servletContext) -> servletContext.addListener(
                new ServletContextListener() {
                    @Override
                    public void contextInitialized(ServletContextEvent event) {
                        ServerContainer container = (ServerContainer) event.getServletContext()
                                .getAttribute(ServerContainer.class.getName());
                        RealtimeEndpoints.register(container, gateway);
                    }
                }), null);
        // Without a servlet mapped to "/", Tomcat answers every WebSocket path with 404.
        Tomcat.addServlet(context, "default", new DefaultServlet());
        context.addServletMappingDecoded("/", "default");
        Tomcat.addServlet(context, "notify", new NotifyServlet(gateway));
        context.addServletMappingDecoded("/notify/*", "notify");
        try {
            tomcat.start();
        } catch (LifecycleException e) {
            throw new LifecycleException("cannot listen on PORT " + port + ": " + rootCause(e).getMessage(), e);
        }
        return tomcat;
    }

    /** The gateway first (its sockets get 1001), then the backend it used, then the container. */
    static void stop(Gateway gateway, Backend backend, Tomcat tomcat) {
        gateway.close();
        LOG.info("Gateway closed");
        backend.close();
        LOG.info("Backend closed");
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            LOG.warn("Tomcat did not stop cleanly: {}", e.toString());
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

    private static Throwable rootCause(Throwable e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause) {
            cause = cause.getCause();
        }
        return cause;
    }
}
