package io.focusmate.realtime.launcher.logging;

import java.util.Locale;

/** The launcher's log formats (the {@code LOG_FORMAT} setting): readable text, or JSON lines for log collectors. */
public enum LogFormat {
    /** One readable line per event, fields as {@code key=value} after the message; the default. */
    TEXT,
    /** One JSON object per line: timestamp, level, logger, thread, message and the fields. */
    JSON;

    /** The format of this name ({@code text} or {@code json}, any case, spaces around ignored), or null. */
    public static LogFormat byName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "text" -> TEXT;
            case "json" -> JSON;
            default -> null;
        };
    }

    /** The event as one line in this format (in text, followed by a stack trace where the event keeps one). */
    String render(LogEvent event) {
        return this == JSON ? JsonLine.render(event) : TextLine.render(event);
    }
}
