package io.focusmate.realtime.room;

class InMemoryRoomStoreTest extends RoomStoreContractTest {
    @Override
    protected RoomStore createStore() {
        return new InMemoryRoomStore();
    }
}
