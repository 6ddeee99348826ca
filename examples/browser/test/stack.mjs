// The real parts the browser test runs against: a redis-server, launcher processes (`java -jar`), HS256 tokens and
// the HTTP publish API. Every process started here is killed by killAll(), which also runs when Node exits.
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { createServer, connect } from 'node:net';
import { fileURLToPath } from 'node:url';

export const LAUNCHER_JAR = process.env.LAUNCHER_JAR
  || fileURLToPath(new URL('../../../realtime-launcher/target/realtime-launcher.jar', import.meta.url));

const children = new Set();   // every live child process; added by start(), removed when it exits
process.on('exit', killAll);
for (const [signal, status] of [['SIGINT', 130], ['SIGTERM', 143]]) {
  process.once(signal, () => { killAll(); process.exit(status); });
}

/** Kills every process started here with SIGKILL. */
export function killAll() {
  for (const child of children) child.kill('SIGKILL');
}

/** A TCP port that was free a moment ago, on 127.0.0.1. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer().once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Polls check() until it returns a truthy value, which it resolves with, or fails after timeoutMs. */
export async function eventually(what, check, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      const value = await check();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`not within ${timeoutMs} ms: ${what}${last ? ` (last error: ${last.message})` : ''}`);
}

/** Spawns a process whose output is kept (the last 20,000 characters, in `output`) for failure messages. */
function start(name, command, args, env) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.output = '';
  const keep = (chunk) => { child.output = (child.output + chunk).slice(-20_000); };
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  children.add(child);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    children.delete(child);
    resolve(signal || code);
  }));
  child.describe = () => `${name} (pid ${child.pid}), its last output:\n${child.output.slice(-3000)}`;
  return child;
}

/** Sends one command to Redis and resolves with the raw reply text. */
export function redis(port, ...args) {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let reply = '';
    socket.on('error', reject);
    socket.on('data', (chunk) => {
      reply += chunk;
      if (reply.endsWith('\r\n')) { socket.end(); resolve(reply); }
    });
    socket.write(`*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(String(a))}\r\n${a}\r\n`).join(''));
  });
}

/** Starts redis-server on a free port, without persistence, and resolves once it answers PING. */
export async function startRedis() {
  const port = await freePort();
  const child = start('redis-server', 'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {});
  await eventually(`redis-server answering on ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(child.describe());
    return (await redis(port, 'PING')).startsWith('+PONG');
  }, 15_000);
  return { port, child };
}

/** Starts `java -jar LAUNCHER_JAR` with these settings and resolves once GET /health answers 200. */
export async function startGateway(port, env) {
  const child = start(`gateway :${port}`, 'java', ['-Xmx256m', '-XX:TieredStopAtLevel=1', '-jar', LAUNCHER_JAR],
    { ...env, PORT: String(port), HOST: '127.0.0.1' });
  await eventually(`the gateway healthy on ${port}`, async () => {
    if (child.exitCode !== null) throw new Error(child.describe());
    return (await fetch(`http://127.0.0.1:${port}/health`)).status === 200;
  }, 30_000);
  return child;
}

/** An HS256 JWT for this user, valid for an hour. */
export function token(user, secret) {
  const b64 = (value) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const unsigned = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ sub: user, iat: now, exp: now + 3600 })}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

/** POSTs to the gateway's HTTP publish API and resolves with the 202 answer's JSON (epoch, offset). */
export async function publish(port, apiKey, path, body) {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${apiKey}`, 'Content-Type': 'application/json', 'Idempotency-Key': body.key },
    body: JSON.stringify(body.json),
  });
  const answer = await response.text();
  if (response.status !== 202) throw new Error(`publish ${path}: ${response.status} ${answer}`);
  return JSON.parse(answer);
}
