package io.focusmate.realtime.launcher.cli;

import java.util.ArrayList;
import java.util.List;

/** The help texts, generated from the {@link Setting} table so that they cannot drift from it. */
final class Usage {
    private Usage() {
    }

    static String general() {
        return """
                Focusmate realtime gateway

                Usage:
                  java -jar realtime-launcher.jar [serve] [options]   start the server (the default command)
                  java -jar realtime-launcher.jar token --user ID     print a JWT for a user, for development
                  java -jar realtime-launcher.jar publish ...         send a notification or a frame (see publish --help)
                  java -jar realtime-launcher.jar migrate-to-cluster --from URL --to URL
                                                                      copy the state from one Redis to a Redis Cluster
                  java -jar realtime-launcher.jar help                this text

                Run a command with --help for its options.
                Exit codes: 0 success, 1 unexpected failure, 2 bad setting or command line;
                publish also: 3 refused by the server (HTTP 4xx), 4 not published (broker or server down);
                migrate-to-cluster: 4 a Redis unreachable or failing.
                """;
    }

    static String serve() {
        StringBuilder text = new StringBuilder("""
                Usage: java -jar realtime-launcher.jar serve [options]

                Every option mirrors an environment variable; the option wins when both are set.

                """);
        for (Setting setting : Setting.values()) {
            String flag = setting == Setting.JWT_SECRET_KEY ? "--jwt-secret" : setting.flag();
            text.append(String.format("  %-34s %-26s %s%n", flag + " VALUE", setting.env(), setting.description()));
            if (setting.defaultValue() != null && !setting.defaultValue().isEmpty()) {
                text.append(String.format("  %-34s %-26s default: %s%n", "", "", setting.defaultValue()));
            }
        }
        return text.toString();
    }

    static String token() {
        return """
                Usage: java -jar realtime-launcher.jar token --user ID [--ttl 1h] [--jwt-secret SECRET]

                Prints an HS256 JWT with sub=ID and exp=now+ttl on stdout. It is signed with JWT_SECRET_KEY
                (or --jwt-secret) when set, else with the development secret that a server started without
                JWT_SECRET_KEY on this machine uses.

                  --user ID        the user id (the token's sub); required
                  --ttl DURATION   lifetime, such as 30m, 1h or 3600 (seconds); default 1h
                """;
    }

    static List<String> serveFlags() {
        List<String> flags = new ArrayList<>();
        for (Setting setting : Setting.values()) {
            flags.add(setting.flag());
        }
        flags.add("--jwt-secret");
        flags.add("--help");
        return flags;
    }
}
