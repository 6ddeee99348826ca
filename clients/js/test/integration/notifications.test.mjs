// The notifications connection against the real launcher jar and a real redis-server.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { RealtimeClient } from '../../dist/index.js';
import { killAll, publish, startGateway, startRedis, token, uniqueUser, waitFor } from '../support/processes.mjs';

let redis;
before(async () => {
  redis = await startRedis();
});
after(async () => {
  redis?.client.close();
  await killAll();
});

/** Publishes notifications numbered from..to, in order, pipelined. */
function publishRange(channel, from, to) {
  const all = [];
  for (let n = from; n <= to; n++) all.push(publish(redis.client, channel, { type: 'notification', data: { n } }));
  return Promise.all(all);
}

test('a client moved across a killed and restarted gateway and a second instance sees each of 1000 offsets exactly once', async () => {
  const env = { REDIS_URL: redis.url, NOTIFICATION_HISTORY_SIZE: '2000' };
  let first = await startGateway(env);
  const user = uniqueUser('mover');
  const channel = `notifications:user:${user}`;
  let target = first.url; // where the next attempt goes; the test moves it
  const client = new RealtimeClient({
    url: () => target, getToken: () => token(user), WebSocket, backoffBase: 50, backoffCap: 400,
  });
  const seen = new Map(); // offset -> how many times delivered
  const gaps = [];
  const states = [];
  const notifications = client.notifications();
  notifications.on('notification', (frame) => seen.set(frame.offset, (seen.get(frame.offset) ?? 0) + 1));
  notifications.on('gap', (c) => gaps.push(c));
  notifications.on('state', (s) => states.push(s));
  try {
    await waitFor('connected', () => notifications.state === 'connected');
    await publishRange(channel, 1, 200);
    await Promise.all([publishRange(channel, 201, 400), first.kill()]); // SIGKILL while publishing
    await Promise.all([publishRange(channel, 401, 500), (async () => { first = await first.restart(); })()]);
    await waitFor('500 notifications after the restart', () => seen.size >= 500 && notifications.state === 'connected');

    const second = await startGateway(env);
    target = second.url;
    await Promise.all([publishRange(channel, 501, 800), first.kill()]); // the client moves to the second instance
    await publishRange(channel, 801, 1000);
    await waitFor('1000 notifications', () => seen.size >= 1000, 30_000);
    await waitFor('connected to the second instance', () => notifications.state === 'connected');
  } finally {
    client.close();
  }
  const wrong = [...Array(1000).keys()].map((i) => i + 1).filter((offset) => seen.get(offset) !== 1);
  assert.deepEqual(wrong, [], 'offsets not seen exactly once');
  assert.equal(seen.size, 1000);
  assert.deepEqual(gaps, []);
  assert.ok(states.filter((s) => s === 'connected').length >= 3, `three connects at least: ${states}`);
  assert.ok(notifications.positions().user.endsWith(':1000'), JSON.stringify(notifications.positions()));
});

test('a gateway that stops answering (SIGSTOP: connected but deaf) is left after the pong timeout, without losing a notification', async () => {
  const env = { REDIS_URL: redis.url, NOTIFICATION_HISTORY_SIZE: '2000' };
  const [frozen, healthy] = await Promise.all([startGateway(env), startGateway(env)]);
  const user = uniqueUser('deaf');
  const channel = `notifications:user:${user}`;
  let target = frozen.url;
  const client = new RealtimeClient({
    url: () => target, getToken: () => token(user), WebSocket, pingInterval: 300, pongTimeout: 500, backoffBase: 50,
  });
  const notifications = client.notifications();
  const offsets = [];
  notifications.on('notification', (frame) => offsets.push(frame.offset));
  try {
    await waitFor('connected', () => notifications.state === 'connected');
    await publishRange(channel, 1, 10);
    await waitFor('the first ten', () => offsets.length === 10);
    target = healthy.url;
    frozen.process.kill('SIGSTOP'); // the TCP connection stays up; nothing comes back any more
    await publishRange(channel, 11, 20);
    await waitFor('reconnecting', () => notifications.state === 'reconnecting', 5_000);
    await waitFor('the ten published meanwhile', () => offsets.length === 20, 10_000);
  } finally {
    client.close();
    await frozen.kill();
  }
  assert.deepEqual(offsets, [...Array(20).keys()].map((i) => i + 1));
});
