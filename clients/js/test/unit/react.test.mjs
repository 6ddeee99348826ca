// The React hooks on a fake socket: what they return, and that useRoom/useChat join while mounted.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, test } from 'node:test';
import { createElement } from 'react';
import TestRenderer from 'react-test-renderer';
import { RealtimeClient } from '../../dist/index.js';
import { RealtimeProvider, useChat, useNotifications, useRoom } from '../../dist/react.js';
import { FakeSocket, settle } from '../support/fake-socket.mjs';

let clients; // the clients of the current test, closed after it (their timers would keep the process alive)
beforeEach(() => {
  FakeSocket.reset();
  clients = [];
});
afterEach(() => clients.forEach((c) => c.close()));

function newClient() {
  const client = new RealtimeClient({ url: 'ws://gw.test', getToken: () => 't', WebSocket: FakeSocket });
  clients.push(client);
  return client;
}

function render(client, Component) {
  return TestRenderer.create(createElement(RealtimeProvider, { client }, createElement(Component)));
}

/** Waits for React's passive effects (scheduled, not run during render in legacy mode). */
async function effects() {
  for (let i = 0; i < 5; i++) await settle();
}

test('useChat returns { state, messages, send }, follows the chat, and leaves it on unmount', async () => {
  const client = newClient();
  let chat;
  const renderer = render(client, () => {
    chat = useChat('m1');
    return null;
  });
  await effects();
  assert.deepEqual(Object.keys(chat).sort(), ['messages', 'send', 'state']);
  const socket = FakeSocket.last;
  socket.accept({ type: 'connected', message: 'Connected to chat', user_id: 'alice', room_id: 'm1' });
  assert.equal(chat.state, 'connected');
  const id = chat.send('hi');
  assert.deepEqual(socket.sent, [{ type: 'message', data: { content: 'hi', client_msg_id: id } }]);
  socket.receive({ type: 'message', data: { message_id: 1, room_id: 'm1', sender_id: 'alice', content: 'hi',
    client_msg_id: id, created_at: '2026-01-01T00:00:00Z' } });
  assert.deepEqual(chat.messages.map((m) => m.content), ['hi']);
  renderer.unmount();
  await effects();
  assert.equal(socket.closedWith, 1000, 'unmounting leaves the chat');
  assert.throws(() => chat.send('late'), /unmounted/);
  assert.equal(FakeSocket.instances.length, 1, 'a late send does not join again');
});

test('useRoom returns { state, roomState, remainingMs, send } and leaves the room on unmount', async () => {
  const client = newClient();
  let room;
  const renderer = render(client, () => {
    room = useRoom('r1');
    return null;
  });
  await effects();
  assert.deepEqual(Object.keys(room).sort(), ['remainingMs', 'roomState', 'send', 'state']);
  assert.equal(room.remainingMs(), null);
  FakeSocket.last.accept({ type: 'room_state', data: { room_id: 'r1', participants: [], participant_count: 1,
    timer: { status: 'paused', duration_s: 60, remaining_ms: 42_000, ends_at: null, server_time: Date.now(),
      version: 1, updated_by: 'a' }, settings: {}, version: 2, server_time: Date.now() } });
  assert.equal(room.state, 'connected');
  assert.equal(room.roomState.participant_count, 1);
  assert.equal(room.remainingMs(), 42_000);
  assert.equal(room.send({ type: 'timer_resume' }), true);
  renderer.unmount();
  await effects();
  assert.equal(FakeSocket.last.closedWith, 1000);
});

test('useNotifications lists notifications newest first, calls back with frame.data, and needs a provider', async () => {
  const client = newClient();
  let hook;
  const called = [];
  render(client, () => {
    hook = useNotifications((data) => called.push(data.title));
    return null;
  });
  await effects();
  FakeSocket.last.accept();
  assert.equal(hook.isConnected, true);
  FakeSocket.last.receive({ type: 'notification', data: { title: 'one' } });
  FakeSocket.last.receive({ type: 'notification', data: { title: 'two' } });
  assert.deepEqual(hook.notifications, [{ title: 'two' }, { title: 'one' }]);
  assert.deepEqual(called, ['one', 'two']);
  hook.disconnect();
  assert.equal(hook.isConnected, false);
  assert.equal(client.notifications().state, 'stopped');
  hook.connect();
  assert.equal(client.notifications().state, 'connecting');
  assert.throws(() => TestRenderer.create(createElement(() => useNotifications())), /RealtimeProvider/);
});
