// Recovery positions, dedup and gaps of the notifications connection, on a fake socket.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { RealtimeClient } from '../../dist/index.js';
import { FakeSocket, settle } from '../support/fake-socket.mjs';

beforeEach(() => {
  FakeSocket.reset();
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
  mock.method(Math, 'random', () => 0);
});
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

const USER = 'notifications:user:alice';
const BROADCAST = 'notifications:broadcast';
const note = (channel, epoch, offset) => ({ type: 'notification', data: { offset }, channel, offset, epoch });
const connected = (recovery) => ({ type: 'connected', message: 'Connected', user_id: 'alice', recovery });

async function start(options = {}) {
  const client = new RealtimeClient({
    url: 'ws://gateway.test', getToken: () => 't', WebSocket: FakeSocket, reconnectOnOnline: false, ...options,
  });
  const n = client.notifications();
  const events = { notifications: [], gaps: [], frames: [] };
  n.on('notification', (f) => events.notifications.push(`${f.channel === USER ? 'u' : 'b'}${f.offset}`));
  n.on('gap', (c) => events.gaps.push(c));
  n.on('frame', (f) => events.frames.push(f.type));
  await settle();
  return { n, events };
}

async function reconnect(recovery) {
  FakeSocket.last.serverClose(1006);
  mock.timers.tick(0);
  await settle();
  FakeSocket.last.accept(connected(recovery));
  return FakeSocket.last.url.searchParams;
}

test('a frame whose offset was already seen is dropped; positions follow the newest of each channel', async () => {
  const { n, events } = await start();
  FakeSocket.last.accept(connected({ user: { epoch: 'e1', offset: 0 }, broadcast: { epoch: 'b1', offset: 7 } }));
  for (const [c, o] of [[USER, 1], [USER, 2], [USER, 2], [BROADCAST, 8], [USER, 1], [USER, 3], [BROADCAST, 8]]) {
    FakeSocket.last.receive(note(c, c === USER ? 'e1' : 'b1', o));
  }
  assert.deepEqual(events.notifications, ['u1', 'u2', 'b8', 'u3']);
  assert.equal(events.frames.filter((t) => t === 'notification').length, 4, 'duplicates are not even raw frames');
  assert.deepEqual(n.positions(), { user: 'e1:3', broadcast: 'b1:8' });
});

test('a reconnect resumes with since and broadcast_since; a first connect asks recover=true', async () => {
  const { events } = await start();
  assert.equal(FakeSocket.last.url.searchParams.get('recover'), 'true');
  FakeSocket.last.accept(connected({ user: { epoch: 'e1', offset: 4 }, broadcast: { epoch: 'b1', offset: 0 } }));
  FakeSocket.last.receive(note(USER, 'e1', 5));
  const query = await reconnect({ user: { epoch: 'e1', offset: 6, recovered: true },
    broadcast: { epoch: 'b1', offset: 0, recovered: true } });
  assert.equal(query.get('since'), 'e1:5');
  assert.equal(query.get('broadcast_since'), 'b1:0');
  assert.equal(query.get('recover'), null);
  FakeSocket.last.receive(note(USER, 'e1', 5)); // the replay may overlap what was seen
  FakeSocket.last.receive(note(USER, 'e1', 6));
  assert.deepEqual(events.notifications, ['u5', 'u6']);
  assert.deepEqual(events.gaps, []);
});

test('recovered:false emits one gap for that channel and continues from the gateway\'s new position', async () => {
  const { n, events } = await start({ positions: { user: 'old:40', broadcast: 'b1:3' } });
  FakeSocket.last.accept(connected({ user: { epoch: 'new', offset: 2, recovered: false },
    broadcast: { epoch: 'b1', offset: 3, recovered: true } }));
  assert.deepEqual(events.gaps, [USER]);
  assert.deepEqual(n.positions(), { user: 'new:2', broadcast: 'b1:3' });
  FakeSocket.last.receive(note(USER, 'new', 2));
  FakeSocket.last.receive(note(USER, 'new', 3));
  assert.deepEqual(events.notifications, ['u3']);
  await reconnect({ user: { epoch: 'new', offset: 3, recovered: true }, broadcast: { epoch: 'b1', offset: 3, recovered: true } });
  assert.deepEqual(events.gaps, [USER], 'still one gap');
});

test('saved positions are handed back on the first connect; a malformed one is dropped rather than sent', async () => {
  await start({ positions: { user: 'h7Qm2Xb1:42', broadcast: 'bad position' } });
  const query = FakeSocket.last.url.searchParams;
  assert.equal(query.get('since'), 'h7Qm2Xb1:42');
  assert.equal(query.get('broadcast_since'), null);
  assert.equal(query.get('recover'), null);
});

test('a frame of a new epoch is new, whatever its offset', async () => {
  const { n, events } = await start();
  FakeSocket.last.accept(connected({ user: { epoch: 'e1', offset: 9 }, broadcast: { epoch: 'b1', offset: 0 } }));
  FakeSocket.last.receive(note(USER, 'e2', 1));
  assert.deepEqual(events.notifications, ['u1']);
  assert.equal(n.positions().user, 'e2:1');
});

test('frames without a position (another channel type, a raw PUBLISH) are delivered as they are', async () => {
  const { events } = await start();
  FakeSocket.last.accept(connected(undefined));
  FakeSocket.last.receive({ type: 'notification', data: {} });
  FakeSocket.last.receive({ type: 'notification', data: {} });
  FakeSocket.last.receive({ type: 'announcement', data: {} });
  assert.equal(events.notifications.length, 2);
  assert.deepEqual(events.frames, ['connected', 'notification', 'notification', 'announcement']);
});
