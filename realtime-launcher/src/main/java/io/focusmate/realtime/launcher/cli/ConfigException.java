package io.focusmate.realtime.launcher.cli;

/** A bad setting or command line; the message says what is wrong and how to fix it, in one line. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
