package io.focusmate.realtime.testkit;

import io.focusmate.realtime.pubsub.MessageListener;
import io.focusmate.realtime.pubsub.PubSub;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** The payloads published on one channel, in order, as a subscriber of the broker got them (the kits' listener). */
final class ReceivedFrames implements MessageListener {
    /** Written by the broker's delivery thread, taken by the test thread. */
    private final BlockingQueue<String> received = new LinkedBlockingQueue<>();

    /** Subscribes to {@code channel} and waits until the subscription is live. */
    static ReceivedFrames listen(PubSub pubSub, String channel) throws Exception {
        ReceivedFrames frames = new ReceivedFrames();
        pubSub.subscribe(channel, frames).ready().get(10, TimeUnit.SECONDS);
        return frames;
    }

    @Override
    public void onMessage(String channel, String payload) {
        received.add(payload);
    }

    /** The next payload; fails after 10 s. */
    String take() throws InterruptedException {
        String next = received.poll(10, TimeUnit.SECONDS);
        if (next == null) {
            throw new AssertionError("no frame within 10 s");
        }
        return next;
    }

    /** The next payload if one came within {@code millis}, else null. */
    String poll(long millis) throws InterruptedException {
        return received.poll(millis, TimeUnit.MILLISECONDS);
    }
}
