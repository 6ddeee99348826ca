package io.focusmate.realtime.internal;

import io.focusmate.realtime.internal.protocol.FrameSummary;
import io.focusmate.realtime.pubsub.MessageListener;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.pubsub.Subscription;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes channel messages from the broker to this instance's connections. It holds one broker subscription per
 * channel, taken with the channel's first local member and released with its last. Each payload is checked and read
 * once ({@link FrameSummary}) and the same frame is queued to every member: parse once, encode once, write many.
 *
 * <p>Thread-safe. Joins and leaves lock only their channel's entry; delivery reads the member sets without a lock.
 */
public final class ChannelRouter implements MessageListener {
    private static final Logger LOG = LoggerFactory.getLogger(ChannelRouter.class);

    private final PubSub pubSub;
    private final GatewayMetrics metrics;
    private final Clock clock;
    /** Routes are created and removed in the map's per-key {@code compute}: joins of two channels never wait. */
    private final ConcurrentHashMap<String, Route> routes = new ConcurrentHashMap<>();

    public ChannelRouter(PubSub pubSub, GatewayMetrics metrics, Clock clock) {
        this.pubSub = pubSub;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** Routes the channel to the member; completes when the broker subscription is live. */
    public CompletableFuture<Void> join(String channel, Member connection) {
        return routes.compute(channel, (c, route) -> {
            Route joined = route != null ? route : new Route(pubSub.subscribe(c, this));
            joined.members.add(connection);
            joined.noteSize();
            return joined;
        }).subscription.ready();
    }

    /** Stops routing the channel to the member; the last member releases the broker subscription. */
    public void leave(String channel, Member connection) {
        Subscription[] released = {null};
        routes.computeIfPresent(channel, (c, route) -> {
            if (route.members.remove(connection) && route.members.isEmpty()) {
                released[0] = route.subscription;
                return null;
            }
            route.noteSize();
            return route;
        });
        if (released[0] != null) {
            released[0].close();
        }
    }

    @Override
    public void onMessage(String channel, String payload) {
        Route route = routes.get(channel);
        if (route == null) {
            return;
        }
        FrameSummary summary = FrameSummary.parse(payload);
        if (summary == null) {
            metrics.invalidPayloadDropped();
            LOG.warn("Dropped a payload on channel {} that is not a JSON object with a string \"type\" ({} chars)",
                    channel, payload == null ? 0 : payload.length());
            return;
        }
        OutboundFrame frame = new OutboundFrame(payload, summary);
        long stamp = summary.stamp();
        int delivered = 0;
        Member only = route.only;
        if (only != null) {
            delivered = only.deliver(frame); // a user's channel: no iterator per message
        } else {
            for (Member member : route.members) {
                delivered += member.deliver(frame);
            }
        }
        metrics.delivered(delivered, stamp > 0 ? Math.max(0, clock.millis() - stamp) : -1);
    }

    public int channelCount() {
        return routes.size();
    }

    private static final class Route {
        final Subscription subscription;
        final Set<Member> members = ConcurrentHashMap.newKeySet();
        /** Written in the map's compute for this channel, read by delivery: the one member, or null unless one. */
        volatile Member only;

        Route(Subscription subscription) {
            this.subscription = subscription;
        }

        /** In the map's compute for this channel, after a join or leave. */
        void noteSize() {
            only = members.size() == 1 ? members.iterator().next() : null;
        }
    }
}
