package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.testkit.MutableClock;
import io.focusmate.realtime.testkit.RedisExtension;
import io.focusmate.realtime.testkit.WsClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Rooms acceptance 1: two instances on one Redis, presence, the shared timer and settings. */
@Timeout(120)
class RoomsAcrossInstancesTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private final MutableClock clock = new MutableClock();
    private TestInstance one;
    private TestInstance two;
    private final String room = "r-" + UUID.randomUUID().toString().substring(0, 8);



    /** The Redis the instances share: a subclass runs every test on another (a cluster). */
    protected String redisUrl() {
        return REDIS.url();
    }

    @BeforeEach
    void startInstances() {
        String prefix = RedisExtension.uniquePrefix();
        // not about rate limits: the concurrent timer test sends 41 frames per client at once, past the default
        // per-connection CLIENT_MESSAGE_RATE burst of 40
        Map<String, String> env = Map.of("REDIS_URL", redisUrl(), "REDIS_KEY_PREFIX", prefix,
                "CLIENT_MESSAGE_RATE", "1000/s", "CLIENT_MESSAGE_BURST", "1000");
        one = TestInstance.start(env, clock, UnaryOperator.identity());
        two = TestInstance.start(env, clock, UnaryOperator.identity());
    }

    @AfterEach
    void stopInstances() {
        one.close();
        two.close();
    }

    @Test
    void participantsOnTwoInstancesSeeEachOthersJoinAndLeave() {
        TestInstance.Joined a = one.joinRoom("alice", room);
        assertEquals(List.of("alice"), TestInstance.Joined.participants(a.state()));
        TestInstance.Joined b = two.joinRoom("bob", room);
        assertEquals(List.of("alice", "bob"), TestInstance.Joined.participants(b.state()));

        JsonNode joined = a.client().nextOfType("participant_joined");
        assertEquals("bob", joined.path("data").path("user_id").asText());
        b.client().close();
        JsonNode left = a.client().nextOfType("participant_left");
        assertEquals("bob", left.path("data").path("user_id").asText());
    }

    @Test
    void aTimerStartedOnOneInstanceReachesBothWithTheSameEndsAtAndALateJoinerSeesTheRightRemainingTime() {
        TestInstance.Joined a = one.joinRoom("alice", room);
        TestInstance.Joined b = two.joinRoom("bob", room);
        a.client().nextOfType("participant_joined");

        a.client().send("{\"type\":\"timer_start\",\"data\":{\"duration_s\":1500}}");
        JsonNode atA = a.client().nextOfType("timer_updated").path("data");
        JsonNode atB = b.client().nextOfType("timer_updated").path("data");
        assertEquals("running", atA.path("status").asText());
        assertEquals(1500, atA.path("duration_s").asLong());
        assertEquals(atA.path("ends_at").asLong(), atB.path("ends_at").asLong(), "both see the same ends_at");
        assertEquals(atA.path("ends_at").asLong() - atA.path("server_time").asLong(), atA.path("remaining_ms").asLong());

        clock.advance(Duration.ofSeconds(10));
        TestInstance.Joined c = two.joinRoom("carol", room);
        JsonNode timer = c.state().path("timer");
        long truth = atA.path("ends_at").asLong() - c.state().path("server_time").asLong();
        assertEquals("running", timer.path("status").asText());
        assertTrue(Math.abs(timer.path("remaining_ms").asLong() - truth) <= 1_000, timer.toString());
        assertTrue(Math.abs(timer.path("remaining_ms").asLong() - (1_500_000 - 10_000)) <= 1_000, timer.toString());
        assertEquals(List.of("alice", "bob", "carol"), TestInstance.Joined.participants(c.state()));
    }

    @Test
    void pauseResumeAndResetKeepBothInstancesInStep() {
        TestInstance.Joined a = one.joinRoom("alice", room);
        TestInstance.Joined b = two.joinRoom("bob", room);
        a.client().send("{\"type\":\"timer_start\",\"data\":{\"duration_s\":60}}");
        b.client().nextOfType("timer_updated");
        clock.advance(Duration.ofSeconds(20));
        b.client().send("{\"type\":\"timer_pause\"}");
        JsonNode paused = a.client().until(f -> "timer_updated".equals(f.path("type").asText())
                && "paused".equals(f.path("data").path("status").asText())).stream().reduce((x, y) -> y).orElseThrow();
        long remaining = paused.path("data").path("remaining_ms").asLong();
        assertTrue(Math.abs(remaining - 40_000) <= 1_000, paused.toString());
        assertTrue(paused.path("data").path("ends_at").isNull());
        clock.advance(Duration.ofSeconds(30));
        a.client().send("{\"type\":\"timer_resume\"}");
        JsonNode resumed = b.client().until(f -> "running".equals(f.path("data").path("status").asText()))
                .stream().reduce((x, y) -> y).orElseThrow();
        assertEquals(remaining, resumed.path("data").path("remaining_ms").asLong(), "a pause does not lose time");
        a.client().send("{\"type\":\"timer_reset\"}");
        JsonNode reset = b.client().until(f -> "idle".equals(f.path("data").path("status").asText()))
                .stream().reduce((x, y) -> y).orElseThrow();
        assertEquals(60_000, reset.path("data").path("remaining_ms").asLong());
    }

    @Test
    void aUserWithTwoTabsOnTwoInstancesIsOneParticipantAndLeavesWithTheLastTab() {
        TestInstance.Joined watcher = one.joinRoom("watcher", room);
        TestInstance.Joined tab1 = one.joinRoom("alice", room);
        TestInstance.Joined tab2 = two.joinRoom("alice", room);
        assertEquals(List.of("alice", "watcher"), TestInstance.Joined.participants(tab2.state()));
        assertEquals("alice", watcher.client().nextOfType("participant_joined").path("data").path("user_id").asText());
        tab1.client().close();
        // a settings change is a marker: had alice been announced as left, it would come first
        tab2.client().send("{\"type\":\"update_settings\",\"data\":{\"settings\":{\"marker\":1}}}");
        assertEquals("settings_updated", watcher.client().next().path("type").asText());
        tab2.client().close();
        assertEquals("alice", watcher.client().nextOfType("participant_left").path("data").path("user_id").asText());
    }

    @Test
    void settingsUpdatesAreMergedAndReachEveryone() {
        TestInstance.Joined a = one.joinRoom("alice", room);
        TestInstance.Joined b = two.joinRoom("bob", room);
        a.client().send("{\"type\":\"update_settings\",\"data\":{\"settings\":{\"theme\":\"dark\",\"sound\":true}}}");
        assertEquals("{\"theme\":\"dark\",\"sound\":true}",
                b.client().nextOfType("settings_updated").path("data").path("settings").toString());
        b.client().send("{\"type\":\"update_settings\",\"data\":{\"settings\":{\"sound\":null,\"focus\":50}}}");
        JsonNode merged = a.client().until(f -> "settings_updated".equals(f.path("type").asText())
                && f.path("data").path("settings").has("focus")).stream().reduce((x, y) -> y).orElseThrow();
        assertEquals("{\"theme\":\"dark\",\"focus\":50}", merged.path("data").path("settings").toString());
        assertEquals("{\"theme\":\"dark\",\"focus\":50}",
                two.joinRoom("carol", room).state().path("settings").toString());
    }

    @Test
    void concurrentTimerCommandsFromBothInstancesLeaveEveryClientOnTheSameFinalState() throws Exception {
        TestInstance.Joined a = one.joinRoom("alice", room);
        TestInstance.Joined b = two.joinRoom("bob", room);
        a.client().nextOfType("participant_joined");
        String[] commands = {"{\"type\":\"timer_start\",\"data\":{\"duration_s\":300}}", "{\"type\":\"timer_pause\"}",
                "{\"type\":\"timer_resume\"}", "{\"type\":\"timer_reset\"}"};
        Thread other = new Thread(() -> {
            for (int i = 0; i < 40; i++) {
                b.client().send(commands[(i + 1) % 4]);
            }
        });
        other.start();
        for (int i = 0; i < 40; i++) {
            a.client().send(commands[i % 4]);
        }
        other.join();
        // A settings marker from each side travels its room stripe after that side's timer commands: once both
        // clients have both markers, every timer event is in, and each client's last one must be the true state.
        a.client().send("{\"type\":\"update_settings\",\"data\":{\"settings\":{\"a_done\":true}}}");
        b.client().send("{\"type\":\"update_settings\",\"data\":{\"settings\":{\"b_done\":true}}}");
        long atA = lastTimerVersionUntilBothMarkers(a.client());
        long atB = lastTimerVersionUntilBothMarkers(b.client());
        assertEquals(atA, atB, "both clients end on the same timer state");
        JsonNode fresh = one.joinRoom("carol", room).state().path("timer");
        assertEquals(atA, fresh.path("version").asLong(), "and it is the stored state");
    }

    /** Reads until settings with both markers arrive; checks timer versions only rise; returns the last one. */
    private static long lastTimerVersionUntilBothMarkers(WsClient client) {
        long last = -1;
        while (true) {
            JsonNode frame = client.next();
            String type = frame.path("type").asText();
            if ("timer_updated".equals(type)) {
                long version = frame.path("data").path("version").asLong();
                assertTrue(version > last, "timer versions only rise: " + last + " then " + version);
                last = version;
            } else if ("settings_updated".equals(type) && frame.path("data").path("settings").has("a_done")
                    && frame.path("data").path("settings").has("b_done")) {
                return last;
            }
        }
    }
}
