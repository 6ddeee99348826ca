package io.focusmate.realtime.launcher.logging;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import org.slf4j.event.KeyValuePair;

/**
 * The format for log collectors: one JSON object per line, {@code {"timestamp":"2026-12-02T10:00:00.000Z",
 * "level":"INFO","logger":"io.focusmate.realtime.security","thread":"...","message":"Refused connection",
 * "endpoint":"notifications","connection":7,"reason":"token expired"}}. The time is in UTC; each key-value pair is a
 * member of its own (a number or a boolean as such, anything else as a string; a key that clashes with one of the
 * fixed members gets a leading underscore); an exception is {@code "exception":{"class":...,"message":...}}, never a
 * stack trace. Everything outside printable ASCII is escaped, so a line is valid whatever stderr's encoding. Stateless.
 */
final class JsonLine {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final Set<String> FIXED = Set.of("timestamp", "level", "logger", "thread", "message", "exception");

    private JsonLine() {
    }

    static String render(LogEvent event) {
        StringBuilder json = new StringBuilder(192);
        json.append("{\"timestamp\":\"").append(TIME.format(event.time())).append('"');
        member(json, "level", event.level());
        member(json, "logger", event.logger());
        member(json, "thread", event.thread());
        member(json, "message", event.message());
        for (KeyValuePair field : event.fields()) {
            String key = String.valueOf(field.key);
            json.append(',');
            string(json, FIXED.contains(key) ? "_" + key : key);
            json.append(':');
            value(json, field.value);
        }
        Throwable error = event.error();
        if (error != null) {
            json.append(",\"exception\":{");
            string(json.append("\"class\":"), error.getClass().getName());
            json.append(",\"message\":");
            value(json, error.getMessage());
            json.append('}');
        }
        return json.append('}').append(System.lineSeparator()).toString();
    }

    private static void member(StringBuilder json, String name, String value) {
        json.append(",\"").append(name).append("\":");
        value(json, value);
    }

    private static void value(StringBuilder json, Object value) {
        if (value == null) {
            json.append("null");
        } else if (value instanceof Boolean
                || value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof BigInteger || value instanceof BigDecimal) {
            json.append(value);
        } else if ((value instanceof Double || value instanceof Float) && Double.isFinite(((Number) value).doubleValue())) {
            json.append(value);
        } else {
            string(json, String.valueOf(value));
        }
    }

    /** Appends a JSON string: quotes, backslashes, control characters and all non-ASCII escaped. */
    static void string(StringBuilder json, String text) {
        json.append('"');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '"' -> json.append("\\\"");
                case '\\' -> json.append("\\\\");
                case '\n' -> json.append("\\n");
                case '\r' -> json.append("\\r");
                case '\t' -> json.append("\\t");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        json.append(String.format("\\u%04x", (int) c));
                    } else {
                        json.append(c);
                    }
                }
            }
        }
        json.append('"');
    }
}
