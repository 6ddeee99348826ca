// Benchmark peer: the notifications and room fan-out of the Java gateway, written the way a Node.js team would
// (ws + ioredis + jose). It speaks the frames of docs/protocol.md for the benchmark scenarios; see README.md for what
// it implements and what it leaves out.

import http from 'node:http';
import { webcrypto } from 'node:crypto';
import Redis from 'ioredis';
import { WebSocketServer } from 'ws';
import { jwtVerify, errors as joseErrors } from 'jose';

// ---------------------------------------------------------------------------------------------------------------
// Configuration
// ---------------------------------------------------------------------------------------------------------------

const PORT = parsePort(process.env.PORT ?? '8100');
const HOST = process.env.HOST || '127.0.0.1';
const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';
const PREFIX = process.env.REDIS_KEY_PREFIX ?? '';
const SECRET = process.env.JWT_SECRET_KEY ?? '';
const SECRET_BYTES = new TextEncoder().encode(SECRET);
if (SECRET_BYTES.length < 32) {
  console.error(`JWT_SECRET_KEY must be set and at least 32 bytes (got ${SECRET_BYTES.length})`);
  process.exit(2);
}

const HEARTBEAT_MS = 25_000;          // ping a connection quiet for this long (protocol section 10)
const IDLE_TIMEOUT_MS = 60_000;       // close a connection quiet for this long with 4000
const SWEEP_MS = 5_000;               // how often the heartbeat looks at the connections
const SUBSCRIBE_WAIT_MS = 5_000;      // hold the first frame back at most this long for the broker
const SEND_QUEUE_MAX_BYTES = 1_048_576; // slow consumer: close with 4001 above this much unsent data
const MAX_MESSAGE_BYTES = 10_240;
const ROOM_ID = /^[A-Za-z0-9_.-]{1,128}$/;
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
const ALLOWED_TYP = new Set(['jwt', 'at+jwt', 'application/jwt', 'application/at+jwt']);

function parsePort(text) {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`PORT must be a number from 0 to 65535 (got ${text})`);
    process.exit(2);
  }
  return port;
}

// The key is imported once: jose would re-import a Uint8Array secret on every verification.
const JWT_KEY = await webcrypto.subtle.importKey('raw', SECRET_BYTES, { name: 'HMAC', hash: 'SHA-256' }, false,
  ['verify']);
const JWT_OPTIONS = { algorithms: ['HS256'], clockTolerance: 30, requiredClaims: ['sub'] };

// ---------------------------------------------------------------------------------------------------------------
// Frames the server writes itself (fixed member order, no whitespace)
// ---------------------------------------------------------------------------------------------------------------

const TEXT = { binary: false };       // send a Buffer as a text frame
const PONG = Buffer.from('{"type":"pong"}');

const errorFrame = (code, message) => JSON.stringify({ type: 'error', code, message });
const connectedFrame = (userId) =>
  `{"type":"connected","message":"Connected to notification service","user_id":${JSON.stringify(userId)}}`;
// The state of a room that never had a timer, settings or a version; the peer keeps no room state. The joining user
// is the one participant it knows of.
const roomStateFrame = (roomId, userId, now) =>
  `{"type":"room_state","data":{"room_id":${JSON.stringify(roomId)},` +
  `"participants":[{"user_id":${JSON.stringify(userId)}}],` +
  `"timer":{"status":"idle","duration_s":0,"remaining_ms":0,"ends_at":null,"server_time":${now},"version":0,` +
  `"updated_by":null},"settings":{},"version":0,"server_time":${now}}}`;

// ---------------------------------------------------------------------------------------------------------------
// Redis fan-out: one subscriber connection per process, channels reference-counted by local sockets
// ---------------------------------------------------------------------------------------------------------------

const subscriber = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
let lastRedisError = 0;
subscriber.on('error', (err) => {
  const now = Date.now();
  if (now - lastRedisError > 5_000) {
    lastRedisError = now;
    console.error(`redis: ${err.message}`);
  }
});

/** wire channel name -> { name, refs, sockets, ready }. refs counts every socket holding the channel, sockets only
 *  those that have had their first frame (connected / room_state) and so receive its messages. */
const channels = new Map();

function acquire(name) {
  let entry = channels.get(name);
  if (entry === undefined) {
    entry = { name, refs: 0, sockets: new Set(), ready: subscriber.subscribe(name).then(noop, noop) };
    channels.set(name, entry);
  }
  entry.refs++;
  return entry;
}

function release(entry, ws) {
  entry.sockets.delete(ws);
  if (--entry.refs === 0) {
    if (channels.get(entry.name) === entry) channels.delete(entry.name);
    subscriber.unsubscribe(entry.name).catch(noop);
  }
}

// 'messageBuffer' rather than 'message': ioredis reads the payload as a Buffer either way; with only a
// 'messageBuffer' listener it skips the toString(), and ws writes a Buffer to each socket as it is, where a string
// would be measured and UTF-8 encoded again for every socket. So the payload is encoded once, by Redis.
subscriber.on('messageBuffer', (channel, message) => {
  const entry = channels.get(channel.toString());
  if (entry === undefined) return;
  for (const ws of entry.sockets) {
    if (ws.readyState !== 1) continue;
    if (ws.bufferedAmount > SEND_QUEUE_MAX_BYTES) {
      ws.close(4001, 'Slow consumer');
      continue;
    }
    ws.send(message, TEXT);
  }
});

function noop() {}

function waitForBroker(promise) {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, SUBSCRIBE_WAIT_MS);
    promise.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}

// ---------------------------------------------------------------------------------------------------------------
// Authentication (protocol section 3)
// ---------------------------------------------------------------------------------------------------------------

function tokenOf(req, query) {
  const header = req.headers.authorization;
  if (header !== undefined && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ') {
    const token = header.slice(7).trim();
    if (token !== '') return token;
  }
  if (query === '') return '';
  return (new URLSearchParams(query).get('token') ?? '').trim();
}

/** The user id, or throws the message of the AUTH_ERROR frame. */
async function authenticate(token) {
  if (token === '') throw 'Authentication failed: no token';
  let result;
  try {
    result = await jwtVerify(token, JWT_KEY, JWT_OPTIONS);
  } catch (err) {
    if (err instanceof joseErrors.JWTExpired) throw 'Authentication failed: token expired';
    if (err instanceof joseErrors.JWTClaimValidationFailed) {
      if (err.claim === 'nbf' && err.reason === 'check_failed') throw 'Authentication failed: token not yet valid';
      if (err.claim === 'sub' && err.reason === 'missing') {
        throw 'Authentication failed: missing required claims [sub]';
      }
      throw 'Authentication failed: invalid claims';
    }
    throw 'Authentication failed: invalid token';
  }
  const typ = result.protectedHeader.typ;
  if (typ !== undefined && (typeof typ !== 'string' || !ALLOWED_TYP.has(typ.toLowerCase()))) {
    throw 'Authentication failed: invalid token';
  }
  const sub = result.payload.sub;
  if (typeof sub !== 'string' || sub.trim() === '' || sub.length > 128 || CONTROL.test(sub)) {
    throw 'Authentication failed: invalid sub';
  }
  return sub;
}

// ---------------------------------------------------------------------------------------------------------------
// Connections
// ---------------------------------------------------------------------------------------------------------------

const NOTIFICATIONS = 1;
const ROOM = 2;

// Shared handlers (`this` is the socket), so a connection costs no closures.
function onMessage(data, isBinary) {
  this.lastSeen = Date.now();
  if (this.state === 'ready') handleFrame(this, data, isBinary);
  else if (this.state === 'pending') (this.early ??= []).push(data, isBinary);
  // state 'refused': frames of a connection that failed authentication are ignored
}

function onPong() {
  this.lastSeen = Date.now();
}

function onClose() {
  const entries = this.entries;
  if (entries !== null) {
    this.entries = null;
    for (const entry of entries) release(entry, this);
  }
  this.state = 'closed';
}

function handleFrame(ws, data, isBinary) {
  if (isBinary) {
    ws.send(errorFrame('INVALID_MESSAGE', 'Binary frames are not supported; send JSON text'));
    ws.close(1003, 'Binary frames are not supported');
    return;
  }
  let frame;
  try {
    frame = JSON.parse(data.toString());
  } catch {
    ws.send(errorFrame('INVALID_MESSAGE', 'Malformed JSON'));
    return;
  }
  if (frame === null || typeof frame !== 'object' || Array.isArray(frame)) {
    ws.send(errorFrame('INVALID_MESSAGE', 'A message must be a JSON object'));
    return;
  }
  const type = frame.type;
  if (typeof type !== 'string') {
    ws.send(errorFrame('INVALID_MESSAGE', 'A message needs a string "type"'));
    return;
  }
  if (type === 'ping') {
    ws.send(PONG, TEXT);
    return;
  }
  const shown = type.length > 64 ? type.slice(0, 64) + '...' : type;
  ws.send(errorFrame('UNKNOWN_TYPE', `Unknown message type: ${shown}`));
}

async function open(ws, req, kind, roomId, query) {
  ws.lastSeen = Date.now();
  ws.state = 'pending';
  ws.entries = null;
  ws.early = null;
  ws.on('message', onMessage);
  ws.on('pong', onPong);
  ws.on('close', onClose);
  ws.on('error', noop); // protocol errors (bad UTF-8, too large) close the socket; ws reports them here too

  let userId;
  try {
    userId = await authenticate(tokenOf(req, query));
  } catch (message) {
    ws.state = 'refused';
    ws.early = null;
    if (ws.readyState !== 1) return;
    ws.send(errorFrame('AUTH_ERROR', typeof message === 'string' ? message : 'Authentication failed: invalid token'));
    ws.close(1008, 'Authentication failed');
    return;
  }
  if (ws.readyState !== 1) return;
  if (kind === ROOM && !ROOM_ID.test(roomId)) {
    ws.state = 'refused';
    ws.early = null;
    ws.send(errorFrame('INVALID_MESSAGE', "Invalid room id: use 1 to 128 of A-Z, a-z, 0-9, '_', '.', '-'"));
    ws.close(1008, 'Invalid room id');
    return;
  }

  let entries;
  if (kind === NOTIFICATIONS) {
    entries = [acquire(`${PREFIX}notifications:user:${userId}`), acquire(`${PREFIX}notifications:broadcast`)];
    ws.entries = entries;
    await waitForBroker(Promise.all([entries[0].ready, entries[1].ready]));
  } else {
    entries = [acquire(`${PREFIX}room:${roomId}:updates`)];
    ws.entries = entries;
    await waitForBroker(entries[0].ready);
  }
  if (ws.readyState !== 1) return; // the close handler releases the channels

  // The first frame and joining the channels' delivery sets happen in one turn of the event loop, so every message
  // Redis delivers after the client could have seen the first frame is forwarded to it.
  ws.send(kind === NOTIFICATIONS ? connectedFrame(userId) : roomStateFrame(roomId, userId, Date.now()));
  for (const entry of entries) entry.sockets.add(ws);
  ws.state = 'ready';
  const early = ws.early;
  if (early !== null) {
    ws.early = null;
    for (let i = 0; i < early.length && ws.readyState === 1; i += 2) handleFrame(ws, early[i], early[i + 1]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// HTTP server, upgrade routing, heartbeat
// ---------------------------------------------------------------------------------------------------------------

const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_MESSAGE_BYTES });

const HEALTH = '{"status":"ok"}';
const server = http.createServer((req, res) => {
  const path = pathOf(req.url);
  if (path === '/health' && (req.method === 'GET' || req.method === 'HEAD')) {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': HEALTH.length });
    res.end(req.method === 'GET' ? HEALTH : undefined);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain', 'content-length': 9 });
  res.end('Not Found');
});

function pathOf(url) {
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

const NOTIFICATIONS_PATH = '/api/v1/notifications/ws';
const ROOM_PATH = '/ws/room/';

server.on('upgrade', (req, socket, head) => {
  socket.on('error', noop);
  const url = req.url;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const query = q === -1 ? '' : url.slice(q + 1);
  let kind;
  let roomId;
  if (path === NOTIFICATIONS_PATH) {
    kind = NOTIFICATIONS;
  } else if (path.startsWith(ROOM_PATH) && path.indexOf('/', ROOM_PATH.length) === -1) {
    kind = ROOM;
    roomId = path.slice(ROOM_PATH.length);
  } else {
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    return;
  }
  wss.handleUpgrade(req, socket, head, (ws) => {
    open(ws, req, kind, roomId, query).catch(() => ws.terminate());
  });
});

// Heartbeat as in protocol section 10: anything received counts as activity; a connection quiet for 25 s gets a
// WebSocket ping (repeated every 25 s), one quiet for 60 s is closed with 4000.
const heartbeat = setInterval(() => {
  const now = Date.now();
  for (const ws of wss.clients) {
    if (ws.readyState !== 1) continue;
    const quiet = now - ws.lastSeen;
    if (quiet >= IDLE_TIMEOUT_MS) {
      ws.close(4000, 'Idle timeout');
    } else if (quiet >= HEARTBEAT_MS && now - (ws.lastPing ?? 0) >= HEARTBEAT_MS) {
      ws.lastPing = now;
      ws.ping();
    }
  }
}, SWEEP_MS);
heartbeat.unref();

function shutdown() {
  clearInterval(heartbeat);
  server.close();
  for (const ws of wss.clients) ws.close(1001, 'Server shutting down');
  setTimeout(() => {
    for (const ws of wss.clients) ws.terminate();
    subscriber.disconnect();
    process.exit(0);
  }, 500).unref();
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

// Listen once the subscriber connection is up, so the harness never connects before Redis can confirm anything.
await new Promise((resolve) => {
  if (subscriber.status === 'ready') resolve();
  else subscriber.once('ready', resolve);
});
server.listen(PORT, HOST, () => {
  const address = server.address();
  console.log(`peer listening on ws://${HOST}:${address.port}`);
});
