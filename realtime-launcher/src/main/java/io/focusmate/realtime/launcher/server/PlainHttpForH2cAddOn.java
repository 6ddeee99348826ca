package io.focusmate.realtime.launcher.server;

import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;

/**
 * Replaces Grizzly's HTTP codec with one that serves requests that offer an {@code Upgrade} other than WebSocket as
 * plain HTTP/1.1.
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
        @SuppressWarnings("deprecation") // the same constructor HttpServer itself uses for this codec
        Codec(NetworkListener listener, int maxHeaderSize) {
            super(listener.isChunkingEnabled(), maxHeaderSize, null, listener.getKeepAlive(), null,
                    listener.getMaxRequestHeaders(), listener.getMaxResponseHeaders());
            setMaxPayloadRemainderToSkip(MAX_UNREAD_BODY_TO_SKIP);
        }

        @Override
        protected void onIncomingUpgrade(FilterChainContext ctx, HttpHeader header) {
            if (!"websocket".equalsIgnoreCase(header.getUpgrade())) {
                header.getUpgradeDC().recycle();
                return;
            }
            super.onIncomingUpgrade(ctx, header);
        }
    }
}
