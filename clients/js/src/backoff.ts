/**
 * Exponential backoff with full jitter (docs/protocol.md section 12): attempt n (from 1) waits a random time in
 * [0, min(base * 2^(n-1), cap)).
 */

/** The largest delay of attempt `attempt` (from 1): min(base * 2^(attempt-1), cap). */
export function backoffCeiling(attempt: number, base: number, cap: number): number {
  if (!(attempt >= 1)) throw new RangeError(`attempts count from 1: ${attempt}`);
  return Math.min(cap, base * 2 ** Math.min(attempt - 1, 60));
}

/** The delay before attempt `attempt` (from 1): a uniformly random part of its ceiling. */
export function backoffDelay(attempt: number, base: number, cap: number, random: () => number = Math.random): number {
  const factor = Math.min(Math.max(random(), 0), 1);
  return Math.floor(backoffCeiling(attempt, base, cap) * factor);
}

/** What a client does after a close, by close code (docs/protocol.md section 12). */
export type ClosePolicy = 'stop' | 'now' | 'backoff';

/** Stop on 1000, 1003 and 1008 (the cause must be fixed first); at once with a new token on 4003; else back off. */
export function closePolicy(code: number): ClosePolicy {
  if (code === 1000 || code === 1003 || code === 1008) return 'stop';
  return code === 4003 ? 'now' : 'backoff';
}
