// Tokens against the real launcher jar and a real redis-server: a refused token stops the client; an expiring one is
// refreshed in-band, on the same socket.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import WebSocket from 'ws';
import { RealtimeClient } from '../../dist/index.js';
import { killAll, publish, startGateway, startRedis, token, uniqueUser, waitFor } from '../support/processes.mjs';

let redis;
let gateway;
before(async () => {
  redis = await startRedis();
  // A connection is closed 1 s after its token's exp; token_expiring comes up to 60 s (the default window) before.
  gateway = await startGateway({ REDIS_URL: redis.url, JWT_CLOCK_SKEW: '1s' });
});
after(async () => {
  redis?.client.close();
  await killAll();
});

test('a token the gateway refuses stops the client at once, state stopped, with AUTH_ERROR and close 1008', async () => {
  let calls = 0;
  const client = new RealtimeClient({
    url: gateway.url, WebSocket, backoffBase: 10, backoffCap: 20,
    getToken: () => {
      calls++;
      return token(uniqueUser('mallory'), { secret: 'not-the-gateway-secret-0123456789abcdef' });
    },
  });
  const notifications = client.notifications();
  const errors = [];
  notifications.on('error', (e) => errors.push(e.code));
  const stopped = await new Promise((resolve) => notifications.on('stopped', resolve));
  try {
    assert.equal(notifications.state, 'stopped');
    assert.equal(stopped.code, 1008);
    assert.equal(stopped.reason, 'Authentication failed');
    assert.equal(stopped.error.code, 'AUTH_ERROR');
    assert.match(stopped.error.message, /^Authentication failed/);
    assert.deepEqual(errors, ['AUTH_ERROR']);
    assert.equal(calls, 1, 'no second attempt: nothing is scheduled once stopped');
  } finally {
    client.close();
  }
});

test('an expiring token is refreshed in-band: the connection outlives the first token without a reconnect', async () => {
  const user = uniqueUser('refresher');
  const issued = [];
  const client = new RealtimeClient({
    url: gateway.url, WebSocket,
    getToken: () => {
      issued.push(Date.now());
      return token(user, { expiresInS: issued.length === 1 ? 2 : 3600 }); // the first expires in 2 s
    },
  });
  const notifications = client.notifications();
  const states = [];
  const types = [];
  let expiring;
  notifications.on('state', (s) => states.push(s));
  notifications.on('frame', (f) => {
    types.push(f.type);
    if (f.type === 'token_expiring') expiring = f.data.expires_at;
  });
  const received = [];
  notifications.on('notification', (f) => received.push(f.data.n));
  try {
    await waitFor('refreshed', () => types.includes('refreshed'));
    assert.ok(expiring > Date.now() - 5000, 'token_expiring came with the first token\'s expiry');
    assert.equal(issued.length, 2, 'one token to connect, one to refresh');
    // Past the first token's expiry (+ the gateway's once-a-second check), the same socket still delivers.
    await waitFor('the first token\'s expiry to pass', () => Date.now() > expiring + 1500, 10_000);
    await publish(redis.client, `notifications:user:${user}`, { type: 'notification', data: { n: 1 } });
    await waitFor('a notification after the old expiry', () => received.length === 1);
    assert.deepEqual(states, ['connected'], 'no reconnect');
    assert.equal(types.filter((t) => t === 'connected').length, 1);
  } finally {
    client.close();
  }
});
