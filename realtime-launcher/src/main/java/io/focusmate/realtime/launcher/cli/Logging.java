package io.focusmate.realtime.launcher.cli;

import io.focusmate.realtime.launcher.logging.JulBridge;
import io.focusmate.realtime.launcher.logging.LogFormat;
import io.focusmate.realtime.launcher.logging.LogOutput;
import java.util.List;
import java.util.Map;

/**
 * Sets the launcher's logs up before anything logs: one line per event on stderr, for SLF4J and for JUL
 * (Grizzly), in the format {@code LOG_FORMAT} (or {@code --log-format}) names.
 */
final class Logging {
    /** Held for the life of the process: JUL keeps loggers weakly, and a collected one forgets its level. */
    private static final java.util.logging.Logger GLASSFISH = java.util.logging.Logger.getLogger("org.glassfish");

    private Logging() {
    }

    /** Routes JUL through the launcher's format; Grizzly at warnings and up. */
    static void configure() {
        JulBridge.install();
        GLASSFISH.setLevel(java.util.logging.Level.WARNING);
    }

    /**
     * Puts the format that the command line or the environment names in force: {@code --log-format} wins over
     * {@code LOG_FORMAT}; text when neither is set.
     *
     * @throws ConfigException when the value is neither text nor json
     */
    static void useFormat(List<String> args, Map<String, String> env) throws ConfigException {
        String value = flag(args, Setting.LOG_FORMAT.flag());
        if (value == null) {
            value = env.getOrDefault(Setting.LOG_FORMAT.env(), Setting.LOG_FORMAT.defaultValue());
        }
        LogFormat format = LogFormat.byName(value);
        if (format == null) {
            LogOutput.use(LogFormat.TEXT);
            throw new ConfigException(Setting.LOG_FORMAT.env() + " (" + Setting.LOG_FORMAT.flag() + ") is \"" + value
                    + "\"; it must be text or json");
        }
        LogOutput.use(format);
    }

    /** The value of {@code --name value} or {@code --name=value}, the last one given, or null. */
    private static String flag(List<String> args, String name) {
        String value = null;
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals(name) && i + 1 < args.size()) {
                value = args.get(i + 1);
            } else if (arg.startsWith(name + "=")) {
                value = arg.substring(name.length() + 1);
            }
        }
        return value;
    }
}
