package io.focusmate.realtime.launcher.server;

import java.io.IOException;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Lets go of a WebSocket's upgrade request once the handshake is answered (about 10 KB per idle connection), and
 * passes the connection's later bytes to its {@link GrizzlyWebSocket} as they are. Grizzly's HTTP codec would
 * otherwise keep the upgrade request (its header chunks) for the life of the connection and route every read through
 * it as request body.
 *
 * <p>It adds one filter in front of the HTTP codec: on an upgraded connection, each read skips the codec; on any
 * other, the read goes on as usual, and once it is done ({@link WebSocketUpgradeAddOn} answers a handshake within the
 * read that carried it) the request of a connection that became a WebSocket is dropped.
 */
final class ReleaseUpgradeRequestAddOn implements AddOn {
    /** Grizzly's per-connection request in process (attributes are shared by name). */
    private static final Attribute<Object> REQUEST_IN_PROCESS =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
    /** The header of every upgraded connection's content; the WebSocket reads only the content. */
    private static final HttpRequestPacket UPGRADED = HttpRequestPacket.builder().method("GET").uri("/")
            .protocol("HTTP/1.1").upgrade("websocket").build();

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int codec = builder.indexOfType(HttpServerFilter.class);
        if (codec >= 0) {
            builder.add(codec, new UpgradedBytes());
        }
    }

    /** The filter in front of the codec. Stateless. */
    static final class UpgradedBytes extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            Connection<?> connection = ctx.getConnection();
            if (WebSocketUpgradeAddOn.SOCKET.isSet(connection)) {
                Buffer bytes = ctx.getMessage();
                ctx.setMessage(HttpContent.builder(UPGRADED).content(bytes).build());
                ctx.setFilterIdx(ctx.getFilterIdx() + 1); // the codec is next: go on from it, to the WebSocket
                return ctx.getInvokeAction();
            }
            ctx.addCompletionListener(done -> {
                if (WebSocketUpgradeAddOn.SOCKET.isSet(connection)) {
                    REQUEST_IN_PROCESS.remove(connection);
                }
            });
            return ctx.getInvokeAction();
        }
    }
}
