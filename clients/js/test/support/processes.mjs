// Real redis-server and launcher processes for the integration tests, each on a free port; every process started
// here is killed when the test file ends, also on failure.
import { spawn } from 'node:child_process';
import { createHmac, randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resp } from './resp.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The launcher jar: env LAUNCHER_JAR, or the one the Maven build makes. */
export const LAUNCHER_JAR = process.env.LAUNCHER_JAR ??
  path.resolve(here, '../../../../realtime-launcher/target/realtime-launcher.jar');
export const SECRET = 'js-client-test-secret-0123456789abcdef';

/** Every child process still running; added by spawnTracked, removed when it exits. */
const running = new Set();
process.on('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

function spawnTracked(command, args, env) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(child);
  child.output = '';
  const keep = (data) => {
    child.output = (child.output + data).slice(-20_000);
  };
  child.once('error', (error) => {
    child.failed = error; // such as ENOENT: the command is not installed
  });
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.exited = new Promise((resolve) => child.once('exit', (code, signal) => {
    running.delete(child);
    resolve(signal ?? code);
  }));
  return child;
}

/** Kills every process still running (SIGKILL) and waits for them to end. */
export async function killAll() {
  const children = [...running];
  for (const child of children) child.kill('SIGKILL');
  await Promise.all(children.map((c) => c.exited));
}

/** A TCP port nobody listens on right now. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** Waits until `condition()` is truthy, checking every 20 ms; fails after `timeoutMs`. */
export async function waitFor(what, condition, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await condition();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** A real redis-server without persistence on a free port, and a client to it. */
export async function startRedis() {
  const port = await freePort();
  const child = spawnTracked('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '',
    '--appendonly', 'no']);
  const client = await waitFor('redis-server to answer', () => {
    if (child.failed) throw new Error(`Could not start redis-server: ${child.failed.message}`);
    return Resp.connect(port).then((c) => c, () => null);
  }, 10_000);
  await client.command('PING');
  return { port, url: `redis://127.0.0.1:${port}`, client, process: child };
}

/**
 * A launcher instance (`java -jar`) on a free port (or `port`), with Redis, the test secret and `env`; resolves once
 * GET /health answers 200. kill() ends it with SIGKILL; restart() starts it again on the same port.
 */
export async function startGateway(env = {}, port) {
  port ??= await freePort();
  const settings = { PORT: String(port), JWT_SECRET_KEY: SECRET, ...env };
  const child = spawnTracked('java', ['-Xms32m', '-Xmx192m', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1',
    '-jar', LAUNCHER_JAR], settings);
  await waitFor(`the launcher on port ${port} to be healthy`, async () => {
    if (child.failed) throw new Error(`Could not start java: ${child.failed.message}`);
    if (child.exitCode !== null) throw new Error(`The launcher exited (${child.exitCode}): ${child.output}`);
    try {
      return (await fetch(`http://127.0.0.1:${port}/health`)).status === 200;
    } catch {
      return false;
    }
  }, 30_000);
  return {
    port,
    url: `ws://127.0.0.1:${port}`,
    process: child,
    async kill() {
      child.kill('SIGKILL');
      await child.exited;
    },
    restart() {
      return startGateway(env, port);
    },
  };
}

const base64url = (value) => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** An HS256 JWT for `sub`, signed with `secret` (the test secret by default), expiring in `expiresInS` seconds. */
export function token(sub, { secret = SECRET, expiresInS = 3600 } = {}) {
  const now = Math.floor(Date.now() / 1000);
  const head = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url({ sub, iat: now, exp: now + expiresInS })}`;
  return `${head}.${createHmac('sha256', secret).update(head).digest('base64url')}`;
}

/** A user id unique to this run, so that tests never share a channel or a connection limit. */
export function uniqueUser(name) {
  return `${name}-${randomBytes(4).toString('hex')}`;
}

/** Publishes a frame on a notification channel with the Redis Function realtime_publish; returns its offset. */
export async function publish(redis, channel, frame) {
  const [, offset] = await redis.command('FCALL', 'realtime_publish', '1', channel, JSON.stringify(frame));
  return offset;
}
