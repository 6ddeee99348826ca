package io.focusmate.realtime.launcher.logging;

import java.time.Instant;
import java.util.List;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.event.LoggingEvent;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;
import org.slf4j.helpers.NormalizedParameters;
import org.slf4j.spi.LoggingEventAware;

/**
 * An SLF4J logger that prints one line per event through {@link LogOutput}, key-value pairs of the fluent API
 * included. Its level is fixed when it is made. Thread-safe.
 */
final class LineLogger extends LegacyAbstractLogger implements LoggingEventAware {
    private static final long serialVersionUID = 1L;

    private final int level;

    LineLogger(String name, int level) {
        this.name = name;
        this.level = level;
    }

    private boolean enabled(Level candidate) {
        return candidate.toInt() >= level;
    }

    @Override
    public boolean isTraceEnabled() {
        return enabled(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return enabled(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return enabled(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return enabled(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return enabled(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level at, Marker marker, String pattern, Object[] arguments,
                                               Throwable error) {
        String message = MessageFormatter.basicArrayFormat(pattern, arguments);
        LogOutput.write(new LogEvent(Instant.now(), at.name(), name, Thread.currentThread().getName(),
                String.valueOf(message), List.of(), error, true));
    }

    /** An event of the fluent API ({@code LOG.atInfo().setMessage(...).addKeyValue(...).log()}). */
    @Override
    public void log(LoggingEvent event) {
        if (!enabled(event.getLevel())) {
            return;
        }
        NormalizedParameters normalized = NormalizedParameters.normalize(event);
        String message = MessageFormatter.basicArrayFormat(normalized.getMessage(), normalized.getArguments());
        Instant time = event.getTimeStamp() > 0 ? Instant.ofEpochMilli(event.getTimeStamp()) : Instant.now();
        String thread = event.getThreadName() != null ? event.getThreadName() : Thread.currentThread().getName();
        LogOutput.write(new LogEvent(time, event.getLevel().name(), name, thread, String.valueOf(message),
                event.getKeyValuePairs() == null ? List.of() : List.copyOf(event.getKeyValuePairs()),
                normalized.getThrowable(), true));
    }
}
