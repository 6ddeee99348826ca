// Room state: each room_state replaces it, stale versions are ignored, the countdown uses the gateway's clock.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { RealtimeClient } from '../../dist/index.js';
import { RoomModel } from '../../dist/room-model.js';
import { FakeSocket, settle } from '../support/fake-socket.mjs';

const NOW = 1_766_051_100_000; // the local clock at the start of each test

beforeEach(() => {
  FakeSocket.reset();
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: NOW });
});
afterEach(() => mock.timers.reset());

const timer = (status, extra = {}) => ({ status, duration_s: 1500, remaining_ms: 1_500_000, ends_at: null,
  server_time: NOW, version: 100, updated_by: 'alice', ...extra });
const roomState = (version, extra = {}) => ({ type: 'room_state', data: { room_id: 'r1',
  participants: [{ user_id: 'alice' }, { user_id: 'bob' }], participant_count: 2, timer: timer('idle'),
  settings: { theme: 'dark' }, version, server_time: NOW, ...extra } });

test('timer, settings and presence events at or below the last applied version are ignored', () => {
  const room = new RoomModel();
  room.apply(roomState(200));
  assert.equal(room.apply({ type: 'timer_updated', data: { room_id: 'r1', ...timer('running', { version: 150 }) } }), false);
  assert.equal(room.apply({ type: 'timer_updated', data: { room_id: 'r1', ...timer('paused', { version: 201 }) } }), true);
  assert.equal(room.apply({ type: 'timer_updated', data: { room_id: 'r1', ...timer('running', { version: 201 }) } }), false);
  assert.equal(room.state.timer.status, 'paused');
  assert.equal(room.state.timer.room_id, undefined, 'the timer has the members of room_state\'s timer');
  assert.equal(room.apply({ type: 'settings_updated', data: { room_id: 'r1', settings: { a: 1 }, version: 199 } }), false);
  assert.equal(room.apply({ type: 'settings_updated', data: { room_id: 'r1', settings: { a: 2 }, version: 203 } }), true);
  assert.deepEqual(room.state.settings, { a: 2 });
  assert.equal(room.apply({ type: 'participant_joined', data: { room_id: 'r1', user_id: 'carol', version: 180, count: 3 } }), false);
  room.apply({ type: 'participant_left', data: { room_id: 'r1', user_id: 'bob', version: 205, count: 1 } });
  assert.equal(room.apply({ type: 'participant_joined', data: { room_id: 'r1', user_id: 'bob', version: 204, count: 2 } }), false,
    'a late join of a user who has left since');
  room.apply({ type: 'participant_joined', data: { room_id: 'r1', user_id: 'carol', version: 206, count: 2 } });
  assert.deepEqual(room.state.participants, [{ user_id: 'alice' }, { user_id: 'carol' }]);
  assert.equal(room.state.participant_count, 2);
});

test('a room_state replaces the whole state, and its timer floor is the larger of both versions', () => {
  const room = new RoomModel();
  room.apply(roomState(200, { timer: timer('running', { version: 300, ends_at: NOW + 60_000 }) }));
  assert.equal(room.apply({ type: 'timer_updated', data: timer('paused', { version: 250 }) }), false);
  const before = room.state;
  room.apply(roomState(400, { participants: [], participant_count: 0, settings: {} }));
  assert.notEqual(room.state, before, 'a new object');
  assert.deepEqual(room.state.settings, {});
  assert.equal(room.state.timer.status, 'idle');
});

test('remainingMs counts down from ends_at with the gateway clock offset, so a wrong local clock does not matter', () => {
  const room = new RoomModel();
  assert.equal(room.remainingMs(), null);
  // The gateway's clock is 5 s ahead of this device's: its server_time is NOW + 5000 when received at NOW.
  room.apply(roomState(1, { server_time: NOW + 5000,
    timer: timer('running', { server_time: NOW + 5000, ends_at: NOW + 5000 + 60_000, remaining_ms: 60_000 }) }));
  assert.equal(room.clockOffset(), 5000);
  assert.equal(room.remainingMs(), 60_000);
  mock.timers.tick(10_000);
  assert.equal(room.remainingMs(), 50_000);
  mock.timers.tick(100_000);
  assert.equal(room.remainingMs(), 0, 'never below 0');
  room.apply({ type: 'timer_updated', data: { room_id: 'r1', ...timer('paused', { version: 300, remaining_ms: 1234 }) } });
  assert.equal(room.remainingMs(), 1234, 'a paused timer shows what was left');
});

test('a room connection emits room for each applied change only, and send() needs a connection', async () => {
  const client = new RealtimeClient({ url: 'ws://gateway.test', getToken: () => 't', WebSocket: FakeSocket });
  const room = client.room('r1');
  const states = [];
  room.on('room', (s) => states.push(s.version));
  assert.equal(room.send({ type: 'timer_start', data: { duration_s: 60 } }), false);
  await settle();
  assert.equal(FakeSocket.last.url.pathname, '/ws/room/r1');
  FakeSocket.last.open();
  FakeSocket.last.receive(roomState(10));
  assert.equal(room.state, 'connected');
  FakeSocket.last.receive({ type: 'settings_updated', data: { room_id: 'r1', settings: {}, version: 9 } });
  FakeSocket.last.receive({ type: 'settings_updated', data: { room_id: 'r1', settings: {}, version: 11 } });
  assert.deepEqual(states, [10, 10]);
  assert.equal(room.send({ type: 'timer_start', data: { duration_s: 60 } }), true);
  assert.deepEqual(FakeSocket.last.sent, [{ type: 'timer_start', data: { duration_s: 60 } }]);
  assert.deepEqual(room.roomState.settings, {});
  assert.equal(room.remainingMs(), 1_500_000);
});
