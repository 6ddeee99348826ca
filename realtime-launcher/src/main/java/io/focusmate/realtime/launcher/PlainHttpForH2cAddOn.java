package io.focusmate.realtime.launcher;

import java.io.IOException;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Replaces Grizzly's HTTP codec with one that does two things differently: it serves requests that offer an
 * {@code Upgrade} other than WebSocket as plain HTTP/1.1, and it lets go of a WebSocket's upgrade request once the
 * handshake is answered (about 10 KB per idle connection), passing the connection's later bytes to Tyrus as they are.
 *
 * <p>The JDK's {@code HttpClient} sends {@code Upgrade: h2c} on every plain-HTTP request by default. Grizzly 4 treats
 * any {@code Upgrade} header as an upgrade and stops framing the body by its {@code Content-Length}, so such a POST
 * never completes and the caller hangs. A server may ignore an upgrade it does not support (RFC 9110, 7.8), so this
 * codec drops the offer and answers over HTTP/1.1; WebSocket upgrades go on as before.
 */
final class PlainHttpForH2cAddOn implements AddOn {

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        int index = builder.indexOfType(HttpServerFilter.class);
        if (index < 0) {
            return;
        }
        int maxHeaderSize = listener.getMaxHttpHeaderSize() == -1
                ? HttpServerFilter.DEFAULT_MAX_HTTP_PACKET_HEADER_SIZE : listener.getMaxHttpHeaderSize();
        builder.set(index, new Codec(listener, maxHeaderSize));
    }

    /** A request body left unread (after a 401, say) is skipped up to this size; beyond, the connection closes. */
    static final long MAX_UNREAD_BODY_TO_SKIP = 1 << 20;

    /**
     * Grizzly's HTTP codec, configured as {@code HttpServer} configures its own (no compression or monitoring is
     * set up on this server), minus the upgrades it cannot serve.
     */
    static final class Codec extends HttpServerFilter {
        /** Grizzly's per-connection request in process (attributes are shared by name). */
        private static final Attribute<Object> REQUEST_IN_PROCESS =
                Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(HttpServerFilter.HTTP_SERVER_REQUEST_ATTR_NAME);
        /** Set by Tyrus's filter on a connection whose WebSocket handshake succeeded. */
        static final Attribute<Object> TYRUS_CONNECTION = Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(
                "org.glassfish.tyrus.container.grizzly.server.GrizzlyServerFilter.Connection");
        /** The header of every upgraded connection's content; Tyrus reads only the content. */
        private static final HttpRequestPacket UPGRADED = HttpRequestPacket.builder().method("GET").uri("/")
                .protocol("HTTP/1.1").upgrade("websocket").build();

        @SuppressWarnings("deprecation") // the same constructor HttpServer itself uses for this codec
        Codec(NetworkListener listener, int maxHeaderSize) {
            super(listener.isChunkingEnabled(), maxHeaderSize, null, listener.getKeepAlive(), null,
                    listener.getMaxRequestHeaders(), listener.getMaxResponseHeaders());
            setMaxPayloadRemainderToSkip(MAX_UNREAD_BODY_TO_SKIP);
        }

        /**
         * Once a connection is a WebSocket, its bytes go to Tyrus as they are: Grizzly would otherwise keep the
         * upgrade request (about 10 KB of header chunks) for the life of the connection and route every read
         * through it as request body.
         */
        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            if (TYRUS_CONNECTION.isSet(ctx.getConnection())) {
                Buffer bytes = ctx.getMessage();
                ctx.setMessage(HttpContent.builder(UPGRADED).content(bytes).build());
                return ctx.getInvokeAction();
            }
            return super.handleRead(ctx);
        }

        @Override
        protected void onIncomingUpgrade(FilterChainContext ctx, HttpHeader header) {
            if (!"websocket".equalsIgnoreCase(header.getUpgrade())) {
                header.getUpgradeDC().recycle();
                return;
            }
            super.onIncomingUpgrade(ctx, header);
            Connection<?> connection = ctx.getConnection();
            // After Tyrus has answered the handshake in this same read: a WebSocket drops the request.
            ctx.addCompletionListener(done -> {
                if (TYRUS_CONNECTION.isSet(connection)) {
                    REQUEST_IN_PROCESS.remove(connection);
                }
            });
        }
    }
}
