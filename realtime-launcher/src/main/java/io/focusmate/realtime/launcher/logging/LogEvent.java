package io.focusmate.realtime.launcher.logging;

import java.time.Instant;
import java.util.List;
import org.slf4j.event.KeyValuePair;

/**
 * One event to print, from SLF4J or from {@code java.util.logging}.
 *
 * @param time when it happened
 * @param level {@code ERROR}, {@code WARN}, {@code INFO}, {@code DEBUG} or {@code TRACE}
 * @param logger the logger's full name
 * @param thread the thread that logged it
 * @param message the formatted message
 * @param fields the key-value pairs, in the order they were added
 * @param error the exception, or null
 * @param stackTrace whether the text format prints the exception's stack trace (SLF4J's errors), or only its class
 *     and message on the same line (Grizzly's, which the launcher keeps to one line)
 */
record LogEvent(Instant time, String level, String logger, String thread, String message, List<KeyValuePair> fields,
                Throwable error, boolean stackTrace) {
}
