package io.focusmate.realtime.launcher.server;

import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.launcher.http.HttpRoutes;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Objects;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;

/**
 * A standalone server for a {@link Gateway}: a Grizzly HTTP server that this class builds, with the launcher's own
 * RFC 6455 layer ({@link WebSocketUpgradeAddOn}), so that the WebSocket endpoints and plain HTTP routes share one port
 * and bind to the configured host.
 *
 * <p>Not thread-safe to start and stop concurrently; start once, close once.
 */
public final class RealtimeServer implements AutoCloseable {
    private final HttpServer http;
    private final NetworkListener listener;
    private final HandshakeTimeoutAddOn handshakeTimeout;
    private final AcceptBackoffStrategy ioStrategy = new AcceptBackoffStrategy();

    private RealtimeServer(Builder builder) {
        Gateway gateway = Objects.requireNonNull(builder.gateway, "gateway");
        int limit = gateway.config().maxMessageBytes();
        // A client frame may declare at most four times the message limit (a fragmented message is counted whole):
        // a larger one is closed with 1009 from its header, before a byte of it is held.
        long maxFrameBytes = Math.max(limit * 4L, limit + 4096L);
        this.http = new HttpServer();
        this.listener = new NetworkListener("realtime", builder.host, builder.port);
        TCPNIOTransport transport = listener.getTransport();
        transport.setIOStrategy(ioStrategy); // worker threads; a failed accept backs off instead of spinning
        int cores = Runtime.getRuntime().availableProcessors();
        transport.setWorkerThreadPoolConfig(ThreadPoolConfig.defaultConfig()
                .setPoolName("realtime-worker")
                .setCorePoolSize(Math.max(4, cores * 2))
                .setMaxPoolSize(Math.max(16, cores * 8)));
        listener.getKeepAlive().setIdleTimeoutInSeconds(-1); // HandshakeTimeoutAddOn closes idle HTTP connections
        listener.registerAddOn(new WebSocketUpgradeAddOn(gateway, maxFrameBytes));
        listener.registerAddOn(new PlainHttpForH2cAddOn());
        listener.registerAddOn(new FrameGuardAddOn(maxFrameBytes)); // before the next one
        listener.registerAddOn(new ReleaseUpgradeRequestAddOn());
        this.handshakeTimeout = new HandshakeTimeoutAddOn(builder.handshakeTimeout);
        listener.registerAddOn(handshakeTimeout);
        http.addListener(listener);
        http.getServerConfiguration().addHttpHandler(builder.routes, "/");
    }

    /** A builder for a server of this gateway. */
    public static Builder builder(Gateway gateway) {
        return new Builder(gateway);
    }

    /**
     * Binds and starts serving.
     *
     * @throws BindException when the port is taken
     * @throws IOException when the server cannot start
     */
    public RealtimeServer start() throws IOException {
        http.start();
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return listener.getPort();
    }

    /** The connections the handshake timeout watches: the ones that are not WebSockets (tests). */
    int handshakeWatchCount() {
        return handshakeTimeout.watchedCount();
    }

    /** Stops accepting and closes every socket at once. */
    @Override
    public void close() {
        http.shutdownNow();
        handshakeTimeout.close();
        ioStrategy.close();
    }

    /** Options of a {@link RealtimeServer}; not thread-safe. */
    public static final class Builder {
        /** Owned by the building thread, as are all fields below. */
        private final Gateway gateway;
        private String host = "0.0.0.0";
        private int port = 8000;
        private HttpRoutes routes = new HttpRoutes();
        private Duration handshakeTimeout = Duration.ofSeconds(10);

        private Builder(Gateway gateway) {
            this.gateway = gateway;
        }

        /** The address to bind; {@code 0.0.0.0} by default. */
        public Builder host(String value) {
            this.host = Objects.requireNonNull(value);
            return this;
        }

        /** The port; 8000 by default, 0 for any free port. */
        public Builder port(int value) {
            this.port = value;
            return this;
        }

        /** The plain HTTP routes (health, metrics, the publish API); none by default. */
        public Builder routes(HttpRoutes value) {
            this.routes = Objects.requireNonNull(value);
            return this;
        }

        /**
         * How long a connection that is not a WebSocket may stay without a byte (a half-sent request, an idle HTTP
         * keep-alive) before it is closed; whole seconds, 10 s by default.
         */
        public Builder handshakeTimeout(Duration value) {
            if (value.toSeconds() < 1) {
                throw new IllegalArgumentException("the handshake timeout must be at least one second");
            }
            this.handshakeTimeout = value;
            return this;
        }

        /** Creates the server without starting it. */
        public RealtimeServer build() {
            return new RealtimeServer(this);
        }
    }
}
