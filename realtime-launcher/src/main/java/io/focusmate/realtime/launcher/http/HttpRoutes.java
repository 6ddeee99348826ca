package io.focusmate.realtime.launcher.http;

import io.focusmate.realtime.internal.protocol.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.glassfish.grizzly.http.server.HttpHandler;
import org.glassfish.grizzly.http.server.Request;
import org.glassfish.grizzly.http.server.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The plain HTTP routes served on the WebSocket port. Each route is a method, a path pattern and a small handler;
 * anything else is a JSON 404 (or 405). A handler failure is a JSON 500, logged without the request's query string.
 */
public final class HttpRoutes extends HttpHandler {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRoutes.class);

    /** Handles one matched request. */
    @FunctionalInterface
    interface Route {
        void handle(Request request, Response response, Matcher path) throws IOException;
    }

    private record Entry(String method, Pattern path, Route route) {
    }

    /** Filled before the server starts; read-only afterwards. */
    private final List<Entry> entries = new ArrayList<>();

    HttpRoutes add(String method, String pathRegex, Route route) {
        entries.add(new Entry(method, Pattern.compile(pathRegex), route));
        return this;
    }

    @Override
    public void service(Request request, Response response) throws Exception {
        String path = request.getRequestURI();
        boolean pathKnown = false;
        for (Entry entry : entries) {
            Matcher matcher = entry.path.matcher(path);
            if (!matcher.matches()) {
                continue;
            }
            pathKnown = true;
            if (entry.method.equals(request.getMethod().getMethodString())) {
                try {
                    entry.route.handle(request, response, matcher);
                } catch (RuntimeException e) {
                    LOG.error("HTTP {} {} failed", request.getMethod().getMethodString(), path, e);
                    json(response, 500, error("internal", "Internal error"));
                }
                return;
            }
        }
        if (pathKnown) {
            json(response, 405, error("method_not_allowed", "Method not allowed"));
        } else {
            json(response, 404, error("not_found", "Not found"));
        }
    }

    /** Writes a JSON body with a status. */
    static void json(Response response, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }

    /** {@code {"error":{"code":...,"message":...}}}. */
    static String error(String code, String message) {
        return io.focusmate.realtime.internal.protocol.Json.write(gen -> {
            gen.writeStartObject();
            gen.writeObjectFieldStart("error");
            gen.writeStringField("code", code);
            gen.writeStringField("message", message);
            gen.writeEndObject();
            gen.writeEndObject();
        });
    }
}
