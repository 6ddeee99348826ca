import assert from 'node:assert/strict';
import { test } from 'node:test';
import { backoffCeiling, backoffDelay, closePolicy } from '../../dist/index.js';

test('the backoff ceiling doubles from the base and stops at the cap', () => {
  const ceilings = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffCeiling(n, 1000, 30_000));
  assert.deepEqual(ceilings, [1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000]);
  assert.equal(backoffCeiling(10_000, 1000, 30_000), 30_000, 'no overflow on a huge attempt count');
  assert.throws(() => backoffCeiling(0, 1000, 30_000), RangeError);
});

test('a delay is a uniformly random part of its ceiling (full jitter), from 0 up to the ceiling', () => {
  assert.equal(backoffDelay(3, 1000, 30_000, () => 0), 0);
  assert.equal(backoffDelay(3, 1000, 30_000, () => 0.5), 2000);
  assert.equal(backoffDelay(3, 1000, 30_000, () => 0.999999), 3999);
  const delays = Array.from({ length: 2000 }, () => backoffDelay(4, 1000, 30_000));
  assert.ok(delays.every((d) => d >= 0 && d < 8000), 'within [0, 8000)');
  assert.ok(Math.min(...delays) < 1000 && Math.max(...delays) > 7000, 'spread over the whole range');
  const mean = delays.reduce((a, b) => a + b, 0) / delays.length;
  assert.ok(mean > 3500 && mean < 4500, `mean about half the ceiling: ${mean}`);
});

test('the close code decides: stop on 1000, 1003 and 1008, at once on 4003, back off on every other', () => {
  for (const code of [1000, 1003, 1008]) assert.equal(closePolicy(code), 'stop', String(code));
  assert.equal(closePolicy(4003), 'now');
  for (const code of [1001, 1006, 1009, 1011, 1012, 4000, 4001, 4008, 4999, 3000]) {
    assert.equal(closePolicy(code), 'backoff', String(code));
  }
});
