import { backoffDelay, closePolicy } from './backoff.js';
import type { ClientContext } from './context.js';
import { Emitter } from './emitter.js';
import type { ConnectionState, ErrorFrame, Frame, Stopped, WebSocketLike } from './types.js';

/** The events every endpoint connection emits. */
export interface ConnectionEvents {
  /** The state changed. */
  state: (state: ConnectionState) => void;
  /** Any JSON frame from the gateway, raw, except duplicates the client dropped. */
  frame: (frame: Frame) => void;
  /** An `error` frame (a close may follow it). */
  error: (error: ErrorFrame) => void;
  /** The connection stopped and will not retry by itself. */
  stopped: (stopped: Stopped) => void;
}

const ABNORMAL = 1006;
const OPEN = 1;
const noop = (): void => undefined;

/**
 * One endpoint connection and its life (docs/protocol.md sections 3, 10 and 12): it connects with a fresh token,
 * reconnects by close code with full-jitter backoff, pings and treats a silent socket as dead, and refreshes its
 * token in-band. Subclasses add what their endpoint needs. Events of an old socket are recognised by their attempt
 * number and ignored. Not thread-safe (JavaScript has one).
 */
export abstract class Connection<E extends ConnectionEvents = ConnectionEvents> extends Emitter<E> {
  /** The state; changed by setState() only. */
  private current: ConnectionState = 'connecting';
  /** The number of the current attempt; raised by connect() and whenever an attempt ends or is dropped. */
  private attempt = 0;
  /** Failed attempts since the last accepted connect; raised by lost(), reset on acceptance and by wake-ups. */
  private failures = 0;
  /** The socket of the current attempt; set by open(), cleared by drop(). */
  private socket: WebSocketLike | null = null;
  /** Whether the current socket was accepted (its first frame came); set by receive(), cleared by drop(). */
  private accepted = false;
  /** The last error frame of the current attempt, reported if a stopping close follows; receive() and drop(). */
  private lastError: ErrorFrame | undefined;
  /** The scheduled next attempt; set by retryAfter(), cleared by connect() and drop(). */
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  /** The ping interval of an accepted socket; set by receive(), cleared by drop(). */
  private pingTimer: ReturnType<typeof setInterval> | undefined;
  /** The connect or pong deadline; set by arm(), cleared by disarm(). */
  private deadline: ReturnType<typeof setTimeout> | undefined;
  /** @internal Called when the application closes the connection; set once by the client (to forget a left room). */
  onClose: (() => void) | undefined;

  constructor(protected readonly context: ClientContext) {
    super();
  }

  /** The current state. */
  get state(): ConnectionState {
    return this.current;
  }

  /** Starts the first attempt; called once by the client. */
  start(): void {
    this.connect();
  }

  /**
   * Connects again at once: a stopped connection starts over, a waiting one skips its backoff delay, a connected
   * one drops its socket and resumes on a new one. Nothing is lost: each endpoint resumes where it was.
   */
  reconnectNow(): void {
    if (this.current === 'stopped') {
      this.failures = 0;
      this.setState('connecting');
      this.connect();
    } else if (this.current === 'connected') {
      this.attempt++;
      this.drop(false);
      this.setState('reconnecting');
      this.connect();
    } else {
      this.wake();
    }
  }

  /** Closes the connection for good: state `stopped`, no retry (until `reconnectNow()`). */
  close(): void {
    if (this.current === 'stopped') return;
    this.attempt++;
    this.drop(false);
    this.stop({ code: 1000, reason: 'Closed by the client' });
    this.onClose?.();
  }

  /**
   * The page came back online or became visible: a connection waiting out a backoff tries at once; a connected
   * one checks with a ping that its socket still works.
   * @internal Called by the client.
   */
  wake(): void {
    if (this.retryTimer !== undefined) {
      clearTimeout(this.retryTimer);
      this.failures = 0;
      this.connect();
    } else if (this.accepted) {
      this.ping(this.attempt);
    }
  }

  /** The endpoint's path, such as `/api/v1/notifications/ws`. */
  protected abstract path(): string;

  /** Query parameters that resume where the connection was, each starting with `&`; '' for none. */
  protected abstract resumeQuery(): string;

  /** Whether `frame` is the endpoint's acceptance: `connected`, or a room's `room_state`. */
  protected abstract isAcceptance(frame: Frame): boolean;

  /** False to drop `frame` as already seen (no event at all). Default: keep every frame. */
  protected admit(_frame: Frame): boolean {
    return true;
  }

  /** Handles a kept frame; `first` for the acceptance frame of a new socket. */
  protected abstract handle(frame: Frame, first: boolean): void;

  /** Sends `frame` as JSON if the socket is accepted and open; returns whether it was sent. */
  protected sendFrame(frame: object): boolean {
    const socket = this.socket;
    if (!this.accepted || !socket || socket.readyState !== OPEN) return false;
    socket.send(JSON.stringify(frame));
    return true;
  }

  private connect(): void {
    if (this.current === 'stopped') return;
    const attempt = ++this.attempt;
    this.retryTimer = undefined;
    const timeout = this.context.settings.connectTimeout;
    this.arm(attempt, timeout, `Not connected within ${timeout} ms`);
    Promise.resolve()
      .then(() => this.context.getToken())
      .then(
        (token) => this.open(attempt, token),
        () => this.lost(attempt, ABNORMAL, 'getToken() failed'),
      );
  }

  private open(attempt: number, token: unknown): void {
    if (attempt !== this.attempt || this.current === 'stopped') return;
    if (typeof token !== 'string' || token.trim() === '') {
      this.lost(attempt, ABNORMAL, 'getToken() gave no token');
      return;
    }
    let socket: WebSocketLike;
    try {
      const url = `${this.context.nextUrl()}${this.path()}?token=${encodeURIComponent(token)}${this.resumeQuery()}`;
      socket = new this.context.WebSocket(url);
    } catch {
      this.lost(attempt, ABNORMAL, 'Could not open a WebSocket (is the url right?)');
      return;
    }
    this.socket = socket;
    socket.onopen = noop;
    socket.onerror = noop; // a close event follows
    socket.onmessage = (event: { data: unknown }) => this.receive(attempt, event.data);
    socket.onclose = (event: { code?: number; reason?: string }) =>
      this.lost(attempt, event.code ?? ABNORMAL, event.reason ?? '');
  }

  private receive(attempt: number, data: unknown): void {
    if (attempt !== this.attempt || this.current === 'stopped' || typeof data !== 'string') return;
    let frame: Frame;
    try {
      frame = JSON.parse(data);
    } catch {
      return; // the gateway sends only JSON; ignore what cannot be read
    }
    if (!frame || typeof frame !== 'object' || typeof frame.type !== 'string') return;
    const first = !this.accepted && this.isAcceptance(frame);
    if (first || this.accepted) this.disarm(); // any frame proves an accepted socket alive
    if (first) {
      this.accepted = true;
      this.failures = 0;
    }
    if (frame.type === 'token_expiring') this.refresh(attempt);
    if (frame.type === 'error') {
      const error = { code: String(frame.code), message: String(frame.message) };
      this.lastError = error;
      this.emit('error', error);
    }
    if (!this.admit(frame)) return;
    this.emit('frame', frame);
    this.handle(frame, first);
    if (first && attempt === this.attempt) {
      this.setState('connected');
      this.pingTimer = setInterval(() => this.ping(attempt), this.context.settings.pingInterval);
    }
  }

  private ping(attempt: number): void {
    if (attempt !== this.attempt || !this.sendFrame({ type: 'ping' })) return;
    if (this.deadline === undefined) {
      const timeout = this.context.settings.pongTimeout;
      this.arm(attempt, timeout, `No frame within ${timeout} ms of a ping`);
    }
  }

  private refresh(attempt: number): void {
    Promise.resolve()
      .then(() => this.context.getToken())
      .then(
        (token) => {
          if (attempt === this.attempt && typeof token === 'string' && token) {
            this.sendFrame({ type: 'refresh', data: { token } });
          }
        },
        noop, // no new token: the gateway closes with 4003 at the expiry, and the client reconnects
      );
  }

  /** The current attempt ended: stop, or retry at once or after a backoff delay, by close code. */
  private lost(attempt: number, code: number, reason: string, dead = false): void {
    if (attempt !== this.attempt || this.current === 'stopped') return;
    this.attempt++;
    const error = this.lastError;
    this.drop(dead);
    const stopped: Stopped = error ? { code, reason, error } : { code, reason };
    const policy = closePolicy(code);
    if (policy === 'stop') {
      this.stop(stopped);
    } else if (policy === 'now') {
      this.failures = 0;
      this.retryAfter(0);
    } else if (++this.failures >= this.context.settings.maxAttempts) {
      this.stop(stopped);
    } else {
      const { backoffBase, backoffCap } = this.context.settings;
      this.retryAfter(backoffDelay(this.failures, backoffBase, backoffCap, this.context.random));
    }
  }

  private retryAfter(delay: number): void {
    this.setState('reconnecting');
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private stop(stopped: Stopped): void {
    this.setState('stopped');
    this.emit('stopped', stopped);
  }

  /** Forgets the current socket and its timers; closes the socket (cleanly, or at once when it is dead). */
  private drop(dead: boolean): void {
    this.disarm();
    clearTimeout(this.retryTimer);
    clearInterval(this.pingTimer);
    this.retryTimer = undefined;
    this.pingTimer = undefined;
    this.accepted = false;
    this.lastError = undefined;
    const socket = this.socket as (WebSocketLike & { terminate?: () => void }) | null;
    this.socket = null;
    if (!socket) return;
    socket.onmessage = socket.onclose = socket.onopen = noop;
    try {
      if (dead && typeof socket.terminate === 'function') socket.terminate();
      else socket.close(1000);
    } catch {
      // already closed
    }
  }

  /** Treats the socket as dead unless a frame (before acceptance: the acceptance) arrives within `timeout`. */
  private arm(attempt: number, timeout: number, what: string): void {
    this.disarm();
    this.deadline = setTimeout(() => {
      this.deadline = undefined;
      this.lost(attempt, ABNORMAL, what, true);
    }, timeout);
  }

  private disarm(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
  }

  private setState(next: ConnectionState): void {
    if (this.current === next) return;
    this.current = next;
    this.emit('state', next);
  }
}
