package io.focusmate.realtime.launcher.logging;

import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The launcher's SLF4J backend, found through {@code META-INF/services}: one line per event on stderr, as text or
 * JSON ({@link LogFormat}), with the fluent API's key-value pairs as fields. It replaces slf4j-simple, which printed
 * key-value pairs before the message and unquoted, and has no JSON.
 */
public final class LineServiceProvider implements SLF4JServiceProvider {
    /** Set once by SLF4J's initialisation, in {@link #initialize()}, before any other method is called. */
    private ILoggerFactory loggers;
    /** As above. */
    private IMarkerFactory markers;
    /** As above. */
    private MDCAdapter mdc;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggers;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markers;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdc;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        loggers = new LineLoggerFactory();
        markers = new BasicMarkerFactory();
        mdc = new BasicMDCAdapter();
    }
}
