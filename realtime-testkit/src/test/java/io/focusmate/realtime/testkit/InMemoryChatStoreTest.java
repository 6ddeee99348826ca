package io.focusmate.realtime.testkit;

import io.focusmate.realtime.chat.ChatStore;
import io.focusmate.realtime.chat.InMemoryChatStore;
import io.focusmate.realtime.pubsub.InMemoryPubSub;
import io.focusmate.realtime.pubsub.PubSub;
import org.junit.jupiter.api.AfterEach;

class InMemoryChatStoreTest extends ChatStoreContractTest {
    /** Owned by the test thread. */
    private InMemoryPubSub broker;

    @Override
    protected ChatStore createStore(int historySize) {
        return new InMemoryChatStore(pubSub(), historySize);
    }

    @Override
    protected PubSub pubSub() {
        if (broker == null) {
            broker = new InMemoryPubSub();
        }
        return broker;
    }

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }
}
