package io.focusmate.realtime.launcher.cli;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The command line's options, as every command reads them. */
final class Options {
    private Options() {
    }

    /** Parses {@code --name value} and {@code --name=value}; {@code --help} takes no value. */
    static Map<String, String> parse(List<String> args, List<String> known) throws ConfigException {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("-h")) {
                name = "--help";
            }
            if (!known.contains(name)) {
                throw new ConfigException("unknown option \"" + name + "\"; see --help for the options");
            }
            if (name.equals("--help")) {
                options.put(name, "");
                continue;
            }
            if (value == null) {
                if (i + 1 >= args.size()) {
                    throw new ConfigException("option " + name + " needs a value");
                }
                value = args.get(++i);
            }
            options.put(name, value);
        }
        return options;
    }
}
