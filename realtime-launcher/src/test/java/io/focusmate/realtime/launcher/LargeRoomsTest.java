package io.focusmate.realtime.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.focusmate.realtime.testkit.MutableClock;
import io.focusmate.realtime.testkit.RedisExtension;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Large rooms (docs/protocol.md, "Large rooms"): above ROOM_LIST_LIMIT a room sends counts, not names, and every
 * connection gets a new room_state when the room crosses the limit. Two instances on one real Redis.
 */
@Timeout(120)
class LargeRoomsTest {
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    private final MutableClock clock = new MutableClock();
    private final String room = "big-" + UUID.randomUUID().toString().substring(0, 8);
    private TestInstance one;
    private TestInstance two;

    @BeforeEach
    void startInstances() {
        Map<String, String> env = Map.of("REDIS_URL", REDIS.url(), "REDIS_KEY_PREFIX", RedisExtension.uniquePrefix(),
                "ROOM_LIST_LIMIT", "2");
        one = TestInstance.start(env, clock, UnaryOperator.identity());
        two = TestInstance.start(env, clock, UnaryOperator.identity());
    }

    @AfterEach
    void stopInstances() {
        one.close();
        two.close();
    }

    private static JsonNode roomStateWithCount(TestInstance.Joined joined, int count) {
        List<JsonNode> frames = joined.client().until(f -> "room_state".equals(f.path("type").asText())
                && f.path("data").path("participant_count").asInt() == count);
        return frames.get(frames.size() - 1).path("data");
    }

    @Test
    void aRoomGrowingPastTheLimitResendsRoomStateWithACountThenSendsCountsAndListsAgainWhenItShrinks() {
        TestInstance.Joined alice = one.joinRoom("alice", room);
        TestInstance.Joined bob = two.joinRoom("bob", room);
        JsonNode joined = alice.client().nextOfType("participant_joined").path("data");
        assertEquals("bob", joined.path("user_id").asText());
        assertEquals(2, joined.path("count").asInt());

        TestInstance.Joined carol = one.joinRoom("carol", room);
        assertEquals(List.of(), TestInstance.Joined.participants(carol.state()), "a large room lists nobody");
        assertEquals(3, carol.state().path("participant_count").asInt());
        for (TestInstance.Joined small : List.of(alice, bob)) {
            List<JsonNode> frames = small.client().until(f -> "room_state".equals(f.path("type").asText()));
            JsonNode state = frames.get(frames.size() - 1).path("data");
            assertEquals(List.of(), TestInstance.Joined.participants(state));
            assertEquals(3, state.path("participant_count").asInt());
            assertTrue(frames.stream().noneMatch(f -> "carol".equals(f.path("data").path("user_id").asText())),
                    "carol's join is not announced by name: " + frames);
        }

        TestInstance.Joined dan = two.joinRoom("dan", room);
        for (TestInstance.Joined member : List.of(alice, bob, carol)) {
            JsonNode count = member.client().nextOfType("participant_count").path("data");
            assertEquals(4, count.path("count").asInt());
            assertEquals(room, count.path("room_id").asText());
        }

        dan.client().close();
        carol.client().close();
        for (TestInstance.Joined member : List.of(alice, bob)) {
            JsonNode state = roomStateWithCount(member, 2);
            assertEquals(List.of("alice", "bob"), TestInstance.Joined.participants(state),
                    "small again: the full list");
        }
        bob.client().close();
        JsonNode left = alice.client().nextOfType("participant_left").path("data");
        assertEquals("bob", left.path("user_id").asText(), "and presence by name again");
        assertEquals(1, left.path("count").asInt());
    }
}
