package io.focusmate.realtime.internal;

import io.focusmate.realtime.GatewayConfig;
import io.focusmate.realtime.pubsub.PubSub;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * What an endpoint may use of its gateway, and nothing more: the settings, the clock, the instance id, channel
 * join/leave/publish, the metrics, the per-user rate limits and the per-room state executor. Built before the endpoints, so that no
 * constructor hands out a half-built gateway. It never calls an endpoint. Thread-safe.
 */
public final class EndpointContext {
    private final GatewayConfig config;
    private final Clock clock;
    private final String instanceId;
    private final PubSub pubSub;
    private final ChannelRouter router;
    private final GatewayMetrics metrics;
    private final StateExecutor state;
    private final SharedLimits limits;

    EndpointContext(GatewayConfig config, Clock clock, String instanceId, PubSub pubSub, ChannelRouter router,
                    GatewayMetrics metrics, StateExecutor state, SharedLimits limits) {
        this.config = config;
        this.clock = clock;
        this.instanceId = instanceId;
        this.pubSub = pubSub;
        this.router = router;
        this.metrics = metrics;
        this.state = state;
        this.limits = limits;
    }

    /** The limits and timings in force. */
    public GatewayConfig config() {
        return config;
    }

    /** The gateway's clock, in epoch ms. */
    public long nowMillis() {
        return clock.millis();
    }

    /** This instance's id, which owns its room presence leases. */
    public String instanceId() {
        return instanceId;
    }

    public GatewayMetrics metrics() {
        return metrics;
    }

    /** The per-user rate limits shared by the instances; calls may block on I/O: use them on a state stripe. */
    public SharedLimits limits() {
        return limits;
    }

    /** Runs room and chat state work, one room's in order, off the container threads. */
    public StateExecutor state() {
        return state;
    }

    /** Routes the channel to the session; completes when live, or after the subscribe timeout. */
    public CompletableFuture<Void> subscribe(Session session, String channel) {
        if (!session.addChannel(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Void> ready = router.join(channel, session.member());
        if (session.isReleased()) {
            router.leave(channel, session.member());
        }
        return withTimeout(ready);
    }

    /** Stops routing the channel to the session. */
    public void unsubscribe(Session session, String channel) {
        if (session.removeChannel(channel)) {
            router.leave(channel, session.member());
        }
    }

    /** Routes a channel to a room's or chat's local fan-out; completes when the broker subscription is live. */
    public CompletableFuture<Void> joinChannel(String channel, Member member) {
        return router.join(channel, member);
    }

    public void leaveChannel(String channel, Member member) {
        router.leave(channel, member);
    }

    /** Publishes a frame on a channel; throws {@code PubSubException} when the broker did not take it. */
    public void publish(String channel, String frame) {
        pubSub.publish(channel, frame);
    }

    /** A copy of {@code ready} that completes after the subscribe timeout at the latest. */
    public CompletableFuture<Void> withTimeout(CompletableFuture<Void> ready) {
        return ready.copy().completeOnTimeout(null, config.subscribeTimeout().toMillis(), TimeUnit.MILLISECONDS);
    }
}
