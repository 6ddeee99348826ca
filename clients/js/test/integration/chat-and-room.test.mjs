// Chat and rooms against the real launcher jar and a real redis-server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { RealtimeClient } from '../../dist/index.js';
import { killAll, startGateway, startRedis, token, uniqueUser, waitFor } from '../support/processes.mjs';

let redis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  redis?.client.close();
  await killAll();
});

const clientOf = (user, url) => new RealtimeClient({
  url, getToken: () => token(user), WebSocket, backoffBase: 50, backoffCap: 400,
});

test('chat messages sent while the gateway is down are delivered once each when it is back', async () => {
  const env = { REDIS_URL: redis.url, CHAT_MEMBERSHIP: 'open' };
  let gateway = await startGateway(env);
  const other = await startGateway(env);
  const room = uniqueUser('match');
  const alice = clientOf(uniqueUser('alice'), () => gateway.url);
  const bob = clientOf(uniqueUser('bob'), other.url); // on another instance, connected throughout
  const sent = alice.chat(room);
  const seen = bob.chat(room);
  try {
    await waitFor('both connected', () => sent.state === 'connected' && seen.state === 'connected');
    sent.send('before');
    await waitFor('the first message', () => seen.messages.length === 1);
    sent.send('edge'); // maybe stored, maybe not: the gateway dies right away
    await gateway.kill();
    await waitFor('alice reconnecting', () => sent.state === 'reconnecting');
    const ids = ['o1', 'o2', 'o3'].map((text) => sent.send(text));
    assert.equal(new Set(ids).size, 3);
    assert.ok(sent.pending.length >= 3, 'queued while disconnected');
    gateway = await gateway.restart();
    await waitFor('every message at bob', () => seen.messages.length >= 5);
    await waitFor('every message back at alice', () => sent.messages.length >= 5 && sent.pending.length === 0);
  } finally {
    alice.close();
    bob.close();
  }
  const contents = (chat) => chat.messages.map((m) => m.content);
  assert.deepEqual(contents(seen), ['before', 'edge', 'o1', 'o2', 'o3'], 'once each, in order');
  assert.deepEqual(contents(sent), ['before', 'edge', 'o1', 'o2', 'o3']);
  assert.deepEqual(seen.messages.map((m) => m.message_id), [1, 2, 3, 4, 5]);
});

test('a room shows the state the gateway keeps, and a started timer counts down from its duration', async () => {
  const gateway = await startGateway({ REDIS_URL: redis.url });
  const user = uniqueUser('carol');
  const client = clientOf(user, gateway.url);
  const room = client.room(uniqueUser('focus'));
  try {
    await waitFor('room_state', () => room.state === 'connected' && room.roomState);
    assert.deepEqual(room.roomState.participants, [{ user_id: user }]);
    assert.equal(room.roomState.timer.status, 'idle');
    assert.equal(room.send({ type: 'timer_start', data: { duration_s: 60 } }), true);
    await waitFor('the timer running', () => room.roomState.timer.status === 'running');
    const left = room.remainingMs();
    assert.ok(left > 50_000 && left <= 60_000, `remaining ${left}`);
    assert.ok(Math.abs(room.clockOffsetMs()) < 5_000, 'same machine: a small offset');
    room.reconnectNow();
    await waitFor('a fresh room_state after a reconnect', () => room.state === 'connected');
    assert.equal(room.roomState.timer.status, 'running');
  } finally {
    client.close();
  }
});
