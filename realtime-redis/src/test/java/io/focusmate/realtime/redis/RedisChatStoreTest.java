package io.focusmate.realtime.redis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.focusmate.realtime.chat.ChatMessage;
import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.Posted;
import io.focusmate.realtime.pubsub.PubSub;
import io.focusmate.realtime.testkit.ChatStoreContractTest;
import io.focusmate.realtime.testkit.RedisExtension;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisChatStoreTest extends ChatStoreContractTest {
    private static final Instant SENT_AT = Instant.parse("2026-12-02T10:00:00Z");
    private static final ChatMessage HI = new ChatMessage("c1", "alice", "hi", null, SENT_AT);
    private static final ChatMessage RETRIED = new ChatMessage("c1", "alice", "hi", "retry-1", SENT_AT);
    @RegisterExtension
    static final RedisExtension REDIS = new RedisExtension();
    /** Each test gets its own prefix, so tests never see each other's keys. */
    private final String prefix = RedisExtension.uniquePrefix();
    /** The broker of this test's stores, made with the first store; owned by the test thread. */
    private RedisBackend broker;



    @Override
    protected ChatStore createStore(int historySize) {
        pubSub();
        return new RedisChatStore(broker.connection(), historySize);
    }

    @Override
    protected PubSub pubSub() {
        if (broker == null) {
            broker = RedisBackend.builder(RedisUrl.parse(REDIS.url())).keyPrefix(prefix).build();
        }
        return broker.pubSub();
    }

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void everyKeyOfAChatRoomCarriesThePrefix() {
        ChatStore store = createStore(100);
        store.post(RETRIED);
        store.markRead("c1", "alice", 1);
        store.addMembers("c1", Set.of("alice"));
        List<String> keys = REDIS.command("KEYS", prefix + "*").lines().sorted().toList();
        assertEquals(List.of(prefix + "matching:chat:c1:dedup:5:alice:retry-1", prefix + "matching:chat:c1:history",
                prefix + "matching:chat:c1:members", prefix + "matching:chat:c1:reads", prefix + "matching:chat:c1:seq"),
                keys);
    }

    @Test
    void theHistoryIsAStreamWithTheMessageIdsAsEntryIdsTrimmedToTheHistorySize() {
        ChatStore store = createStore(3);
        for (int i = 0; i < 10; i++) {
            store.post(HI);
        }
        String history = prefix + "matching:chat:c1:history";
        assertEquals("3", REDIS.command("XLEN", history));
        assertEquals("0-8\nd\n" + HI.data(8), REDIS.command("XRANGE", history, "-", "+", "COUNT", "1"));
        assertEquals("10", REDIS.command("GET", prefix + "matching:chat:c1:seq"));
    }

    @Test
    void aRetryKeyIsRememberedForADay() {
        createStore(100).post(RETRIED);
        long ttl = Long.parseLong(REDIS.command("PTTL", prefix + "matching:chat:c1:dedup:5:alice:retry-1"));
        long day = Duration.ofHours(24).toMillis();
        assertTrue(ttl > day - 60_000 && ttl <= day, "ttl " + ttl);
    }

    @Test
    void membersAddedByTheMatchingServiceAreSeen() {
        REDIS.command("SADD", prefix + "matching:chat:c1:members", "alice");
        assertTrue(createStore(100).isMember("c1", "alice"));
    }

    @Test
    void aLostSequenceContinuesAfterTheNewestMessageInTheHistory() {
        ChatStore store = createStore(100);
        for (int i = 0; i < 4; i++) {
            store.post(HI);
        }
        REDIS.command("DEL", prefix + "matching:chat:c1:seq");
        assertEquals(new Posted(5, HI.data(5), false),
                store.post(HI));
    }

    @Test
    void scriptsStillRunAfterRedisForgetsThem() {
        ChatStore store = createStore(100);
        store.post(HI);
        assertEquals("OK", REDIS.command("SCRIPT", "FLUSH"));
        assertEquals(2, store.post(HI).messageId());
    }

    @Test
    void aHistorySizeBelowOneIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> createStore(0));
    }
}
