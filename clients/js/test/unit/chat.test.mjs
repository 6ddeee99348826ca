// The chat connection: queued sends, dedup by message id, resume with last_message_id; on a fake socket.
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

const CONNECTED = { type: 'connected', message: 'Connected to chat', user_id: 'alice', room_id: 'm1' };
const msg = (id, extra = {}) => ({ message_id: id, room_id: 'm1', sender_id: 'bob', content: `m${id}`,
  client_msg_id: null, created_at: '2026-01-01T00:00:00Z', ...extra });
const history = (messages, last, recovered = true) =>
  ({ type: 'history', data: { room_id: 'm1', messages, recovered, last_message_id: last } });

async function start() {
  const client = new RealtimeClient({ url: 'ws://gateway.test', getToken: () => 't', WebSocket: FakeSocket });
  const chat = client.chat('m1');
  const delivered = [];
  chat.on('message', (m) => delivered.push(m.message_id));
  await settle();
  return { chat, delivered };
}

async function reconnect() {
  FakeSocket.last.serverClose(1006);
  mock.timers.tick(0);
  await settle();
  return FakeSocket.last;
}

test('the chat joins with last_message_id=0 and delivers the history, then live messages, each once', async () => {
  const { chat, delivered } = await start();
  const socket = FakeSocket.last;
  assert.equal(socket.url.pathname, '/api/v1/matching/chat/m1/ws');
  assert.equal(socket.url.searchParams.get('last_message_id'), '0');
  socket.accept(CONNECTED);
  socket.receive(history([msg(1), msg(2)], 2));
  socket.receive({ type: 'message', data: msg(2) });
  socket.receive({ type: 'message', data: msg(3) });
  socket.receive({ type: 'message', data: msg(3) });
  assert.deepEqual(delivered, [1, 2, 3]);
  assert.deepEqual(chat.messages.map((m) => m.message_id), [1, 2, 3]);
  const next = await reconnect();
  assert.equal(next.url.searchParams.get('last_message_id'), '3');
});

test('messages sent while disconnected are queued and sent in order on reconnect, with the same client_msg_id', async () => {
  const { chat, delivered } = await start();
  FakeSocket.last.accept(CONNECTED);
  FakeSocket.last.receive(history([], 0));
  const a = chat.send('a');
  assert.deepEqual(FakeSocket.last.sent, [{ type: 'message', data: { content: 'a', client_msg_id: a } }]);
  FakeSocket.last.serverClose(1006); // 'a' may or may not have been stored
  const b = chat.send('b');
  const c = chat.send('c');
  assert.equal(new Set([a, b, c]).size, 3);
  mock.timers.tick(0);
  await settle();
  const socket = FakeSocket.last;
  assert.deepEqual(socket.sent, [], 'nothing before the gateway accepts');
  socket.accept(CONNECTED);
  assert.deepEqual(socket.sent.map((f) => [f.data.content, f.data.client_msg_id]), [['a', a], ['b', b], ['c', c]]);
  socket.receive(history([msg(1, { content: 'a', client_msg_id: a, sender_id: 'alice' })], 1)); // 'a' had been stored
  socket.receive({ type: 'message', data: msg(1, { content: 'a', client_msg_id: a }) }); // the retry's echo
  socket.receive({ type: 'message', data: msg(2, { content: 'b', client_msg_id: b }) });
  socket.receive({ type: 'message', data: msg(3, { content: 'c', client_msg_id: c }) });
  assert.deepEqual(delivered, [1, 2, 3]);
  assert.deepEqual(chat.pending, []);
  const after = await reconnect();
  after.accept(CONNECTED);
  assert.deepEqual(after.sent, [], 'echoed messages are not sent again');
});

test('RATE_LIMITED leaves the message pending and it is sent again later with the same client_msg_id', async () => {
  const { chat } = await start();
  const socket = FakeSocket.last;
  socket.accept(CONNECTED);
  socket.receive(history([], 0));
  const id = chat.send('hello');
  socket.receive({ type: 'error', code: 'RATE_LIMITED', message: 'Too many chat messages' });
  mock.timers.tick(1000);
  assert.deepEqual(socket.sent.map((f) => f.data.client_msg_id), [id, id]);
});

test('a jump in live ids (messages lost live) reconnects to get them from the history, in order', async () => {
  const { delivered } = await start();
  FakeSocket.last.accept(CONNECTED);
  FakeSocket.last.receive(history([msg(1)], 1));
  FakeSocket.last.receive({ type: 'message', data: msg(4) });
  assert.deepEqual(delivered, [1]);
  mock.timers.tick(0);
  await settle();
  assert.equal(FakeSocket.instances.length, 2);
  assert.equal(FakeSocket.last.url.searchParams.get('last_message_id'), '1');
  FakeSocket.last.accept(CONNECTED);
  FakeSocket.last.receive(history([msg(2), msg(3), msg(4)], 4));
  assert.deepEqual(delivered, [1, 2, 3, 4]);
});

test('a history not fully recovered emits gap; ids that restarted below ours drop the cached messages', async () => {
  const { chat } = await start();
  const gaps = [];
  chat.on('gap', (c) => gaps.push(c));
  FakeSocket.last.accept(CONNECTED);
  FakeSocket.last.receive(history([msg(5), msg(6)], 6, false));
  assert.deepEqual(gaps, ['matching:chat:m1']);
  const socket = await reconnect();
  socket.accept(CONNECTED);
  socket.receive(history([msg(1)], 1, false)); // the room's Redis lost its data: ids start at 1 again
  assert.deepEqual(chat.messages.map((m) => m.message_id), [1]);
  assert.equal(gaps.length, 2);
});

test('send() refuses a blank or too long message instead of queueing what the gateway would refuse', async () => {
  const { chat } = await start();
  assert.throws(() => chat.send('   '), RangeError);
  assert.throws(() => chat.send('x'.repeat(2001)), RangeError);
  assert.deepEqual(chat.pending, []);
});

test('typing and read are sent while connected and dropped (returning false) while disconnected', async () => {
  const { chat } = await start();
  assert.equal(chat.typing(true), false, 'not accepted yet');
  FakeSocket.last.accept(CONNECTED);
  await settle();
  assert.equal(chat.typing(true), true);
  assert.equal(chat.read(7), true);
  assert.deepEqual(FakeSocket.last.sent.filter((f) => f.type !== 'message').slice(-2),
    [{ type: 'typing', data: { is_typing: true } }, { type: 'read', data: { message_id: 7 } }]);
  FakeSocket.last.serverClose(1006);
  await settle();
  assert.equal(chat.read(8), false);
});
