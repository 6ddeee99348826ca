// The browser demo in a real headless Chromium, against a real redis-server and two real launcher processes:
// gateway A serves alice's page and is killed with SIGKILL and restarted on the same port; gateway B serves bob's
// page and the HTTP publish API, so that notifications and chat go on while A is down.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { serve } from '../serve.mjs';
import { eventually, freePort, killAll, publish, redis, startGateway, startRedis, token } from './stack.mjs';

const SECRET = 'browser-demo-test-jwt-secret-0123456789';   // at least 32 bytes
const API_KEY = 'browser-demo-test-api-key-0123456789';
const ROOM = 'demo-room';
const CHAT = 'demo-chat';
const ENDPOINTS = ['notifications', 'room', 'chat'];
const WAIT = 20_000;                                          // the deadline of every wait on the page
const RECONNECT_WAIT = 45_000;   // ... but the reconnect after the restart: a backoff ceiling can reach 16 s by then
const MAX_PUBLISHED = 3000;      // the publisher's bound, below the history size, so that nothing can be trimmed
const CLIENT_BUNDLE = fileURLToPath(new URL('../../../clients/js/dist/realtime.min.js', import.meta.url));
const SCREENSHOT = fileURLToPath(new URL('../screenshot.png', import.meta.url));
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const stack = {};          // the processes, server and browser; set by before(), torn down by after()
const published = [];      // {key, title} of every notification published, in order; appended by publishOne()
const pageErrors = [];     // uncaught exceptions of either page; appended by the pages' listeners

describe('the browser demo in headless Chromium', { timeout: 90_000 }, () => {
  before(async () => {
    assert.ok(existsSync(CLIENT_BUNDLE), `${CLIENT_BUNDLE} is missing: cd clients/js && npm ci && npm run build`);
    stack.redis = await startRedis();
    stack.http = await serve({ port: 0 });
    [stack.portA, stack.portB] = [await freePort(), await freePort()];
    [stack.gatewayA, stack.gatewayB] = await Promise.all([
      startGateway(stack.portA, gatewayEnv()), startGateway(stack.portB, gatewayEnv())]);
    await redis(stack.redis.port, 'SADD', `matching:chat:${CHAT}:members`, 'alice', 'bob');
    // playwright starts Chromium with a fresh temporary --user-data-dir of its own
    stack.browser = await chromium.launch({
      executablePath: process.env.CHROMIUM || '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  });

  after(async () => {
    await stack.browser?.close().catch(() => {});
    stack.http?.close();
    killAll();
  });

  it('logs in with a token and shows the three connections connected', async () => {
    stack.alice = await openPage('alice', stack.portA);
    stack.bob = await openPage('bob', stack.portB);
    await allConnected(stack.alice);
    await allConnected(stack.bob);
    assert.equal(await stack.alice.textContent('#user'), 'signed in as alice');
  });

  it('receives notifications newest first, with their positions', async () => {
    for (let i = 0; i < 10; i++) await publishOne();
    await waitForCount(stack.alice, 10);
    assertShownExactlyOnce(await shownNotifications(stack.alice));
  });

  it('shows a room countdown that decreases, the same through the other gateway instance', async () => {
    await stack.alice.fill('#duration', '300');
    await stack.alice.click('#timer-start');
    const first = await countdown(stack.alice, 'running, set by alice');
    assert.match(first.text, /^[45]:\d\d$/);
    assert.ok(first.ms <= 300_000 && first.ms > 240_000, `remaining ${first.ms} ms`);
    await countdown(stack.alice, 'running', first.ms - 1000);
    const [a, b] = [await countdown(stack.alice), await countdown(stack.bob, 'running, set by alice')];
    assert.ok(Math.abs(a.ms - b.ms) < 2000, `alice shows ${a.ms} ms, bob ${b.ms} ms`);
  });

  it('sends a chat message from the page and receives one from a second user', async () => {
    await say(stack.alice, 'hello from alice');
    await say(stack.bob, 'hi alice, bob here');
    const expected = ['alice: hello from alice', 'bob: hi alice, bob here'];
    assert.deepEqual(await waitForMessages(stack.alice, expected), await waitForMessages(stack.bob, expected));
  });

  it('survives its gateway killed with SIGKILL and restarted: no notification lost or doubled, '
    + 'the chat sent meanwhile delivered once each, the countdown still running', async () => {
    const publisher = startPublisher();
    await publisher.until('10 more notifications published', 20);
    stack.gatewayA.kill('SIGKILL');
    await stack.gatewayA.exited;
    for (const endpoint of ENDPOINTS) await waitForState(stack.alice, endpoint, 'connected', false);
    const atOutage = published.length;
    await publisher.until('10 notifications published during the outage', atOutage + 10);
    await say(stack.alice, 'queued by alice while disconnected');
    await say(stack.bob, 'sent by bob while alice was away');
    const before = (await countdown(stack.alice)).ms;

    stack.gatewayA = await startGateway(stack.portA, gatewayEnv());
    await allConnected(stack.alice, RECONNECT_WAIT);
    const atReconnect = published.length;
    await publisher.until('10 notifications published after the reconnect', atReconnect + 10);
    await publisher.stop();

    await waitForCount(stack.alice, published.length);
    const shown = await shownNotifications(stack.alice);
    assertShownExactlyOnce(shown);
    assert.deepEqual(await storedPositions(stack.alice), newestPositions(shown), 'the positions kept in localStorage');
    const expected = ['alice: hello from alice', 'bob: hi alice, bob here',
      'bob: sent by bob while alice was away', 'alice: queued by alice while disconnected'].sort();
    const [a, b] = [await waitForMessages(stack.alice, expected), await waitForMessages(stack.bob, expected)];
    assert.deepEqual(a, b, 'both pages show the same messages with the same ids, in the same order');
    await countdown(stack.alice, 'running', before - 1000);
    assert.deepEqual(pageErrors, []);
    await stack.alice.screenshot({ path: SCREENSHOT, fullPage: true });
  });

  it('resumes from the positions kept in localStorage when the page is opened again', async () => {
    // bob's page has every broadcast so far and has saved the newest one's position before it closes
    const broadcasts = published.filter((n) => n.key.startsWith('notifications:broadcast '));
    await waitForCount(stack.bob, broadcasts.length);
    const newest = broadcasts.at(-1).key.split(' ')[1];
    assert.equal((await storedPositions(stack.bob, 'bob')).broadcast, newest, 'bob saved the newest broadcast');
    const context = stack.bob.context();
    await stack.bob.close();
    const from = published.length;
    for (let i = 0; i < 3; i++) await publishOne(true);
    stack.bob = await openPage('bob', stack.portB, context);
    await allConnected(stack.bob);
    await waitForCount(stack.bob, 3);
    const shown = await shownNotifications(stack.bob);
    assert.deepEqual(shown.map((n) => n.title), published.slice(from).map((n) => n.title).reverse(),
      'only the broadcasts published while the page was closed, newest first');
    assert.equal(await stack.bob.isHidden('#gap'), true, 'no gap');
  });

  it('stops retrying on a refused token and says why', async () => {
    const page = await openPage('mallory', stack.portB, null, 'not-the-gateways-secret-0123456789abcdef');
    for (const endpoint of ENDPOINTS) {
      await waitForState(page, endpoint, 'stopped');
      const problem = await page.textContent(`#errors li[data-where="${endpoint}"]`);
      assert.match(problem, /AUTH_ERROR: Authentication failed.*stopped \(close 1008/);
    }
    await page.context().close();
  });
});

function gatewayEnv() {
  return {
    REDIS_URL: `redis://127.0.0.1:${stack.redis.port}`, JWT_SECRET_KEY: SECRET, REALTIME_API_KEY: API_KEY,
    NOTIFICATION_HISTORY_SIZE: '5000', ALLOWED_ORIGINS: `http://127.0.0.1:${stack.http.address().port}`,
  };
}

// Opens the demo in a new browser context (its own localStorage), or in `context`, and logs in as `user` with a
// token signed with `secret`.
async function openPage(user, gatewayPort, context = null, secret = SECRET) {
  context ??= await stack.browser.newContext({ viewport: { width: 1200, height: 660 } });
  const page = await context.newPage();
  page.problems = [];     // console errors and failed loads, for failure messages; appended by the listeners below
  page.on('pageerror', (error) => pageErrors.push(`${user}: ${error.message}`));
  page.on('console', (message) => message.type() === 'error' && page.problems.push(message.text()));
  page.on('response', (answer) => answer.status() >= 400 && page.problems.push(`${answer.status()} ${answer.url()}`));
  page.sockets = [];      // each notifications socket: its query (token cut) and first frames; appended below
  page.on('websocket', (socket) => {
    if (!socket.url().includes('/notifications/ws')) return;
    const trace = { query: socket.url().split('?')[1]?.replace(/token=[^&]*/, 'token=…'), frames: [] };
    page.sockets.push(trace);
    socket.on('framereceived', ({ payload }) => trace.frames.length < 8 && trace.frames.push(String(payload)));
    socket.on('close', () => trace.frames.push('(closed)'));
  });
  await page.goto(`http://127.0.0.1:${stack.http.address().port}/examples/browser/?url=ws://127.0.0.1:${gatewayPort}`);
  await waitInPage(page, 'the page loaded the client', () => !document.getElementById('login-button').disabled);
  await page.fill('#room-id', ROOM);
  await page.fill('#chat-id', CHAT);
  await page.fill('#token', token(user, secret));
  await page.click('#login-button');
  return page;
}

// Waits for fn(arg) to hold in the page; on timeout, says what and shows the page's states and errors.
async function waitInPage(page, what, fn, arg, timeout = WAIT) {
  try {
    return await (await page.waitForFunction(fn, arg, { timeout, polling: 50 })).jsonValue();
  } catch (error) {
    const text = (selector) => page.textContent(selector).then((t) => t.replace(/\s+/g, ' ').trim(), () => '?');
    const [states, errors, gap] = [await text('#states'), await text('#errors'), await text('#gap')];
    const shown = await page.$$eval('#notifications li', (items) => items.length).catch(() => '?');
    const sockets = page.sockets.map((s) => `${s.query}\n      ${s.frames.join('\n      ')}`);
    throw new Error(`${what}: ${error.message.split('\n')[0]}\n  states: ${states}\n  errors: ${errors}`
      + `\n  notifications shown: ${shown}; gap banner: ${gap || 'none'}`
      + `\n  page errors: ${[...pageErrors, ...page.problems].join('\n    ') || 'none'}`
      + `\n  notification sockets (query, first frames):\n    ${sockets.join('\n    ') || 'none'}`);
  }
}

function waitForState(page, endpoint, state, is = true, timeout = WAIT) {
  return waitInPage(page, `${endpoint} ${is ? '' : 'not '}${state}`,
    ([id, s, yes]) => (document.getElementById(id).textContent === s) === yes,
    [`state-${endpoint}`, state, is], timeout);
}

async function allConnected(page, timeout = WAIT) {
  for (const endpoint of ENDPOINTS) await waitForState(page, endpoint, 'connected', true, timeout);
}

function waitForCount(page, count) {
  return waitInPage(page, `${count} notifications shown`,
    (n) => document.querySelectorAll('#notifications li').length >= n, count);
}

// The notifications the page shows, top to bottom: "channel epoch:offset" and the title.
function shownNotifications(page) {
  return page.$$eval('#notifications li', (items) => items.map((li) => ({
    key: `${li.dataset.channel} ${li.querySelector('.pos').textContent.split(' ')[1]}`,
    title: li.querySelector('.title').textContent,
  })));
}

function assertShownExactlyOnce(shown) {
  assert.equal(shown.length, published.length, 'as many shown as published');
  const byKey = (a, b) => a.title.localeCompare(b.title);
  assert.deepEqual([...shown].sort(byKey), [...published].sort(byKey), 'each publication shown once, at its position');
  for (const channel of ['notifications:user:alice', 'notifications:broadcast']) {
    const offsets = shown.filter((n) => n.key.startsWith(channel + ' ')).map((n) => Number(n.key.split(':').pop()));
    assert.deepEqual(offsets, [...offsets].sort((x, y) => y - x), `${channel} newest first`);
  }
}

// The positions the page keeps in localStorage: {user: "epoch:offset", broadcast: "epoch:offset"}.
function storedPositions(page, user = 'alice') {
  return page.evaluate((key) => JSON.parse(localStorage.getItem(key)), `realtime-demo:positions:${user}`);
}

// The newest position of each channel among the notifications shown (the first of each, as they are newest first).
function newestPositions(shown) {
  const first = (channel) => shown.find((n) => n.key.startsWith(channel + ' ')).key.split(' ')[1];
  return { user: first('notifications:user:alice'), broadcast: first('notifications:broadcast') };
}

// A broadcast (POST /api/v1/publish) or a notification to alice (POST /api/v1/users/alice/notifications);
// by default every fifth is a broadcast.
async function publishOne(broadcast = published.length % 5 === 4) {
  const i = published.length;
  const title = `n${String(i).padStart(4, '0')}`;
  const message = `notification ${i} of the test`;
  const created = new Date().toISOString();
  const frame = { type: 'notification', data: { type: 'system', title, message, created_at: created } };
  const answer = broadcast
    ? await publish(stack.portB, API_KEY, '/api/v1/publish',
      { key: `demo-${i}`, json: { channel: 'notifications:broadcast', data: frame } })
    : await publish(stack.portB, API_KEY, '/api/v1/users/alice/notifications',
      { key: `demo-${i}`, json: { type: 'demo', title, message } });
  published.push({ key: `${answer.channel} ${answer.epoch}:${answer.offset}`, title });
}

// Publishes one notification after another, paced 20 ms apart, until stop(); at most MAX_PUBLISHED.
function startPublisher() {
  let running = true;     // cleared by stop()
  let failure = null;     // the first publish error; set by the loop
  const loop = (async () => {
    while (running && published.length < MAX_PUBLISHED) {
      await publishOne();
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  })().catch((error) => { failure = error; });
  return {
    async until(what, count) {   // waits until `count` are published in all
      await eventually(what, () => failure || published.length >= count);
      if (failure) throw failure;
    },
    async stop() { running = false; await loop; if (failure) throw failure; },
  };
}

// Waits until the page shows a countdown whose status starts with `status` and whose remaining ms is below `below`,
// and resolves with it: {text, ms, status}.
function countdown(page, status = '', below = Number.MAX_SAFE_INTEGER) {
  return waitInPage(page, `a countdown "${status}..." below ${below} ms`, ([prefix, max]) => {
    const el = document.getElementById('countdown');
    const status = document.getElementById('timer-status').textContent;
    const shown = { text: el.textContent, ms: Number(el.dataset.ms), status };
    return el.dataset.ms !== '' && shown.status.startsWith(prefix) && shown.ms < max && shown;
  }, [status, below]);
}

async function say(page, text) {
  await page.fill('#chat-text', text);
  await page.click('#chat-send');
}

// Waits until the page shows exactly these messages ("sender: content", in any order) acknowledged, none pending,
// and resolves with them as "id sender: content" in the order shown.
async function waitForMessages(page, expected) {
  const sorted = [...expected].sort();
  await waitInPage(page, `messages ${JSON.stringify(sorted)}`, (want) => {
    const items = [...document.querySelectorAll('#messages li')];
    const text = (li, selector) => li.querySelector(selector).textContent;
    const got = items.map((li) => `${text(li, '.title')}: ${text(li, '.content')}`);
    return !items.some((li) => li.classList.contains('pending')) && JSON.stringify(got.sort()) === JSON.stringify(want);
  }, sorted);
  const shown = await page.$$eval('#messages li', (items) => items.map((li) =>
    `${li.dataset.messageId} ${li.querySelector('.title').textContent}: ${li.querySelector('.content').textContent}`));
  const ids = shown.map((line) => Number(line.split(' ')[0]));
  assert.deepEqual(ids, [...ids].sort((x, y) => x - y), 'messages in id order');
  return shown;
}
