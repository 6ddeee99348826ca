package io.focusmate.realtime.launcher.server;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.utils.DelayedExecutor;
import org.glassfish.grizzly.utils.IdleTimeoutFilter;

/**
 * Closes a connection that is not a WebSocket after {@code timeout} without a byte: a half-sent request (which
 * Grizzly otherwise keeps for ever, so that a few thousand of them exhaust the open files), or an idle HTTP
 * keep-alive. A WebSocket is exempt from the moment its handshake is answered: the gateway's heartbeat and idle
 * timeout watch it. It replaces the HTTP server's idle filter with one whose timeout depends on that.
 *
 * <p>Owns one daemon thread, {@code realtime-handshake-timeout}, until {@link #close()}.
 */
final class HandshakeTimeoutAddOn implements AddOn, AutoCloseable {
    private final long timeoutMillis;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread daemon = new Thread(r, "realtime-handshake-timeout");
        daemon.setDaemon(true);
        return daemon;
    });
    // Each check walks every connection, WebSockets included (they stay in the filter's queue with no timeout), so it
    // runs once a second: a timeout of n seconds closes within n to n + 1.
    private final DelayedExecutor checks = new DelayedExecutor(thread, 1, TimeUnit.SECONDS);

    HandshakeTimeoutAddOn(Duration timeout) {
        this.timeoutMillis = timeout.toMillis();
        checks.start();
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        // The idle timeout is resolved when each read or write completes: by then a connection whose handshake was
        // answered in that same read is marked as a WebSocket.
        IdleTimeoutFilter filter = new IdleTimeoutFilter(checks, ctx -> WebSocketUpgradeAddOn.SOCKET
                .isSet(ctx.getConnection()) ? IdleTimeoutFilter.FOREVER : timeoutMillis);
        int index = builder.indexOfType(IdleTimeoutFilter.class);
        if (index >= 0) {
            builder.set(index, filter);
        } else {
            builder.add(filter);
        }
    }

    @Override
    public void close() {
        checks.destroy();
        thread.shutdownNow();
    }
}
