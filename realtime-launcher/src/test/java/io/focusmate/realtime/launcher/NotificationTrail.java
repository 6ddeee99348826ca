package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.testkit.TestTokens;
import io.focusmate.realtime.testkit.WsClient;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * One user's notifications client in recovery mode, as an app on a flaky network holds it: it keeps its position,
 * and {@link #assertGotEvery} checks that what it got live, then what it recovered when it resumed from that position,
 * covers every publication the publisher was told was stored. Owned by the test thread.
 */
final class NotificationTrail {
    private final String user;
    private final WsClient live;
    private final String epoch;

    NotificationTrail(TestInstance instance, String user) {
        this.user = user;
        this.live = WsClient.connect(instance.notificationsUrl(TestTokens.token(user)) + "&recover=true");
        this.epoch = live.next().path("recovery").path("user").path("epoch").asText();
    }

    String channel() {
        return "notifications:user:" + user;
    }

    /** Publishes frame number {@code n} through the instance's gateway; returns the offset stored. */
    static long publish(TestInstance instance, String channel, int n) {
        return instance.gateway().notifications().publishFrame(channel,
                "{\"type\":\"notification\",\"data\":{\"n\":" + n + "}}").position().offset();
    }

    /**
     * Reads live frames up to the last acknowledged offset, keeps the position up to the first gap, closes, resumes
     * on {@code instance} from that position, and asserts that the live and recovered frames cover every
     * acknowledged offset, in one epoch, with no gap.
     */
    void assertGotEvery(List<Long> acknowledged, TestInstance instance) {
        long last = acknowledged.get(acknowledged.size() - 1);
        long position = 0;
        List<Long> received = new ArrayList<>();
        while (received.isEmpty() || received.get(received.size() - 1) != last) {
            JsonNode frame;
            try {
                frame = live.next();
            } catch (AssertionError e) {
                throw new AssertionError("the live client did not get offset " + last + ": got " + received
                        + "; acknowledged " + acknowledged, e);
            }
            received.add(frame.path("offset").asLong());
            if (frame.path("offset").asLong() == position + 1) {
                position++;
            }
        }
        live.close();
        try (WsClient resumed = WsClient.connect(instance.notificationsUrl(TestTokens.token(user)) + "&since="
                + epoch + ":" + position)) {
            JsonNode recovery = resumed.next().path("recovery").path("user");
            assertTrue(recovery.path("recovered").asBoolean(), "the history is whole: " + recovery);
            assertEquals(epoch, recovery.path("epoch").asText());
            TreeSet<Long> seen = new TreeSet<>();
            for (long offset = 1; offset <= position; offset++) {
                seen.add(offset);
            }
            for (long offset = position + 1; offset <= recovery.path("offset").asLong(); offset++) {
                assertEquals(offset, resumed.nextOfType("notification").path("offset").asLong());
                seen.add(offset);
            }
            assertTrue(seen.containsAll(acknowledged), "every acknowledged publication reached the client: "
                    + "acknowledged " + acknowledged + ", seen up to " + seen.last() + ", live up to " + position);
        }
    }
}
