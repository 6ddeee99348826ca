// The React hook useNotifications, rendered with react-test-renderer against the real launcher and Redis.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createElement } from 'react';
import TestRenderer from 'react-test-renderer';
import WebSocket from 'ws';
import { RealtimeClient } from '../../dist/index.js';
import { RealtimeProvider, useNotifications } from '../../dist/react.js';
import { killAll, publish, startGateway, startRedis, token, uniqueUser, waitFor } from '../support/processes.mjs';

let redis;
let gateway;
before(async () => {
  redis = await startRedis();
  gateway = await startGateway({ REDIS_URL: redis.url });
});
after(async () => {
  redis?.client.close();
  await killAll();
});

test('useNotifications keeps the seed\'s shape: isConnected turns true and a published notification shows, newest first', async () => {
  const user = uniqueUser('dave');
  const client = new RealtimeClient({ url: gateway.url, getToken: () => token(user), WebSocket });
  let hook; // what the hook returned at the latest render
  const called = [];
  function Bell() {
    hook = useNotifications((notification) => called.push(notification.title));
    return createElement('ul', null, hook.notifications.map((n) => createElement('li', { key: n.notification_id }, n.title)));
  }
  const renderer = TestRenderer.create(createElement(RealtimeProvider, { client }, createElement(Bell)));
  try {
    assert.deepEqual(Object.keys(hook).sort(), ['connect', 'disconnect', 'isConnected', 'notifications']);
    await waitFor('isConnected', () => hook.isConnected);
    const channel = `notifications:user:${user}`;
    for (const n of [1, 2]) {
      await publish(redis.client, channel, { type: 'notification', data: { notification_id: `n${n}`,
        type: 'friend_request', title: `Hello ${n}`, message: 'hi', data: {}, created_at: '2026-01-01T00:00:00Z' } });
    }
    await waitFor('two notifications rendered', () => hook.notifications.length === 2);
    assert.deepEqual(hook.notifications.map((n) => n.title), ['Hello 2', 'Hello 1'], 'newest first, frame.data');
    assert.equal(hook.notifications[0].type, 'friend_request');
    assert.deepEqual(called, ['Hello 1', 'Hello 2']);
    assert.deepEqual(renderer.root.findAllByType('li').map((li) => li.children[0]), ['Hello 2', 'Hello 1']);
    hook.disconnect();
    await waitFor('disconnected', () => !hook.isConnected);
    hook.connect();
    await waitFor('connected again', () => hook.isConnected);
  } finally {
    renderer.unmount();
    client.close();
  }
});
