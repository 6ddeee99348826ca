package io.focusmate.realtime.launcher.server;

import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.jakarta.RealtimeEndpoints;
import io.focusmate.realtime.launcher.http.HttpRoutes;
import jakarta.websocket.DeploymentException;
import java.io.IOException;
import java.net.BindException;
import java.time.Duration;
import java.util.Objects;
import org.glassfish.grizzly.http.server.HttpServer;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.nio.transport.TCPNIOTransport;
import org.glassfish.grizzly.threadpool.ThreadPoolConfig;
import org.glassfish.tyrus.container.grizzly.server.WebSocketAddOn;

/**
 * A standalone server for a {@link Gateway}: Tyrus on a Grizzly HTTP server that this class builds, so that the
 * WebSocket endpoints and plain HTTP routes share one port and bind to the configured host.
 *
 * <p>Not thread-safe to start and stop concurrently; start once, close once.
 */
public final class RealtimeServer implements AutoCloseable {
    private static final int INCOMING_BUFFER_BYTES = 4 << 20;

    private final HttpServer http;
    private final GrizzlyWebSocketContainer container;
    private final NetworkListener listener;
    private final HandshakeTimeoutAddOn handshakeTimeout;
    private final AcceptBackoffStrategy ioStrategy = new AcceptBackoffStrategy();

    private RealtimeServer(Builder builder) {
        Gateway gateway = Objects.requireNonNull(builder.gateway, "gateway");
        int limit = gateway.config().maxMessageBytes();
        // Tyrus appends each socket read to a per-connection buffer before it parses a frame header, and cuts the
        // socket with 1011 when that buffer would pass this bound. One read can be as large as the socket's receive
        // buffer (about 200 KB on Linux, when a browser writes a big frame at once), so the bound sits far above
        // it. A frame that declares more than four times the message limit never gets here: FrameGuardAddOn closes
        // it with 1009 from its header, so the buffer holds at most one such frame and one read.
        this.container = new GrizzlyWebSocketContainer(Math.max(limit * 8, INCOMING_BUFFER_BYTES));
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
        listener.registerAddOn(new WebSocketAddOn(container, ""));
        listener.registerAddOn(new PlainHttpForH2cAddOn());
        listener.registerAddOn(new FrameGuardAddOn(Math.max(limit * 4L, limit + 4096L))); // before the next one
        listener.registerAddOn(new ReleaseUpgradeRequestAddOn());
        this.handshakeTimeout = new HandshakeTimeoutAddOn(builder.handshakeTimeout);
        listener.registerAddOn(handshakeTimeout);
        http.addListener(listener);
        http.getServerConfiguration().addHttpHandler(builder.routes, "/");
        try {
            for (var config : RealtimeEndpoints.configs(gateway, TyrusFrameTransport.factory())) {
                container.addEndpoint(config);
            }
        } catch (DeploymentException e) {
            throw new IllegalStateException("could not deploy the WebSocket endpoints: " + e.getMessage(), e);
        }
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
        try {
            container.start("", listener.getPort());
        } catch (DeploymentException e) {
            throw new IOException("could not deploy the WebSocket endpoints: " + e.getMessage(), e);
        }
        http.start();
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return listener.getPort();
    }

    /** Stops accepting and closes every socket at once. */
    @Override
    public void close() {
        http.shutdownNow();
        container.stop();
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
