package io.focusmate.realtime.launcher.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.KeyValuePair;

/**
 * The readable format: {@code 2026-12-02T10:00:00.000Z INFO Engine - Refused connection endpoint=notifications
 * connection=7 reason="token expired"}. The time has the JVM's zone offset, the logger its simple name; each field
 * follows the message as {@code key=value}, the value in double quotes (with {@code \"}, {@code \\} and control
 * characters escaped) when it is empty or holds a space, a quote, an equals sign or a control character. Stateless.
 */
final class TextLine {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX").withZone(ZoneId.systemDefault());

    private TextLine() {
    }

    static String render(LogEvent event) {
        StringBuilder line = new StringBuilder(128);
        line.append(TIME.format(event.time())).append(' ').append(event.level()).append(' ')
                .append(simpleName(event.logger())).append(" - ").append(event.message());
        for (KeyValuePair field : event.fields()) {
            line.append(' ').append(key(field.key)).append('=');
            value(line, String.valueOf(field.value));
        }
        Throwable error = event.error();
        if (error != null && !event.stackTrace()) {
            line.append(" exception=");
            value(line, error.getClass().getName() + (error.getMessage() == null ? "" : ": " + error.getMessage()));
        }
        line.append(System.lineSeparator());
        if (error != null && event.stackTrace()) {
            StringWriter trace = new StringWriter();
            error.printStackTrace(new PrintWriter(trace));
            line.append(trace);
        }
        return line.toString();
    }

    private static String simpleName(String logger) {
        return logger.substring(logger.lastIndexOf('.') + 1);
    }

    /** A key as it is when it is a plain word; any other character becomes an underscore. */
    static String key(String key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            out.append(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.' ? c : '_');
        }
        return out.isEmpty() ? "_" : out.toString();
    }

    /** Appends a value, bare or quoted and escaped. */
    static void value(StringBuilder line, String value) {
        if (!needsQuotes(value)) {
            line.append(value);
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> line.append("\\\"");
                case '\\' -> line.append("\\\\");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                case '\t' -> line.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        line.append(String.format("\\u%04x", (int) c));
                    } else {
                        line.append(c);
                    }
                }
            }
        }
        line.append('"');
    }

    private static boolean needsQuotes(String value) {
        if (value.isEmpty()) {
            return true;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == '"' || c == '=' || c == '\\' || c == 0x7f || Character.isWhitespace(c)) {
                return true;
            }
        }
        return false;
    }
}
