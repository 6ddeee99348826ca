// The client: URLs per attempt, one connection per endpoint, and browser wake-ups.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { RealtimeClient } from '../../dist/index.js';
import { FakeSocket, settle } from '../support/fake-socket.mjs';

beforeEach(() => {
  FakeSocket.reset();
  mock.timers.enable({ apis: ['setTimeout', 'setInterval'] });
});
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
  delete globalThis.window;
  delete globalThis.document;
});

const make = (options) => new RealtimeClient({ getToken: () => 't', WebSocket: FakeSocket, ...options });

test('several URLs are tried in turn, one per attempt; http(s) becomes ws(s) and a trailing slash is dropped', async () => {
  mock.method(Math, 'random', () => 0);
  make({ url: ['http://one.test:8000/', 'wss://two.test'] }).notifications();
  for (let i = 0; i < 3; i++) {
    await settle();
    FakeSocket.last.serverClose(1006);
    mock.timers.tick(0);
  }
  await settle();
  assert.deepEqual(FakeSocket.instances.map((s) => s.url.host), ['one.test:8000', 'two.test', 'one.test:8000', 'two.test']);
  assert.equal(FakeSocket.instances[0].url.protocol, 'ws:');
  assert.equal(FakeSocket.instances[0].url.pathname, '/api/v1/notifications/ws');
});

test('a url function is called once per attempt', async () => {
  let calls = 0;
  make({ url: () => `ws://gw${++calls}.test` }).notifications();
  await settle();
  assert.equal(FakeSocket.last.url.host, 'gw1.test');
});

test('one notifications connection per client; one open connection per room or chat id until it is closed', async () => {
  const client = make({ url: 'ws://gw.test' });
  assert.equal(client.notifications(), client.notifications());
  const room = client.room('r1');
  assert.equal(client.room('r1'), room);
  assert.notEqual(client.chat('r1'), room);
  room.close();
  assert.notEqual(client.room('r1'), room, 'a closed room is left; asking again joins anew');
  assert.throws(() => client.room('bad id'), RangeError);
  client.close();
  assert.throws(() => client.notifications(), /closed/);
});

test('without a WebSocket class the client says what to pass', () => {
  assert.throws(() => new RealtimeClient({ url: 'ws://x', getToken: () => 't' }), /options\.WebSocket/);
});

test('in a browser, online and visibilitychange to visible cut a long backoff short; hidden does not', async () => {
  mock.method(Math, 'random', () => 0.99);
  globalThis.window = new EventTarget();
  globalThis.document = Object.assign(new EventTarget(), { visibilityState: 'hidden' });
  const client = make({ url: 'ws://gw.test', backoffBase: 60_000, backoffCap: 60_000 });
  const n = client.notifications();
  await settle();
  FakeSocket.last.serverClose(1006);
  globalThis.document.dispatchEvent(new Event('visibilitychange'));
  await settle();
  assert.equal(FakeSocket.instances.length, 1, 'still hidden: keep waiting');
  globalThis.window.dispatchEvent(new Event('online'));
  await settle();
  assert.equal(FakeSocket.instances.length, 2, 'back online: at once');
  FakeSocket.last.serverClose(1006);
  globalThis.document.visibilityState = 'visible';
  globalThis.document.dispatchEvent(new Event('visibilitychange'));
  await settle();
  assert.equal(FakeSocket.instances.length, 3, 'visible again: at once');
  FakeSocket.last.accept();
  globalThis.window.dispatchEvent(new Event('online'));
  assert.deepEqual(FakeSocket.last.sent, [{ type: 'ping' }], 'a connected socket is checked with a ping');
  assert.equal(n.state, 'connected');
  client.close();
  FakeSocket.last.serverClose(1006);
  globalThis.window.dispatchEvent(new Event('online'));
  await settle();
  assert.equal(FakeSocket.instances.length, 3, 'a closed client no longer listens');
});

test('reconnectOnOnline: false ignores the browser events', async () => {
  mock.method(Math, 'random', () => 0.99);
  globalThis.window = new EventTarget();
  make({ url: 'ws://gw.test', reconnectOnOnline: false }).notifications();
  await settle();
  FakeSocket.last.serverClose(1006);
  globalThis.window.dispatchEvent(new Event('online'));
  await settle();
  assert.equal(FakeSocket.instances.length, 1);
});

test('client.reconnectNow() moves every connection to a new socket at once, except those the application closed', async () => {
  const client = make({ url: 'ws://gw.test' });
  const n = client.notifications();
  const chat = client.chat('c1');
  const left = client.room('r1');
  await settle();
  left.close();
  for (const s of FakeSocket.instances.slice(0, 2)) s.accept();
  client.reconnectNow();
  await settle();
  assert.equal(FakeSocket.instances.length, 5);
  assert.equal(left.state, 'stopped', 'a room the application left is not joined again');
  assert.deepEqual(FakeSocket.instances.map((s) => s.closedWith), [1000, 1000, 1000, undefined, undefined]);
  assert.equal(n.state, 'reconnecting');
  assert.equal(chat.state, 'reconnecting');
});
