package io.focusmate.realtime.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on a free port that can make existing connections deaf: it keeps them open but stops forwarding what
 * the server sends, the silent failure a middlebox or a half-open link causes. New connections work normally.
 */
public final class TcpProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int targetPort;
    private final List<Pipe> pipes = new CopyOnWriteArrayList<>();

    private static final class Pipe {
        final Socket client;
        final Socket upstream;
        /** Set by the test thread; read by the pumping thread. */
        volatile boolean deaf;

        Pipe(Socket client, Socket upstream) {
            this.client = client;
            this.upstream = upstream;
        }
    }

    /** A proxy to {@code 127.0.0.1:targetPort}. */
    public TcpProxy(int targetPort) throws IOException {
        this.server = new ServerSocket(0);
        this.targetPort = targetPort;
        Thread acceptor = new Thread(this::accept, "tcp-proxy-accept");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Stops forwarding server-to-client bytes on every connection open now. */
    public void deafenExisting() {
        pipes.forEach(p -> p.deaf = true);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Socket upstream = new Socket("127.0.0.1", targetPort);
                Pipe pipe = new Pipe(client, upstream);
                pipes.add(pipe);
                pump(client.getInputStream(), upstream.getOutputStream(), null);
                pump(upstream.getInputStream(), client.getOutputStream(), pipe);
            } catch (IOException e) {
                return;
            }
        }
    }

    private static void pump(InputStream in, OutputStream out, Pipe deafenable) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = in.read(buffer)) != -1) {
                    if (deafenable == null || !deafenable.deaf) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                }
            } catch (IOException ignored) {
                // a side closed
            } finally {
                try {
                    out.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Pipe pipe : pipes) {
            pipe.client.close();
            pipe.upstream.close();
        }
    }
}
