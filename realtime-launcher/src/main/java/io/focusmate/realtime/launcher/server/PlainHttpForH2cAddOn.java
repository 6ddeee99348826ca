package io.focusmate.realtime.launcher.server;

import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpServerFilter;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.glassfish.grizzly.http.util.HttpStatus;

/**
 * Replaces Grizzly's HTTP codec with one that serves requests that offer an {@code Upgrade} other than WebSocket as
 * plain HTTP/1.1.
 *
 * <p>The JDK's {@code HttpClient} sends {@code Upgrade: h2c} on every plain-HTTP request by default. Grizzly 4 treats
 * any {@code Upgrade} header as an upgrade and stops framing the body by its {@code Content-Length}, so such a POST
 * never completes and the caller hangs. A server may ignore an upgrade it does not support (RFC 9110, 7.8), so this
 * codec drops the offer and answers over HTTP/1.1; WebSocket upgrades go on as before.
 *
 * <p>It also names the status of a request whose head is over the header size limit (8 KB, request line included):
 * 431 Request Header Fields Too Large, or 414 URI Too Long when the request line alone is over (a giant token in
 * the query). Grizzly answers both with 400 Bad Request. Either way nothing is upgraded and the socket closes.
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
        private static final org.slf4j.Logger SECURITY =
                org.slf4j.LoggerFactory.getLogger("io.focusmate.realtime.security");
        private final int maxHeaderSize;

        @SuppressWarnings("deprecation") // the same constructor HttpServer itself uses for this codec
        Codec(NetworkListener listener, int maxHeaderSize) {
            super(listener.isChunkingEnabled(), maxHeaderSize, null, listener.getKeepAlive(), null,
                    listener.getMaxRequestHeaders(), listener.getMaxResponseHeaders());
            setMaxPayloadRemainderToSkip(MAX_UNREAD_BODY_TO_SKIP);
            this.maxHeaderSize = maxHeaderSize;
        }

        /** The security event of a handshake refused at the HTTP level (never its content: it may hold a token). */
        private static void refused(FilterChainContext ctx, int status, String reason) {
            SECURITY.atInfo().setMessage("Refused handshake").addKeyValue("event", "head_too_large")
                    .addKeyValue("status", status).addKeyValue("remote", String.valueOf(
                            ctx.getConnection().getPeerAddress())).addKeyValue("reason", reason).log();
        }

        @Override
        protected void onIncomingUpgrade(FilterChainContext ctx, HttpHeader header) {
            if (!"websocket".equalsIgnoreCase(header.getUpgrade())) {
                header.getUpgradeDC().recycle();
                return;
            }
            super.onIncomingUpgrade(ctx, header);
        }

        @Override
        protected void onHttpHeaderError(HttpHeader header, FilterChainContext ctx, Throwable error)
                throws java.io.IOException {
            // Grizzly's parser reports an overflow with these messages (HttpCodecFilter.HeaderParsingState), and
            // answers every header error with 400 unless a status of 400 or more is already set.
            String message = String.valueOf(error.getMessage());
            if (error instanceof IllegalStateException && header instanceof HttpRequestPacket request) {
                if (message.equals("HTTP packet intial line is too large")) {
                    HttpStatus.REQUEST_URI_TOO_LONG_414.setValues(request.getResponse());
                    refused(ctx, 414, "request line over " + maxHeaderSize + " bytes");
                } else if (message.equals("HTTP packet header is too large")) {
                    HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE.setValues(request.getResponse());
                    refused(ctx, 431, "request head over " + maxHeaderSize + " bytes");
                }
            }
            super.onHttpHeaderError(header, ctx, error);
        }
    }
}
