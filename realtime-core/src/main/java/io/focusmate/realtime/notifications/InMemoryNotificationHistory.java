package io.focusmate.realtime.notifications;

import io.focusmate.realtime.pubsub.PubSub;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link NotificationHistory} in one process, for the in-memory broker: the same numbering, trimming, TTLs, epochs
 * and idempotency as the Redis one, kept in maps. A channel's publish and its broker publish happen under the
 * channel's lock, so subscribers receive its frames in offset order. Expired histories are dropped as they are
 * touched, and all expired channels every 1,024 calls. Thread-safe.
 */
public final class InMemoryNotificationHistory implements NotificationHistory {
    /** Idempotency keys kept per channel at most; the oldest go first beyond it. */
    static final int MAX_KEYS_PER_CHANNEL = 10_000;
    private static final char[] ALPHABET =
            "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final PubSub pubSub;
    private final HistorySettings settings;
    private final Clock clock;
    private final Map<String, ChannelHistory> channels = new ConcurrentHashMap<>();
    /** Any thread: calls since the last sweep of expired channels (approximate). */
    private volatile int calls;

    /** One channel's history. */
    private static final class ChannelHistory {
        final String epoch = newEpoch();
        /** Guarded by {@code this}: the offset of the last publication, 0 before the first. */
        long lastOffset;
        /** Guarded by {@code this}: when the last publication was (clock ms). */
        long lastPublishMillis;
        /** Guarded by {@code this}: when the channel was last published to or recovered from (clock ms). */
        long touchedMillis;
        /** Guarded by {@code this}: the kept publications, oldest first. */
        final ArrayDeque<Entry> entries = new ArrayDeque<>();
        /** Guarded by {@code this}: idempotency keys and their first publication, oldest first. */
        final Map<String, Entry> keys = new LinkedHashMap<>();
    }

    private record Entry(long offset, String frame, long atMillis) {
    }

    public InMemoryNotificationHistory(PubSub pubSub, HistorySettings settings, Clock clock) {
        this.pubSub = pubSub;
        this.settings = settings;
        this.clock = clock;
    }

    @Override
    public Publication publish(String channel, String frame, String idempotencyKey) {
        if (!settings.enabled()) {
            pubSub.publish(channel, frame);
            return new Publication(channel, null, frame, false);
        }
        long now = clock.millis();
        sweepNowAndThen(now);
        ChannelHistory history = live(channel, now);
        synchronized (history) {
            Entry first = idempotencyKey == null ? null : history.keys.get(idempotencyKey);
            if (first != null && now - first.atMillis() < settings.idempotencyWindow().toMillis()) {
                return new Publication(channel, new StreamPosition(history.epoch, first.offset()), first.frame(), true);
            }
            long offset = history.lastOffset + 1;
            String framed = withPosition(frame, channel, history.epoch, offset);
            pubSub.publish(channel, framed);
            history.lastOffset = offset;
            history.lastPublishMillis = now;
            history.touchedMillis = now;
            Entry entry = new Entry(offset, framed, now);
            history.entries.addLast(entry);
            while (history.entries.size() > settings.size()) {
                history.entries.removeFirst();
            }
            if (idempotencyKey != null) {
                remember(history, idempotencyKey, entry, now);
            }
            return new Publication(channel, new StreamPosition(history.epoch, offset), framed, false);
        }
    }

    @Override
    public Recovery recover(String channel, StreamPosition since, int maxFrames) {
        if (!settings.enabled()) {
            return new Recovery(null, false, List.of());
        }
        long now = clock.millis();
        sweepNowAndThen(now);
        ChannelHistory history = live(channel, now);
        synchronized (history) {
            history.touchedMillis = now;
            StreamPosition current = new StreamPosition(history.epoch, history.lastOffset);
            if (since == null || !since.epoch().equals(history.epoch) || since.offset() > history.lastOffset
                    || history.lastOffset - since.offset() > maxFrames) {
                return new Recovery(current, false, List.of());
            }
            long oldestKept = history.entries.isEmpty() ? history.lastOffset + 1 : history.entries.getFirst().offset();
            if (since.offset() + 1 < oldestKept && since.offset() < history.lastOffset) {
                return new Recovery(current, false, List.of());
            }
            List<String> missed = new ArrayList<>();
            for (Entry entry : history.entries) {
                if (entry.offset() > since.offset()) {
                    missed.add(entry.frame());
                }
            }
            return new Recovery(current, true, missed);
        }
    }

    /** The channel's history, with what expired dropped: the publications after the TTL, all of it after the meta TTL. */
    private ChannelHistory live(String channel, long now) {
        ChannelHistory history = channels.computeIfAbsent(channel, c -> touched(new ChannelHistory(), now));
        synchronized (history) {
            if (now - history.touchedMillis < settings.metaTtl().toMillis()) {
                if (now - history.lastPublishMillis >= settings.ttl().toMillis()) {
                    history.entries.clear();
                }
                return history;
            }
        }
        channels.remove(channel, history);
        return live(channel, now);
    }

    private static ChannelHistory touched(ChannelHistory history, long now) {
        history.touchedMillis = now;
        history.lastPublishMillis = now;
        return history;
    }

    private void remember(ChannelHistory history, String key, Entry entry, long now) {
        history.keys.values().removeIf(e -> now - e.atMillis() >= settings.idempotencyWindow().toMillis());
        history.keys.put(key, entry);
        var oldest = history.keys.keySet().iterator();
        while (history.keys.size() > MAX_KEYS_PER_CHANNEL) {
            oldest.next();
            oldest.remove();
        }
    }

    private void sweepNowAndThen(long now) {
        if ((++calls & 1023) != 0) {
            return;
        }
        channels.forEach((channel, history) -> {
            synchronized (history) {
                if (now - history.touchedMillis < settings.metaTtl().toMillis()) {
                    return;
                }
            }
            channels.remove(channel, history);
        });
    }

    /** The frame with {@code "channel"}, {@code "offset"} and {@code "epoch"} appended before its closing brace. */
    static String withPosition(String frame, String channel, String epoch, long offset) {
        int end = frame.lastIndexOf('}');
        StringBuilder framed = new StringBuilder(frame.length() + channel.length() + epoch.length() + 48)
                .append(frame, 0, end).append(",\"channel\":\"");
        for (int i = 0; i < channel.length(); i++) {
            char c = channel.charAt(i);
            if (c == '"' || c == '\\') {
                framed.append('\\').append(c);
            } else if (c < 0x20) {
                framed.append(String.format("\\u%04x", (int) c));
            } else {
                framed.append(c);
            }
        }
        return framed.append("\",\"offset\":").append(offset).append(",\"epoch\":\"").append(epoch).append("\"}")
                .toString();
    }

    static String newEpoch() {
        char[] epoch = new char[10];
        for (int i = 0; i < epoch.length; i++) {
            epoch[i] = ALPHABET[RANDOM.nextInt(ALPHABET.length)];
        }
        return new String(epoch);
    }
}
