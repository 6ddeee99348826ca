import type { Positions } from './types.js';

/** The broadcast channel's name. */
export const BROADCAST = 'notifications:broadcast';

/** A position in a channel's history: its epoch and an offset in it. */
interface Position {
  epoch: string;
  offset: number;
}

/** Reads `epoch:offset`; undefined for anything else (a bad saved position is dropped, not sent). */
export function parsePosition(text: string | undefined): Position | undefined {
  if (typeof text !== 'string') return undefined;
  const colon = text.lastIndexOf(':');
  const epoch = text.slice(0, colon);
  const offset = Number(text.slice(colon + 1));
  if (colon < 0 || !/^[A-Za-z0-9_-]{1,32}$/.test(epoch) || !Number.isSafeInteger(offset) || offset < 0) {
    return undefined;
  }
  return { epoch, offset };
}

const format = (p: Position | undefined): string | undefined => (p ? `${p.epoch}:${p.offset}` : undefined);

/**
 * The positions of a notifications connection (docs/protocol.md section 6, recovery): the query that resumes from
 * them, what `connected`'s `recovery` changes, and whether a frame was already seen.
 */
export class RecoveryBook {
  /** The newest position on the user's channel; changed by connected() and accept(). */
  private user: Position | undefined;
  /** The newest position on the broadcast channel; changed by connected() and accept(). */
  private broadcast: Position | undefined;
  /** The user's channel, `notifications:user:{user_id}`; set by connected(). */
  private userChannel: string | undefined;

  constructor(initial: Positions = {}) {
    this.user = parsePosition(initial.user);
    this.broadcast = parsePosition(initial.broadcast);
  }

  /** The newest positions, to save and hand back as `options.positions`. */
  positions(): Positions {
    const positions: Positions = {};
    if (this.user) positions.user = format(this.user);
    if (this.broadcast) positions.broadcast = format(this.broadcast);
    return positions;
  }

  /** `&recover=true` without positions; otherwise `&since=...` and/or `&broadcast_since=...`. */
  resumeQuery(): string {
    if (!this.user && !this.broadcast) return '&recover=true';
    return (this.user ? `&since=${format(this.user)}` : '') +
      (this.broadcast ? `&broadcast_since=${format(this.broadcast)}` : '');
  }

  /**
   * Takes in a `connected` frame's `user_id` and `recovery` member, and returns the channels that came back
   * `recovered: false` (frames were lost there). A recovered channel keeps the client's position (the missed
   * frames follow and advance it); any other takes the gateway's.
   */
  connected(userId: string, recovery: unknown): string[] {
    this.userChannel = `notifications:user:${userId}`;
    const gaps: string[] = [];
    for (const key of ['user', 'broadcast'] as const) {
      const channel = (recovery as Record<string, Record<string, unknown>> | undefined)?.[key];
      if (!channel || typeof channel !== 'object') continue;
      if (channel.recovered === false) gaps.push(key === 'user' ? this.userChannel : BROADCAST);
      const position = parsePosition(`${channel.epoch}:${channel.offset}`);
      if (position && channel.recovered !== true) this[key] = position;
    }
    return gaps;
  }

  /**
   * Whether a frame at `epoch:offset` on `channel` is new: false when it is at or before the newest position of
   * the same epoch (a duplicate, to drop). A new one becomes the channel's position. Other channels: always new.
   */
  accept(channel: string, epoch: string, offset: number): boolean {
    const key = channel === this.userChannel ? 'user' : channel === BROADCAST ? 'broadcast' : undefined;
    if (!key) return true;
    const seen = this[key];
    if (seen && seen.epoch === epoch && offset <= seen.offset) return false;
    this[key] = { epoch, offset };
    return true;
  }
}
