import type { ClientContext } from './context.js';
import { Connection, type ConnectionEvents } from './connection.js';
import { RecoveryBook } from './recovery-book.js';
import type { Frame, Positions } from './types.js';

/** The events of a notifications connection. */
export interface NotificationsEvents extends ConnectionEvents {
  /** A `notification` frame: `{type:'notification', data, channel?, offset?, epoch?}`. Never twice. */
  notification: (frame: Frame) => void;
  /** The channel came back `recovered: false`: what was published there meanwhile is lost; reload it. */
  gap: (channel: string) => void;
}

/**
 * The notifications of the token's user and the broadcasts (`/api/v1/notifications/ws`), resumed across
 * reconnects. Contract: every notification published while the client was away is delivered once it is back, in
 * offset order, and none twice, as long as it missed no more than the gateway's history keeps (the newest 100 per
 * channel for 24 h by default). Beyond that window it cannot recover them: it emits `gap` with the channel, once
 * per reconnect, and the application reloads from its own backend. A raw Redis PUBLISH has no position and is not
 * recovered.
 */
export class NotificationsConnection extends Connection<NotificationsEvents> {
  /** The recovery positions; changed as frames arrive. */
  private readonly book: RecoveryBook;

  constructor(context: ClientContext, positions?: Positions) {
    super(context);
    this.book = new RecoveryBook(positions);
  }

  /** The newest positions of both channels: save them, and pass them back as `options.positions`. */
  positions(): Positions {
    return this.book.positions();
  }

  protected path(): string {
    return '/api/v1/notifications/ws';
  }

  protected resumeQuery(): string {
    return this.book.resumeQuery();
  }

  protected isAcceptance(frame: Frame): boolean {
    return frame.type === 'connected';
  }

  protected admit(frame: Frame): boolean {
    const { channel, epoch, offset } = frame;
    if (typeof channel !== 'string' || typeof epoch !== 'string' || typeof offset !== 'number') return true;
    return this.book.accept(channel, epoch, offset);
  }

  protected handle(frame: Frame, first: boolean): void {
    if (first) {
      for (const channel of this.book.connected(String(frame.user_id), frame.recovery)) this.emit('gap', channel);
    } else if (frame.type === 'notification') {
      this.emit('notification', frame);
    }
  }
}
