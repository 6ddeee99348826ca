package io.focusmate.realtime.launcher.server;

import io.focusmate.realtime.EndpointKind;
import io.focusmate.realtime.Gateway;
import io.focusmate.realtime.adapter.Handshake;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.glassfish.grizzly.Buffer;
import org.glassfish.grizzly.Connection;
import org.glassfish.grizzly.Grizzly;
import org.glassfish.grizzly.attributes.Attribute;
import org.glassfish.grizzly.filterchain.BaseFilter;
import org.glassfish.grizzly.filterchain.FilterChainBuilder;
import org.glassfish.grizzly.filterchain.FilterChainContext;
import org.glassfish.grizzly.filterchain.NextAction;
import org.glassfish.grizzly.http.HttpContent;
import org.glassfish.grizzly.http.HttpHeader;
import org.glassfish.grizzly.http.HttpRequestPacket;
import org.glassfish.grizzly.http.HttpResponsePacket;
import org.glassfish.grizzly.http.Method;
import org.glassfish.grizzly.http.Protocol;
import org.glassfish.grizzly.http.server.AddOn;
import org.glassfish.grizzly.http.server.HttpServerFilter;
import org.glassfish.grizzly.http.server.NetworkListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The launcher's WebSocket handshake (RFC 6455 section 4.2) on Grizzly's HTTP server: a {@code GET} with
 * {@code Upgrade: websocket}, {@code Sec-WebSocket-Version: 13} and a key, on one of the gateway's endpoint paths, is
 * answered with 101 and becomes a {@link GrizzlyWebSocket}; every later read of that connection goes to it. On an
 * endpoint path, a handshake of another version gets 426 with {@code Sec-WebSocket-Version: 13}, one without a key
 * 400, and one from an origin the gateway refuses 403; each then closes. Any other request, an upgrade to another path
 * included, goes on to the HTTP routes. No subprotocol and no extension is negotiated (permessage-deflate is declined by not answering it).
 *
 * <p>It adds one filter in front of the HTTP server's. Thread-safe: the filter keeps no state of its own; each
 * connection's socket lives in the {@link #SOCKET} attribute.
 */
final class WebSocketUpgradeAddOn implements AddOn {
    /** The WebSocket of a connection whose handshake was answered; unset on every other connection. */
    static final Attribute<GrizzlyWebSocket> SOCKET =
            Grizzly.DEFAULT_ATTRIBUTE_BUILDER.createAttribute(WebSocketUpgradeAddOn.class.getName() + ".socket");
    private static final Logger LOG = LoggerFactory.getLogger(WebSocketUpgradeAddOn.class);
    private static final String GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    private final Gateway gateway;
    private final long maxFrameBytes;

    /** @param maxFrameBytes the largest frame (and fragmented message) a client may send */
    WebSocketUpgradeAddOn(Gateway gateway, long maxFrameBytes) {
        this.gateway = gateway;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    public void setup(NetworkListener listener, FilterChainBuilder builder) {
        builder.add(builder.indexOfType(HttpServerFilter.class), new Upgrade());
    }

    /** The filter: answers handshakes and hands an upgraded connection's bytes to its socket. */
    private final class Upgrade extends BaseFilter {
        @Override
        public NextAction handleRead(FilterChainContext ctx) throws IOException {
            HttpContent message = ctx.getMessage();
            Connection<?> connection = ctx.getConnection();
            GrizzlyWebSocket upgraded = SOCKET.get(connection);
            if (upgraded != null) {
                Buffer bytes = message.getContent();
                if (bytes.hasRemaining()) {
                    upgraded.read(bytes);
                }
                return ctx.getStopAction();
            }
            HttpHeader header = message.getHttpHeader();
            if (!(header instanceof HttpRequestPacket request) || !header.isUpgrade()
                    || !"websocket".equalsIgnoreCase(header.getUpgrade()) || request.getMethod() != Method.GET) {
                return ctx.getInvokeAction();
            }
            Map<String, String> pathParameters = new HashMap<>(2);
            EndpointKind kind = match(request.getRequestURI(), pathParameters);
            if (kind == null) {
                return ctx.getInvokeAction();
            }
            HttpResponsePacket response = request.getResponse();
            response.setProtocol(Protocol.HTTP_1_1);
            String key = request.getHeader("Sec-WebSocket-Key");
            if (!"13".equals(request.getHeader("Sec-WebSocket-Version"))) {
                response.setHeader("Sec-WebSocket-Version", "13"); // RFC 6455 4.4: the version this server speaks
                return refuse(ctx, response, 426);
            }
            if (key == null || key.isBlank()) {
                return refuse(ctx, response, 400);
            }
            if (!gateway.allowsOrigin(kind, request.getHeader("Origin"))) {
                return refuse(ctx, response, 403);
            }
            response.setStatus(101);
            response.setReasonPhrase("Switching Protocols");
            response.setUpgrade("websocket");
            response.setHeader("Connection", "Upgrade");
            response.setHeader("Sec-WebSocket-Accept", accept(key));
            ctx.write(HttpContent.builder(response).build());
            open(connection, kind, new Handshake(query(request.getQueryString()), request.getHeader("Authorization"),
                    pathParameters));
            return ctx.getStopAction();
        }
    }

    /** Answers a handshake with this status and closes the connection. */
    private static NextAction refuse(FilterChainContext ctx, HttpResponsePacket response, int status) {
        response.setStatus(status);
        response.setHeader("Connection", "close");
        ctx.write(HttpContent.builder(response).last(true).build());
        ctx.getConnection().closeSilently();
        return ctx.getStopAction();
    }

    /** Makes the connection a WebSocket and opens the gateway's connection on it. */
    private void open(Connection<?> connection, EndpointKind kind, Handshake handshake) {
        GrizzlyWebSocket socket = new GrizzlyWebSocket(connection, maxFrameBytes);
        SOCKET.set(connection, socket);
        connection.addCloseListener((closed, type) -> socket.closed());
        try {
            socket.open(gateway.open(kind, handshake, socket));
        } catch (RuntimeException e) {
            LOG.error("Could not open a WebSocket on {}: {}; closed it with 1011", kind.path(), e.toString());
            socket.close(1011, "Internal error");
        }
    }

    /** The endpoint whose path template matches, with the template's parameters as sent; null when none does. */
    static EndpointKind match(String path, Map<String, String> parameters) {
        String[] got = path.split("/", -1);
        for (EndpointKind kind : EndpointKind.values()) {
            String[] want = kind.path().split("/", -1);
            if (want.length != got.length) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < want.length && matches; i++) {
                if (want[i].startsWith("{")) {
                    parameters.put(want[i].substring(1, want[i].length() - 1), got[i]);
                } else {
                    matches = want[i].equals(got[i]);
                }
            }
            if (matches) {
                return kind;
            }
            parameters.clear();
        }
        return null;
    }

    /** The query's parameters, decoded; the first of repeated names wins. */
    static Map<String, String> query(String query) {
        Map<String, String> values = new HashMap<>(4);
        if (query == null || query.isEmpty()) {
            return values;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String name = decode(eq < 0 ? pair : pair.substring(0, eq));
            values.putIfAbsent(name, eq < 0 ? "" : decode(pair.substring(eq + 1)));
        }
        return values;
    }

    /** A URL-decoded component; a malformed escape is kept as it came (the gateway then refuses the value). */
    private static String decode(String component) {
        try {
            return URLDecoder.decode(component, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return component;
        }
    }

    /** The {@code Sec-WebSocket-Accept} answer to a key. */
    static String accept(String key) {
        try {
            MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
            return Base64.getEncoder().encodeToString(sha1.digest((key.trim() + GUID)
                    .getBytes(StandardCharsets.US_ASCII)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-1", e);
        }
    }
}
