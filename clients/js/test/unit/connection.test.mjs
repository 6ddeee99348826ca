// The life of a connection (shown on notifications; rooms and chats share it), on fake timers and a fake socket.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, mock, test } from 'node:test';
import { RealtimeClient } from '../../dist/index.js';
import { FakeSocket, settle } from '../support/fake-socket.mjs';

let tokens; // how many tokens getToken() gave

beforeEach(() => {
  FakeSocket.reset();
  tokens = 0;
  mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'], now: 1_000_000 });
});
afterEach(() => {
  mock.timers.reset();
  mock.restoreAll();
});

function client(options = {}) {
  return new RealtimeClient({
    url: 'ws://gateway.test', getToken: async () => `token ${++tokens}`, WebSocket: FakeSocket,
    reconnectOnOnline: false, ...options,
  });
}

async function tick(ms) {
  mock.timers.tick(ms);
  await settle();
}

test('a connect takes a fresh token from getToken() into the query, URL-encoded, with recover=true', async () => {
  const n = client().notifications();
  await settle();
  const url = FakeSocket.last.url;
  assert.equal(url.origin + url.pathname, 'ws://gateway.test/api/v1/notifications/ws');
  assert.equal(url.searchParams.get('token'), 'token 1');
  assert.match(url.search, /token=token%201/);
  assert.equal(url.searchParams.get('recover'), 'true');
  assert.equal(n.state, 'connecting');
  FakeSocket.last.accept();
  assert.equal(n.state, 'connected');
});

test('retries back off exponentially up to the cap, with full jitter, and the count resets after a connect', async () => {
  mock.method(Math, 'random', () => 0.9999);
  const n = client({ backoffBase: 1000, backoffCap: 3000 }).notifications();
  await settle();
  const waits = [];
  for (let i = 0; i < 4; i++) {
    const before = FakeSocket.instances.length;
    FakeSocket.last.serverClose(1006);
    let waited = 0;
    while (FakeSocket.instances.length === before) {
      await tick(1);
      waited += 1;
    }
    waits.push(waited);
  }
  assert.deepEqual(waits, [999, 1999, 2999, 2999]); // floor(ceiling * 0.9999): 1 s, 2 s, then the 3 s cap
  assert.equal(n.state, 'reconnecting');
  FakeSocket.last.accept();
  FakeSocket.last.serverClose(1001);
  await tick(998);
  assert.equal(FakeSocket.instances.length, 5, 'not yet: the first delay again');
  await tick(1);
  assert.equal(FakeSocket.instances.length, 6);
});

test('a zero random draw retries at once: the jitter goes all the way down to 0', async () => {
  mock.method(Math, 'random', () => 0);
  client().notifications();
  await settle();
  FakeSocket.last.serverClose(1006);
  await tick(0);
  assert.equal(FakeSocket.instances.length, 2);
});

test('after maxAttempts failures in a row the connection stops and says why', async () => {
  const n = client({ maxAttempts: 3, backoffBase: 10, backoffCap: 10 }).notifications();
  const stopped = [];
  n.on('stopped', (s) => stopped.push(s));
  await settle();
  for (let i = 0; i < 3; i++) {
    FakeSocket.last.serverClose(1011, 'Internal error');
    await tick(10);
  }
  assert.equal(n.state, 'stopped');
  assert.deepEqual(stopped, [{ code: 1011, reason: 'Internal error' }]);
  await tick(60_000);
  assert.equal(FakeSocket.instances.length, 3, 'no fourth attempt');
});

test('1000, 1003 and 1008 stop the connection, with the reason and the error frame that came before', async () => {
  for (const code of [1000, 1003, 1008]) {
    FakeSocket.reset();
    const n = client().notifications();
    const stopped = [];
    n.on('stopped', (s) => stopped.push(s));
    await settle();
    FakeSocket.last.open();
    FakeSocket.last.receive({ type: 'error', code: 'AUTH_ERROR', message: 'Authentication failed: invalid token' });
    FakeSocket.last.serverClose(code, 'Authentication failed');
    await tick(120_000);
    assert.equal(n.state, 'stopped', String(code));
    assert.deepEqual(stopped, [{ code, reason: 'Authentication failed',
      error: { code: 'AUTH_ERROR', message: 'Authentication failed: invalid token' } }]);
    assert.equal(FakeSocket.instances.length, 1, `no retry after ${code}`);
  }
});

test('every other close code is retried: 4003 (token expired) at once with a new token, the rest after a backoff', async () => {
  mock.method(Math, 'random', () => 0.5);
  const n = client({ backoffBase: 1000 }).notifications();
  await settle();
  FakeSocket.last.accept();
  FakeSocket.last.serverClose(4003, 'Token expired');
  await tick(0);
  assert.equal(FakeSocket.instances.length, 2);
  assert.equal(FakeSocket.last.url.searchParams.get('token'), 'token 2');
  for (const code of [1001, 1006, 1009, 1011, 1012, 4000, 4001, 4008]) {
    const before = FakeSocket.instances.length;
    FakeSocket.last.accept();
    FakeSocket.last.serverClose(code);
    assert.equal(n.state, 'reconnecting', String(code));
    await tick(499);
    assert.equal(FakeSocket.instances.length, before, `backoff after ${code}`);
    await tick(1);
    assert.equal(FakeSocket.instances.length, before + 1, `retried after ${code}`);
  }
});

test('a ping every pingInterval; no frame within pongTimeout after it closes the socket and reconnects', async () => {
  mock.method(Math, 'random', () => 0);
  const n = client({ pingInterval: 30_000, pongTimeout: 10_000 }).notifications();
  await settle();
  const socket = FakeSocket.last;
  socket.accept();
  await tick(30_000);
  assert.deepEqual(socket.sent, [{ type: 'ping' }]);
  socket.receive({ type: 'pong' });
  await tick(30_000);
  assert.deepEqual(socket.sent, [{ type: 'ping' }, { type: 'ping' }]);
  await tick(9_999);
  assert.equal(n.state, 'connected', 'still within the pong timeout');
  await tick(1);
  assert.equal(socket.closedWith, 'terminate');
  assert.equal(n.state, 'reconnecting');
  await tick(0);
  assert.equal(FakeSocket.instances.length, 2);
  socket.receive({ type: 'pong' });
  assert.equal(n.state, 'reconnecting', 'the dead socket is ignored from then on');
});

test('an attempt with no connected frame within connectTimeout is abandoned and retried', async () => {
  mock.method(Math, 'random', () => 0);
  const n = client({ connectTimeout: 5000 }).notifications();
  await settle();
  FakeSocket.last.open();
  await tick(4999);
  assert.equal(FakeSocket.instances.length, 1);
  await tick(1);
  assert.equal(n.state, 'reconnecting');
  await tick(0);
  assert.equal(FakeSocket.instances.length, 2);
});

test('token_expiring is answered in-band with refresh and a new token, on the same socket', async () => {
  const n = client().notifications();
  await settle();
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'token_expiring', data: { expires_at: 1_060_000 } });
  await settle();
  assert.deepEqual(FakeSocket.last.sent, [{ type: 'refresh', data: { token: 'token 2' } }]);
  FakeSocket.last.receive({ type: 'refreshed', data: { expires_at: 4_600_000 } });
  assert.equal(FakeSocket.instances.length, 1);
  assert.equal(n.state, 'connected');
});

test('a failing getToken() counts as a failed attempt and is retried with backoff', async () => {
  mock.method(Math, 'random', () => 0);
  let calls = 0;
  const n = client({ getToken: async () => { if (++calls === 1) throw new Error('offline'); return 't'; } }).notifications();
  await settle();
  assert.equal(FakeSocket.instances.length, 0);
  assert.equal(n.state, 'reconnecting');
  await tick(0);
  assert.equal(FakeSocket.instances.length, 1);
});

test('close() stops for good, closes the socket with 1000, and reconnectNow() starts a stopped connection again', async () => {
  const n = client().notifications();
  const states = [];
  n.on('state', (s) => states.push(s));
  await settle();
  FakeSocket.last.accept();
  n.close();
  assert.equal(FakeSocket.last.closedWith, 1000);
  await tick(120_000);
  assert.equal(FakeSocket.instances.length, 1);
  n.reconnectNow();
  await settle();
  FakeSocket.last.accept();
  assert.deepEqual(states, ['connected', 'stopped', 'connecting', 'connected']);
});

test('a listener that throws does not break the connection or the other listeners', async (t) => {
  const reported = [];
  globalThis.reportError = (e) => reported.push(e.message);
  t.after(() => delete globalThis.reportError);
  const n = client().notifications();
  const seen = [];
  n.on('state', () => { throw new Error('app bug'); });
  n.on('state', (s) => seen.push(s));
  await settle();
  FakeSocket.last.accept();
  assert.deepEqual(seen, ['connected']);
  assert.deepEqual(reported, ['app bug']);
});

test('when getToken() fails on token_expiring nothing is sent; the 4003 close that follows reconnects with a new token', async () => {
  let calls = 0;
  const n = client({ getToken: async () => {
    if (++calls === 2) throw new Error('auth server down');
    return `token ${calls}`;
  } }).notifications();
  await settle();
  FakeSocket.last.accept();
  FakeSocket.last.receive({ type: 'token_expiring', data: { expires_at: 1_030_000 } });
  await settle();
  assert.deepEqual(FakeSocket.last.sent, []);
  assert.equal(n.state, 'connected');
  FakeSocket.last.serverClose(4003, 'Token expired');
  await tick(0);
  assert.equal(FakeSocket.instances.length, 2);
  assert.equal(FakeSocket.last.url.searchParams.get('token'), 'token 3');
});
