/**
 * The state of one endpoint connection (notifications, a room or a chat):
 * - `connecting`: the first attempt is under way;
 * - `connected`: the gateway accepted it (`connected`, or a room's first `room_state`) and frames flow;
 * - `reconnecting`: the socket was lost; the client waits out a backoff delay or is trying again;
 * - `stopped`: no more attempts (closed by the application, a close code that must not be retried, or
 *   `maxAttempts` failures in a row). `reconnectNow()` starts it again.
 */
export type ConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'stopped';

/** An `error` frame of the gateway (docs/protocol.md section 7). Switch on `code`; `message` is for people. */
export interface ErrorFrame {
  code: string;
  message: string;
}

/**
 * Why a connection stopped: the close `code` and `reason`, and the error frame that came just before the close,
 * if any (such as `AUTH_ERROR` before 1008 `Authentication failed`).
 */
export interface Stopped {
  code: number;
  reason: string;
  error?: ErrorFrame;
}

/**
 * The newest recovery positions of a notifications connection, one per channel, each written `epoch:offset`
 * (such as `h7Qm2Xb1:42`). Save them (for example in `localStorage`) and hand them back as `options.positions`,
 * so that a reopened page resumes where it was.
 */
export interface Positions {
  /** The position on the user's own channel, `notifications:user:{user_id}`. */
  user?: string;
  /** The position on `notifications:broadcast`. */
  broadcast?: string;
}

/** One JSON frame from the gateway, as it arrived: an object with a string `type`; other members vary by type. */
export interface Frame {
  type: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  [member: string]: any;
}

/**
 * The part of the WebSocket API the client uses: the browser's `WebSocket`, React Native's, Node 22's global one,
 * or the `ws` package's class all fit.
 */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onopen: ((event: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onmessage: ((event: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onclose: ((event: any) => void) | null;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  onerror: ((event: any) => void) | null;
}

/** A WebSocket class: `new WebSocket(url)`. */
export type WebSocketConstructor = new (url: string) => WebSocketLike;
