import { ChatConnection } from './chat.js';
import type { ClientContext } from './context.js';
import { NotificationsConnection } from './notifications.js';
import { settingsOf, urlsOf, type RealtimeOptions } from './options.js';
import { RoomConnection } from './room.js';
import type { ConnectionState, WebSocketConstructor } from './types.js';
import { watchWake } from './wake.js';

/** What the client does with any of its connections. */
interface AnyConnection {
  readonly state: ConnectionState;
  onClose: (() => void) | undefined;
  start(): void;
  wake(): void;
  reconnectNow(): void;
  close(): void;
}

/**
 * The client of one gateway: its notifications, rooms and chats, each a connection that reconnects by itself
 * (docs/protocol.md section 12), resumes where it was, and stops only on 1000, 1003 or 1008 (or after
 * `maxAttempts` failures in a row). Tokens come from `getToken()`, before every connect and every in-band refresh,
 * and are sent in the `?token=` query parameter; the client logs nothing.
 */
export class RealtimeClient {
  /** What the connections share; immutable. */
  private readonly context: ClientContext;
  /** The positions to start notifications from; read once by notifications(). */
  private readonly initialPositions: RealtimeOptions['positions'];
  /** The notifications connection, created by the first notifications() call. */
  private notificationsConnection: NotificationsConnection | undefined;
  /** Rooms and chats by id; added by room() and chat(), removed when the application closes them. */
  private readonly rooms = new Map<string, RoomConnection>();
  /** See rooms. */
  private readonly chats = new Map<string, ChatConnection>();
  /** Removes the browser's online/visibility listeners; called by close(). */
  private readonly unwatch: () => void;
  /** Set by close(): the client opens nothing more. */
  private closed = false;

  constructor(options: RealtimeOptions) {
    if (!options || typeof options.getToken !== 'function') throw new TypeError('options.getToken is required');
    const WebSocket = options.WebSocket ?? (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    if (typeof WebSocket !== 'function') {
      throw new TypeError('No WebSocket class: pass options.WebSocket (in Node 20: the ws package\'s WebSocket)');
    }
    this.context = {
      nextUrl: urlsOf(options.url),
      getToken: options.getToken,
      WebSocket,
      settings: settingsOf(options),
      random: () => Math.random(),
    };
    this.initialPositions = options.positions;
    this.unwatch = options.reconnectOnOnline === false ? () => undefined : watchWake(() => this.wake());
  }

  /** The notifications connection: one per client, created and connected by the first call. */
  notifications(): NotificationsConnection {
    this.open();
    if (!this.notificationsConnection) {
      this.notificationsConnection = new NotificationsConnection(this.context, this.initialPositions);
      this.notificationsConnection.start();
    }
    return this.notificationsConnection;
  }

  /** The connection to room `roomId`: the open one, or a new one, connected at once. Close it to leave. */
  room(roomId: string): RoomConnection {
    return this.cached(this.rooms, roomId, () => new RoomConnection(this.context, roomId));
  }

  /** The connection to chat `roomId`: the open one, or a new one, connected at once. Close it to leave. */
  chat(roomId: string): ChatConnection {
    return this.cached(this.chats, roomId, () => new ChatConnection(this.context, roomId));
  }

  /**
   * Reconnects every connection at once, each resuming where it was: the notifications, and every room and chat
   * not closed by the application (one stopped by the gateway, say after a refused token, starts again).
   */
  reconnectNow(): void {
    for (const connection of this.all()) connection.reconnectNow();
  }

  /** Closes every connection (state `stopped`) and the browser listeners; the client opens nothing more. */
  close(): void {
    this.closed = true;
    this.unwatch();
    for (const connection of this.all()) connection.close();
  }

  private cached<C extends AnyConnection>(map: Map<string, C>, id: string, create: () => C): C {
    this.open();
    if (typeof id !== 'string' || !/^[A-Za-z0-9_.-]{1,128}$/.test(id)) {
      throw new RangeError('A room id is 1 to 128 of A-Z, a-z, 0-9, _, . and -');
    }
    const existing = map.get(id);
    if (existing && existing.state !== 'stopped') return existing;
    const connection = create();
    map.set(id, connection);
    connection.onClose = () => {
      if (map.get(id) === connection) map.delete(id);
    };
    connection.start();
    return connection;
  }

  private all(): AnyConnection[] {
    const all: AnyConnection[] = [...this.rooms.values(), ...this.chats.values()];
    if (this.notificationsConnection) all.push(this.notificationsConnection);
    return all;
  }

  private wake(): void {
    for (const connection of this.all()) {
      if (connection.state !== 'stopped') connection.wake();
    }
  }

  private open(): void {
    if (this.closed) throw new Error('This RealtimeClient is closed');
  }
}
