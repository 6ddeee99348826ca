package io.focusmate.realtime.launcher;

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
                  java -jar realtime-launcher.jar help                this text

                Run a command with --help for its options.
                Exit codes: 0 success, 1 unexpected failure, 2 bad setting or command line;
                publish also: 3 refused by the server (HTTP 4xx), 4 not published (broker or server down).
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

    static String publish() {
        return """
                Usage:
                  java -jar realtime-launcher.jar publish --user ID --title TEXT --message TEXT [--type TYPE]
                      [--data JSON-OBJECT] TARGET
                  java -jar realtime-launcher.jar publish --channel NAME --data JSON-FRAME TARGET

                The first form sends a notification frame to every connection of user ID (the server fills
                notification_id and created_at) and prints its notification_id. The second publishes a ready-made
                frame, a JSON object with a string "type", on any channel, such as notifications:broadcast.

                TARGET, one of:
                  --url http://HOST:PORT   a running instance's HTTP publish API; the key comes from
                                           REALTIME_API_KEY (or --api-key KEY, which other users may see in ps)
                  --redis-url URL          straight to Redis (default: REDIS_URL), with --redis-key-prefix
                                           PREFIX (default: REDIS_KEY_PREFIX) as the gateways use

                  --user ID                the user id (the token's sub)
                  --title TEXT             the headline; required with --user
                  --message TEXT           the body text; required with --user
                  --type TYPE              the notification's type, such as friend_request; default %s
                  --data JSON              with --user: the notification's data object; with --channel: the frame
                  --channel NAME           the channel, such as notifications:broadcast or notifications:user:42
                  --timeout DURATION       how long to wait for the server or Redis; default %s

                Exit codes: 0 published (the broker took it; delivery is at most once), 2 bad command line,
                3 refused by the server (HTTP 4xx: wrong key, bad body, API off), 4 not published (broker down,
                server or Redis unreachable, or no answer in time; a timeout may still have been published).
                """.formatted(PublishCommand.DEFAULT_TYPE, PublishCommand.DEFAULT_TIMEOUT);
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
