import type { ClientContext } from './context.js';
import { Connection, type ConnectionEvents } from './connection.js';
import { RoomModel, type RoomState } from './room-model.js';
import type { Frame } from './types.js';

/** The events of a room connection. */
export interface RoomEvents extends ConnectionEvents {
  /** The room's state changed (a new object each time): a room_state, or an event newer than the state. */
  room: (state: RoomState) => void;
}

/**
 * A focus room (`/ws/room/{room_id}`): participants, the shared timer and settings. Contract: `roomState` is the
 * latest `room_state` with every newer event applied (stale versions are ignored); each reconnect starts from a
 * fresh, complete `room_state`, so nothing is lost across a reconnect. Commands sent while disconnected are not
 * queued (`send` returns false): a timer command is only meaningful against the current state.
 */
export class RoomConnection extends Connection<RoomEvents> {
  /** The state; changed by the frames. */
  private readonly model = new RoomModel();

  constructor(context: ClientContext, readonly roomId: string) {
    super(context);
  }

  /** The latest state (room_state data with later events applied), or null before the first. */
  get roomState(): RoomState | null {
    return this.model.state;
  }

  /** The timer's remaining ms now, from `ends_at` and the gateway's clock offset; null before the first state. */
  remainingMs(): number | null {
    return this.model.remainingMs();
  }

  /** The estimated offset of the gateway's clock from the local one, in ms (gateway - local). */
  clockOffsetMs(): number {
    return this.model.clockOffset();
  }

  /**
   * Sends a frame such as `{type:'timer_start', data:{duration_s:1500}}` or
   * `{type:'update_settings', data:{settings:{...}}}`; returns false (nothing sent) when not connected.
   */
  send(frame: object): boolean {
    return this.sendFrame(frame);
  }

  protected path(): string {
    return `/ws/room/${encodeURIComponent(this.roomId)}`;
  }

  protected resumeQuery(): string {
    return '';
  }

  protected isAcceptance(frame: Frame): boolean {
    return frame.type === 'room_state';
  }

  protected handle(frame: Frame): void {
    if (this.model.apply(frame)) this.emit('room', this.model.state!);
  }
}
