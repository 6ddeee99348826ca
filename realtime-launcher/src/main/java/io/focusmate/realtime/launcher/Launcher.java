package io.focusmate.realtime.launcher;

import io.focusmate.realtime.Backend;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.InMemoryBackend;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.chat.ChatMembershipPolicy;
import io.focusmate.realtime.launcher.cli.ConfigException;
import io.focusmate.realtime.launcher.cli.LauncherConfig;
import io.focusmate.realtime.launcher.http.HttpRoutes;
import io.focusmate.realtime.launcher.http.OpsRoutes;
import io.focusmate.realtime.launcher.http.PublishApi;
import io.focusmate.realtime.launcher.server.RealtimeServer;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.redis.RedisBackend;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One running gateway instance: broker, gateway and server, started in order and closed in reverse. */
public final class Launcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Launcher.class);

    /** How long a stop waits for clients to answer the 1001 close before the sockets are cut. */
    static final Duration CLOSE_WAIT = Duration.ofSeconds(3);

    private final AtomicBoolean closed = new AtomicBoolean();
    private final Backend backend;
    private final PrometheusMeterRegistry meters;
    private final JvmGcMetrics gc;
    private final Gateway gateway;
    private final RealtimeServer server;

    private Launcher(Backend backend, PrometheusMeterRegistry meters, JvmGcMetrics gc, Gateway gateway,
                     RealtimeServer server) {
        this.gc = gc;
        this.backend = backend;
        this.meters = meters;
        this.gateway = gateway;
        this.server = server;
    }

    /**
     * Starts an instance.
     *
     * @param secret the HS256 secret in force (the configured one, or the development one), or null when only the
     *               JWKS of {@link LauncherConfig#jwks()} verifies tokens
     * @throws ConfigException when a setting keeps it from starting (port taken, Redis unreachable)
     */
    public static Launcher start(LauncherConfig config, String secret) throws ConfigException {
        return start(config, secret, Clock.systemUTC());
    }

    /** Starts an instance on the given clock (tests move it). */
    public static Launcher start(LauncherConfig config, String secret, Clock clock) throws ConfigException {
        Backend backend = backend(config, clock);
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        JvmGcMetrics gc = bindJvmMeters(meters);
        Gateway gateway = null;
        try {
            Gateway.Builder builder = Gateway.builder()
                    .backend(backend)
                    .authenticator(authenticator(config, secret))
                    .config(config.gateway())
                    .meterRegistry(meters)
                    .clock(clock);
            if (config.openChat()) {
                builder.chatMembership(ChatMembershipPolicy.OPEN);
                LOG.warn("Chat membership is open: every authenticated user may join every chat room (development "
                        + "only; set REDIS_URL and CHAT_MEMBERSHIP=members so the matching service decides)");
            } else if (config.redisUrl() == null) {
                LOG.warn("CHAT_MEMBERSHIP=members without REDIS_URL: nothing outside this process can add members, "
                        + "so only members added through the Java API can chat");
            }
            gateway = builder.build();
            if (config.production() && config.gateway().allowedOrigins().allowsAny()) {
                LOG.warn("ALLOWED_ORIGINS is not set: a page on any site may open WebSockets here with a token it "
                        + "holds; set ALLOWED_ORIGINS to your web app's origins (e.g. https://app.example.com)");
            }
            HttpRoutes routes = new HttpRoutes();
            OpsRoutes.register(routes, gateway, backend.name(), meters);
            PublishApi.register(routes, gateway.notifications(), config.apiKey(), config.publishMaxBytes());
            RealtimeServer server = RealtimeServer.builder(gateway).host(config.host()).port(config.port())
                    .handshakeTimeout(config.handshakeTimeout())
                    .routes(routes).build();
            try {
                server.start();
            } catch (BindException e) {
                server.close();
                throw portInUse(config);
            } catch (IOException e) {
                server.close();
                throw new ConfigException("cannot listen on " + config.host() + ":" + config.port() + " ("
                        + e.getMessage() + "); check HOST (--host) and PORT (--port)");
            }
            LOG.info("Listening on ws://{}:{} (endpoints /api/v1/notifications/ws, /ws/room/{room_id}, "
                    + "/api/v1/matching/chat/{room_id}/ws)", config.host(), server.port());
            return new Launcher(backend, meters, gc, gateway, server);
        } catch (ConfigException | RuntimeException e) {
            if (gateway != null) {
                gateway.close();
            }
            backend.close();
            gc.close();
            throw e;
        }
    }

    /**
     * The token verifier: HS256 with the secret, RS256/ES256/EdDSA with the JWKS's keys, or both. The JWKS is fetched
     * now; when it cannot be, the server starts all the same (one warning line) and its tokens verify once it answers.
     */
    private static JwtAuthenticator authenticator(LauncherConfig config, String secret) {
        LauncherConfig.Jwks jwks = config.jwks();
        if (secret == null && jwks.url() == null) {
            throw new IllegalArgumentException("no JWT secret and no JWKS URL: nothing could verify a token");
        }
        JwtAuthenticator.Builder builder = secret == null ? JwtAuthenticator.jwks(jwks.url())
                : JwtAuthenticator.builder(secret);
        if (secret != null && jwks.url() != null) {
            builder.jwks(jwks.url());
        }
        JwtAuthenticator authenticator = builder.clockSkew(config.jwtClockSkew()).issuer(jwks.issuer())
                .audience(jwks.audience()).build();
        if (jwks.url() != null) {
            try {
                LOG.info("Verifying RS256, ES256 and EdDSA tokens with the {} key(s) of the JWKS at {}",
                        authenticator.preloadKeys(), jwks.url());
            } catch (IOException e) {
                LOG.warn("{}; starting anyway: tokens signed by the identity provider are refused until it answers "
                        + "(check JWT_JWKS_URL)", e.getMessage());
            }
        }
        return authenticator;
    }

    /** Micrometer's standard JVM and process meters: memory, GC pauses, threads, classes, CPU, uptime. */
    private static JvmGcMetrics bindJvmMeters(PrometheusMeterRegistry meters) {
        new ClassLoaderMetrics().bindTo(meters);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        new UptimeMetrics().bindTo(meters);
        JvmGcMetrics gc = new JvmGcMetrics(); // listens to GC notifications until closed
        gc.bindTo(meters);
        return gc;
    }

    /**
     * Fails, before anything else starts or logs, when the port is taken: the operator then sees one line. (The
     * server's own bind still reports a port taken in between.)
     */
    public static void requirePortFree(LauncherConfig config) throws ConfigException {
        if (config.port() == 0) {
            return;
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(config.host(), config.port()));
        } catch (IOException e) {
            throw portInUse(config);
        }
    }

    private static ConfigException portInUse(LauncherConfig config) {
        return new ConfigException("port " + config.port() + " on " + config.host()
                + " is already in use (or not available); stop the other process or set PORT (--port)");
    }

    private static Backend backend(LauncherConfig config, Clock clock) throws ConfigException {
        if (config.redisUrl() == null) {
            LOG.info("No REDIS_URL set: using the in-memory broker (a single instance; set REDIS_URL to scale out)");
            return new InMemoryBackend(config.chatHistorySize(), config.notificationHistory(), clock);
        }
        RedisBackend redis;
        try {
            redis = RedisBackend.builder(config.redisUrl()).keyPrefix(config.redisKeyPrefix())
                    .chatHistorySize(config.chatHistorySize()).notificationHistory(config.notificationHistory())
                    .canaryInterval(config.canaryInterval()).canaryTimeout(config.canaryTimeout()).buildVerified();
        } catch (PubSubException e) {
            throw new ConfigException("Redis at " + config.redisUrl()
                    + " is unreachable; start Redis or fix REDIS_URL (--redis-url)");
        }
        LOG.info("Using Redis at {} for pub/sub{}", config.redisUrl(),
                config.redisKeyPrefix().isEmpty() ? "" : " with key prefix \"" + config.redisKeyPrefix() + "\"");
        return redis;
    }

    /** Waits up to {@link #CLOSE_WAIT} for the clients to answer the closes sent. */
    private void awaitNoConnections() {
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        while (gateway.connectionCount() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000L);
        }
    }

    /** The bound port. */
    public int port() {
        return server.port();
    }

    Gateway gateway() {
        return gateway;
    }

    PubSub pubSub() {
        return backend.pubSub();
    }

    /** The gateway's meters, as /metrics serves them. */
    PrometheusMeterRegistry meters() {
        return meters;
    }

    /**
     * A graceful stop: refuses new connections, closes the open ones with 1012 spread over the drain window (each
     * after its queued frames), waits up to {@link #CLOSE_WAIT} for the close handshakes, then closes.
     */
    public void drain(Duration window) {
        LOG.info("Draining {} connection(s) over {} ms", gateway.connectionCount(), window.toMillis());
        try {
            gateway.drain(window);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        awaitNoConnections();
        close();
    }

    /**
     * Closes every connection (1001), waits up to {@link #CLOSE_WAIT} for the clients to finish the close
     * handshake, then stops the server and the broker. Idempotent.
     */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        gateway.close();
        awaitNoConnections();
        server.close();
        backend.close();
        gc.close();
        LOG.info("Stopped");
    }
}
