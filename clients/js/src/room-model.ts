import type { Frame } from './types.js';

/** A room's shared timer (docs/protocol.md section 14). Times are epoch ms of the gateway's clock. */
export interface RoomTimer {
  status: 'idle' | 'running' | 'paused';
  duration_s: number;
  remaining_ms: number;
  ends_at: number | null;
  server_time: number;
  version: number;
  updated_by: string | null;
}

/** A room's state: the `data` of `room_state`, kept up to date by the events that follow it. */
export interface RoomState {
  room_id: string;
  participants: { user_id: string }[];
  participant_count: number;
  timer: RoomTimer;
  settings: Record<string, unknown>;
  version: number;
  server_time: number;
}

/**
 * A room's state and the rules that keep it right (docs/protocol.md section 14, versions): each `room_state`
 * replaces everything; an event is applied only if its version is above the last applied one of its kind; the
 * countdown uses the gateway's clock offset. Every applied change makes a new state object.
 */
export class RoomModel {
  /** The latest state, or null before the first room_state; replaced by apply(). */
  state: RoomState | null = null;
  /** The version the timer reflects; apply(). */
  private timerVersion = 0;
  /** The version the settings reflect; apply(). */
  private settingsVersion = 0;
  /** The newest presence version applied to the count; apply(). */
  private countVersion = 0;
  /** room_state's version: the floor for presence events; apply(). */
  private floor = 0;
  /** user_id to the version of the last presence event applied for that user; apply(). */
  private readonly seen = new Map<string, number>();
  /** The estimate of (gateway clock - local clock) in ms, from the last server_time; apply(). */
  private offsetMs = 0;

  /** Applies `frame`, received at local time `now`; returns whether the state changed. */
  apply(frame: Frame, now: number = Date.now()): boolean {
    const d = frame.data;
    if (frame.type === 'room_state' && d && typeof d === 'object') return this.replace(d as RoomState, now);
    const state = this.state;
    if (!state || !d || typeof d.version !== 'number') return false;
    const v: number = d.version;
    switch (frame.type) {
      case 'timer_updated': {
        if (v <= this.timerVersion) return false;
        this.timerVersion = v;
        const { room_id: _, ...timer } = d;
        this.clock(timer.server_time, now);
        return this.set({ ...state, timer: timer as RoomTimer });
      }
      case 'settings_updated':
        if (v <= this.settingsVersion) return false;
        this.settingsVersion = v;
        return this.set({ ...state, settings: d.settings ?? {} });
      case 'participant_joined':
      case 'participant_left':
        return this.presence(state, frame.type === 'participant_joined', String(d.user_id), v, d.count);
      case 'participant_count':
        if (v <= this.countVersion) return false;
        this.countVersion = v;
        return this.set({ ...state, participant_count: d.count });
      default:
        return false;
    }
  }

  /** The timer's remaining ms now: from ends_at and the clock offset while running; null before any state. */
  remainingMs(now: number = Date.now()): number | null {
    const timer = this.state?.timer;
    if (!timer) return null;
    if (timer.status !== 'running' || timer.ends_at === null) return timer.remaining_ms;
    return Math.max(0, timer.ends_at - (now + this.offsetMs));
  }

  /** The current estimate of (gateway clock - local clock) in ms. */
  clockOffset(): number {
    return this.offsetMs;
  }

  private replace(d: RoomState, now: number): boolean {
    this.floor = this.countVersion = this.settingsVersion = d.version;
    this.timerVersion = Math.max(d.version, d.timer?.version ?? 0);
    this.seen.clear();
    this.clock(d.server_time, now);
    return this.set({ ...d });
  }

  private presence(state: RoomState, joined: boolean, user: string, v: number, count: unknown): boolean {
    if (v <= (this.seen.get(user) ?? this.floor)) return false;
    this.seen.set(user, v);
    let participants = state.participants.filter((p) => p.user_id !== user);
    if (joined) participants = [...participants, { user_id: user }].sort((a, b) => (a.user_id < b.user_id ? -1 : 1));
    let participant_count = state.participant_count;
    if (v > this.countVersion && typeof count === 'number') {
      this.countVersion = v;
      participant_count = count;
    }
    return this.set({ ...state, participants, participant_count });
  }

  private clock(serverTime: unknown, now: number): void {
    if (typeof serverTime === 'number') this.offsetMs = serverTime - now;
  }

  private set(next: RoomState): boolean {
    this.state = next;
    return true;
  }
}
