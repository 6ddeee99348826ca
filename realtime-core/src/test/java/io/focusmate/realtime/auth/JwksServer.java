package io.focusmate.realtime.auth;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/** A JWKS on the JDK's HTTP server at 127.0.0.1: serves the public halves of the keys given, counts the fetches. */
final class JwksServer implements AutoCloseable {
    private final int port;
    private final AtomicInteger fetches = new AtomicInteger();
    /** The JWKS document; written by the test thread, read by the server's thread. */
    private volatile String body = "{\"keys\":[]}";
    /** The running server, or null while stopped; the test thread's. */
    private HttpServer server;

    private JwksServer(int port) {
        this.port = port;
    }

    /** A server on a free port, started, serving these keys. */
    static JwksServer start(JWK... keys) {
        JwksServer jwks = new JwksServer(freePort());
        jwks.serve(keys);
        jwks.restart();
        return jwks;
    }

    /** A server on a free port that is not started yet (the port refuses connections). */
    static JwksServer stopped(JWK... keys) {
        JwksServer jwks = new JwksServer(freePort());
        jwks.serve(keys);
        return jwks;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Serves these keys (their public halves) from now on. */
    void serve(JWK... keys) {
        body = new JWKSet(List.of(keys)).toString(true);
    }

    /** Serves this document as it is. */
    void serveRaw(String document) {
        body = document;
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + port + "/.well-known/jwks.json");
    }

    int fetches() {
        return fetches.get();
    }

    /** Starts the server (again) on its port. */
    void restart() {
        if (server != null) {
            return;
        }
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
    }

    /** Takes the server down: its port refuses connections. */
    void stop() {
        if (server != null) {
            server.stop(0);
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
