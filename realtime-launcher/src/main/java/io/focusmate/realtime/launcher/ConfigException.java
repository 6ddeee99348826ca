package io.focusmate.realtime.launcher;

/** A bad setting or command line; the message says what is wrong and how to fix it, in one line. */
final class ConfigException extends Exception {
    ConfigException(String message) {
        super(message, null, false, false);
    }
}
