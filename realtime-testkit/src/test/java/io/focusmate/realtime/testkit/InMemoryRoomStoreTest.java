package io.focusmate.realtime.testkit;

import io.focusmate.realtime.rooms.InMemoryRoomStore;
import io.focusmate.realtime.rooms.RoomStore;

class InMemoryRoomStoreTest extends RoomStoreContractTest {
    @Override
    protected RoomStore createStore() {
        return new InMemoryRoomStore();
    }
}
