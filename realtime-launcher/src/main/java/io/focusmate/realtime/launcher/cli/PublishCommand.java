package io.focusmate.realtime.launcher.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.focusmate.realtime.auth.JwtAuthenticator;
import io.focusmate.realtime.internal.protocol.Json;
import io.focusmate.realtime.launcher.http.PublishApi;
import io.focusmate.realtime.notifications.Notification;
import io.focusmate.realtime.notifications.NotificationPublisher;
import io.focusmate.realtime.notifications.Publication;
import io.focusmate.realtime.pubsub.PubSubException;
import io.focusmate.realtime.redis.RedisBackend;
import io.focusmate.realtime.redis.RedisUrl;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code publish} command: one notification to a user, or one frame to a channel, either through a running
 * instance's HTTP publish API ({@code --url}) or straight to Redis ({@code --redis-url} or {@code REDIS_URL}).
 *
 * <p>Exit codes: 0 published, 2 a bad command line, 3 refused by the server (an HTTP 4xx: a wrong key, a bad body,
 * the API off), 4 not published (the broker is down, the server or Redis unreachable, or no answer in time).
 */
public final class PublishCommand {
    static final List<String> FLAGS = List.of("--user", "--title", "--message", "--type", "--data", "--channel",
            "--url", "--api-key", "--redis-url", "--redis-key-prefix", "--timeout", "--help");
    static final String DEFAULT_TYPE = "system";
    static final String DEFAULT_TIMEOUT = "10s";

    private final PrintStream out;
    private final PrintStream err;

    private PublishCommand(PrintStream out, PrintStream err) {
        this.out = out;
        this.err = err;
    }

    /** What to publish: a notification for a user, or a frame for a channel. */
    private record Message(String user, Notification notification, String channel, JsonNode frame) {
    }

    static int run(List<String> args, Map<String, String> env, PrintStream out, PrintStream err)
            throws ConfigException {
        Map<String, String> options = Options.parse(args, FLAGS);
        if (options.containsKey("--help")) {
            out.print(usage());
            return Exit.OK;
        }
        Message message = message(options);
        Duration timeout = timeout(options);
        PublishCommand command = new PublishCommand(out, err);
        String url = options.get("--url");
        if (url != null && options.containsKey("--redis-url")) {
            throw new ConfigException("give --url (a running instance) or --redis-url (straight to Redis), not both");
        }
        String redisTarget = options.getOrDefault("--redis-url", env.get(Setting.REDIS_URL.env()));
        Path devKey = DevSecret.apiKeyPath(env);
        if (url == null && (redisTarget == null || redisTarget.isBlank()) && Files.exists(devKey)) {
            url = "http://localhost:" + env.getOrDefault(Setting.PORT.env(), "8000"); // a development server here
        }
        if (url != null) {
            String key = options.getOrDefault("--api-key", env.get(Setting.REALTIME_API_KEY.env()));
            if ((key == null || key.isBlank()) && Files.exists(devKey)) {
                err.println("note: using the development API key in " + devKey
                        + " (what a server without JWT_SECRET_KEY and REALTIME_API_KEY on this machine takes)");
                key = DevSecret.loadOrCreate(devKey);
            }
            if (key == null || key.isBlank()) {
                throw new ConfigException("publish --url needs the API key: set REALTIME_API_KEY (or --api-key)");
            }
            return command.overHttp(baseUri(url), key.trim(), message, timeout);
        }
        if (options.containsKey("--api-key")) {
            throw new ConfigException("--api-key goes with --url; straight to Redis no key is used");
        }
        String redis = redisTarget;
        if (redis == null || redis.isBlank()) {
            throw new ConfigException("publish needs a target: --url http://HOST:PORT (a running instance, with "
                    + "REALTIME_API_KEY) or --redis-url redis://HOST:PORT (or REDIS_URL)");
        }
        RedisUrl redisUrl;
        try {
            redisUrl = RedisUrl.parse(redis);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("REDIS_URL (--redis-url): " + e.getMessage());
        }
        String prefix = options.getOrDefault("--redis-key-prefix",
                env.getOrDefault(Setting.REDIS_KEY_PREFIX.env(), ""));
        return command.toRedis(redisUrl, prefix, message, timeout);
    }

    // --- the command line ---

    private static Message message(Map<String, String> options) throws ConfigException {
        String user = options.get("--user");
        String channel = options.get("--channel");
        if ((user == null) == (channel == null)) {
            throw new ConfigException("publish needs --user ID (a notification) or --channel NAME --data FRAME "
                    + "(a raw frame), " + (user == null ? "and got neither" : "not both"));
        }
        if (user != null) {
            if (!JwtAuthenticator.isValidSubject(user)) {
                throw new ConfigException("--user must be 1 to 128 characters, without control characters");
            }
            String title = options.get("--title");
            String text = options.get("--message");
            if (title == null || text == null) {
                throw new ConfigException("a notification needs --title TEXT and --message TEXT");
            }
            String type = options.getOrDefault("--type", DEFAULT_TYPE);
            if (type.isBlank()) {
                throw new ConfigException("--type must not be empty");
            }
            Notification.Builder builder = Notification.builder(type).title(title).message(text);
            String data = options.get("--data");
            if (data != null) {
                JsonNode node = json("--data", data);
                if (!node.isObject()) {
                    throw new ConfigException("--data must be a JSON object, such as '{\"routing\":{\"path\":\"/\"}}'");
                }
                for (Map.Entry<String, JsonNode> field : node.properties()) {
                    builder.data(field.getKey(), field.getValue());
                }
            }
            return new Message(user, builder.build(), null, null);
        }
        for (String flag : List.of("--title", "--message", "--type")) {
            if (options.containsKey(flag)) {
                throw new ConfigException(flag + " goes with --user; with --channel, --data is the whole frame");
            }
        }
        if (channel.isBlank() || channel.length() > PublishApi.MAX_CHANNEL_LENGTH
                || channel.chars().anyMatch(Character::isISOControl)) {
            throw new ConfigException("--channel must be 1 to " + PublishApi.MAX_CHANNEL_LENGTH
                    + " characters, without control characters");
        }
        String data = options.get("--data");
        if (data == null) {
            throw new ConfigException("--channel needs --data FRAME, a JSON object with a string \"type\"");
        }
        JsonNode frame = json("--data", data);
        if (!frame.isObject() || !frame.path("type").isTextual()) {
            throw new ConfigException("--data must be a JSON object with a string \"type\" (the frame clients "
                    + "receive), such as '{\"type\":\"announcement\",\"data\":{}}'");
        }
        return new Message(null, null, channel, frame);
    }

    private static JsonNode json(String flag, String text) throws ConfigException {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            if (node == null || node.isMissingNode()) {
                throw new ConfigException(flag + " is empty; give a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new ConfigException(flag + " is not valid JSON (" + PublishApi.jsonProblem(e) + ")");
        }
    }

    private static Duration timeout(Map<String, String> options) throws ConfigException {
        String text = options.getOrDefault("--timeout", DEFAULT_TIMEOUT);
        Duration timeout;
        try {
            timeout = LauncherConfig.parseDuration(text);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("--timeout is \"" + text + "\"; use a duration such as 10s, 500ms or 1m");
        }
        if (timeout.isZero()) {
            throw new ConfigException("--timeout must be longer than zero");
        }
        return timeout;
    }

    private static URI baseUri(String url) throws ConfigException {
        String expected = "; expected http://HOST:PORT or https://HOST[:PORT][/prefix]";
        URI uri;
        try {
            uri = new URI(url.trim());
        } catch (URISyntaxException e) {
            throw new ConfigException("--url is malformed" + expected);
        }
        String scheme = uri.getScheme();
        if (scheme == null || !(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null
                || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new ConfigException("--url must be an http:// or https:// address with a host" + expected);
        }
        return uri;
    }

    // --- over the HTTP API ---

    private int overHttp(URI base, String key, Message message, Duration timeout) {
        String root = base.toString().replaceAll("/+$", "");
        ObjectNode body = Json.MAPPER.createObjectNode();
        URI target = URI.create(root + requestBody(message, body));
        HttpRequest request = HttpRequest.newBuilder(target)
                .timeout(timeout)
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        HttpClient client = HttpClient.newBuilder().connectTimeout(timeout).build();
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (HttpConnectTimeoutException e) {
            return notPublished("cannot connect to " + root + " within " + timeout.toMillis() + " ms");
        } catch (HttpTimeoutException e) {
            return notPublished("no answer from " + root + " within " + timeout.toMillis()
                    + " ms; it may or may not have been published");
        } catch (ConnectException e) {
            return notPublished("cannot connect to " + root + " (connection refused; is the server running?)");
        } catch (IOException e) {
            return notPublished("the request to " + root + " failed (" + oneLine(String.valueOf(e.getMessage()))
                    + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return notPublished("interrupted while waiting for " + root);
        }
        return answered(response, message);
    }

    /** What the server's answer means: exit 0 and the id, exit 3 refused, or exit 4 not published. */
    private int answered(HttpResponse<String> response, Message message) {
        int status = response.statusCode();
        if (status / 100 == 2) {
            if (message.user != null) {
                out.println(field(response.body(), "notification_id"));
            } else {
                out.println("published to " + message.channel);
            }
            String epoch = field(response.body(), "epoch");
            if (!epoch.isEmpty()) {
                printPosition(field(response.body(), "channel"), epoch + ":" + field(response.body(), "offset"));
            }
            return Exit.OK;
        }
        String detail = "HTTP " + status + serverError(response.body());
        if (status >= 500) {
            return notPublished(detail);
        }
        err.println("error: refused by the server: " + detail);
        return Exit.REFUSED;
    }

    /** Fills the request body of the message; returns the API path it goes to. */
    private static String requestBody(Message message, ObjectNode body) {
        if (message.user == null) {
            body.put("channel", message.channel);
            body.set("data", message.frame);
            return "/api/v1/publish";
        }
        Notification n = message.notification;
        body.put("type", n.type());
        body.put("title", n.title());
        body.put("message", n.message());
        if (!n.data().isEmpty()) {
            body.set("data", Json.MAPPER.valueToTree(n.data()));
        }
        return "/api/v1/users/" + URLEncoder.encode(message.user, StandardCharsets.UTF_8).replace("+", "%20")
                + "/notifications";
    }

    /** {@code " code: message"} from a JSON error body, or an empty string. */
    private static String serverError(String body) {
        try {
            JsonNode error = Json.MAPPER.readTree(body).path("error");
            if (error.isObject()) {
                return " " + oneLine(error.path("code").asText()) + ": " + oneLine(error.path("message").asText());
            }
        } catch (JsonProcessingException | RuntimeException e) {
            // not our JSON error: the status says enough
        }
        return "";
    }

    private static String field(String body, String name) {
        try {
            return Json.MAPPER.readTree(body).path(name).asText();
        } catch (JsonProcessingException e) {
            return "";
        }
    }

    // --- straight to Redis ---

    private int toRedis(RedisUrl url, String prefix, Message message, Duration timeout) {
        RedisBackend broker;
        try {
            broker = RedisBackend.builder(url).keyPrefix(prefix).timeout(timeout).buildVerified();
        } catch (PubSubException e) {
            return notPublished("Redis at " + url + " is unreachable; start Redis or fix REDIS_URL (--redis-url)");
        }
        try {
            NotificationPublisher publisher = new NotificationPublisher(broker.notificationHistory(), broker.pubSub(),
                    Clock.systemUTC());
            Publication published;
            if (message.user != null) {
                published = publisher.publishToUser(message.user, message.notification);
                out.println(Json.MAPPER.readTree(published.frame()).path("data").path("notification_id").asText());
            } else {
                published = publisher.publishFrame(message.channel, Json.MAPPER.writeValueAsString(message.frame));
                out.println("published to " + message.channel);
            }
            if (published.position() != null) {
                printPosition(published.channel(), published.position().toString());
            }
            return Exit.OK;
        } catch (PubSubException e) {
            return notPublished(oneLine(e.getMessage()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("the frame cannot be read back", e);
        } finally {
            broker.close();
        }
    }

    /** The second line of a published notification: where it landed, for {@code since=} and for logs. */
    private void printPosition(String channel, String position) {
        out.println("position " + channel + " " + position);
    }

    private int notPublished(String why) {
        err.println("error: not published: " + why);
        return Exit.NOT_PUBLISHED;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s+", " ").trim();
    }

    /** The help of {@code publish}. */
    static String usage() {
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
                  (none)                   a development server on this machine, http://localhost:$PORT
                                           (8000 by default), with the development API key it generated

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
                """.formatted(DEFAULT_TYPE, DEFAULT_TIMEOUT);
    }
}
