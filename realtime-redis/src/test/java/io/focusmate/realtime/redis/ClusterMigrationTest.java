package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.chat.ChatMessage;
import io.focusmate.realtime.chat.History;
import io.focusmate.realtime.notifications.Publication;
import io.focusmate.realtime.notifications.Recovery;
import io.focusmate.realtime.notifications.StreamPosition;
import io.focusmate.realtime.rooms.TimerCommand;
import io.focusmate.realtime.testkit.RedisClusterExtension;
import io.focusmate.realtime.testkit.RedisExtension;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ClusterMigrationTest {
    private static final long T0 = 1_700_000_000_000L;
    @RegisterExtension
    static final RedisExtension ONE = new RedisExtension();
    @RegisterExtension
    static final RedisClusterExtension CLUSTER = new RedisClusterExtension();
    private final String prefix = RedisExtension.uniquePrefix();

    @Test
    void aKeyOfOneRedisGetsTheClusterNameOfItsChannelOrIsLeftBehind() {
        KeyLayout one = new KeyLayout("p:", false);
        assertEquals("p:{room:r-1.a_b:updates}:timer", one.clusterName("p:room:r-1.a_b:timer"));
        assertEquals("p:{matching:chat:c1}:members", one.clusterName("p:matching:chat:c1:members"));
        assertEquals("p:{notifications:user:a:b}:history", one.clusterName("p:notifications:user:a:b:history"));
        assertEquals("p:{notifications:broadcast}:meta", one.clusterName("p:notifications:broadcast:meta"));
        for (String behind : new String[] {"p:notifications:user:a:idem:k1", "p:matching:chat:c1:dedup:5:alice:x",
                "p:connections:chat:alice", "p:rate:chat_message:alice", "p:room:r1:other", "q:room:r1:timer",
                "p:something:else"}) {
            assertNull(one.clusterName(behind), behind);
        }
    }

    @Test
    void roomsChatsAndNotificationHistoriesMoveToTheClusterAndReadTheSameThere() {
        StreamPosition before;
        try (RedisBackend old = RedisBackend.builder(ONE.url()).keyPrefix(prefix).build()) {
            old.roomStore().join("r1", "alice", "i1", T0, 30_000).orElseThrow();
            old.roomStore().applyTimer("r1", TimerCommand.START, 60_000, "alice", T0).orElseThrow();
            old.roomStore().replaceSettings("r1", "{\"theme\":\"dark\"}", 0, "alice").orElseThrow();
            old.chatStore().addMembers("c1", Set.of("alice", "bob"));
            for (int i = 0; i < 3; i++) {
                old.chatStore().post(new ChatMessage("c1", "alice", "hi " + i, null, Instant.ofEpochMilli(T0)));
            }
            old.chatStore().markRead("c1", "bob", 2);
            Publication first = old.notificationHistory().publish("notifications:user:alice",
                    "{\"type\":\"notification\",\"data\":{\"n\":1}}", "idem-1");
            old.notificationHistory().publish("notifications:user:alice",
                    "{\"type\":\"notification\",\"data\":{\"n\":2}}", null);
            before = first.position();
        }
        ClusterMigration.Result result = ClusterMigration.copy(RedisUrl.parse(ONE.url()),
                RedisUrl.parse(CLUSTER.url()), prefix);
        assertEquals(5 + 4 + 2, result.copied(), result.toString()); // room 5, chat seq/history/reads/members, 2
        assertTrue(result.skipped() >= 1, "the idempotency key stays behind: " + result);
        try (RedisBackend now = RedisBackend.builder(CLUSTER.url()).keyPrefix(prefix).build()) {
            assertEquals("running", now.roomStore().timer("r1").status());
            assertEquals("{\"theme\":\"dark\"}", now.roomStore().settings("r1").json());
            assertEquals(1, now.roomStore().presence("r1", T0, 10).count());
            assertTrue(now.chatStore().isMember("c1", "bob"));
            assertEquals(2, now.chatStore().readPosition("c1", "bob"));
            History history = now.chatStore().history("c1", 0, 10);
            assertEquals(3, history.messages().size());
            assertEquals(4, now.chatStore().post(new ChatMessage("c1", "bob", "next", null,
                    Instant.ofEpochMilli(T0))).messageId(), "ids go on");
            Recovery recovery = now.notificationHistory().recover("notifications:user:alice", before, 10);
            assertTrue(recovery.recovered(), "the same epoch: " + recovery);
            assertEquals(1, recovery.frames().size());
        }
    }

    @Test
    void aMigrationGoesFromOneRedisToACluster() {
        assertThrows(IllegalArgumentException.class, () -> ClusterMigration.copy(RedisUrl.parse(CLUSTER.url()),
                RedisUrl.parse(CLUSTER.url()), prefix));
        assertThrows(IllegalArgumentException.class, () -> ClusterMigration.copy(RedisUrl.parse(ONE.url()),
                RedisUrl.parse(ONE.url()), prefix));
    }
}
