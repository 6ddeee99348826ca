import type { Positions, WebSocketConstructor } from './types.js';

/** How to reach the gateway and keep the connections alive. Times are in milliseconds. */
export interface RealtimeOptions {
  /**
   * The gateway's base URL, `ws://host:port` or `wss://host` (`http(s)://` is turned into `ws(s)://`); or several,
   * tried in turn, one per attempt; or a function called once per attempt.
   */
  url: string | string[] | (() => string);
  /** A current token (JWT), called before every connect and for every in-band refresh. Never logged. */
  getToken: () => string | Promise<string>;
  /** The WebSocket class; default `globalThis.WebSocket` (inject the `ws` package's class in Node 20). */
  WebSocket?: WebSocketConstructor;
  /** How often a connected client sends `{"type":"ping"}`. Default 30000. */
  pingInterval?: number;
  /** After a ping, how long without any frame means the socket is dead: closed and replaced. Default 10000. */
  pongTimeout?: number;
  /** The ceiling of the first retry's delay. Default 1000. Attempt n waits random(0, min(base * 2^(n-1), cap)). */
  backoffBase?: number;
  /** The largest backoff ceiling. Default 30000. */
  backoffCap?: number;
  /** Failed attempts in a row after which a connection stops. Default Infinity (never stops retrying). */
  maxAttempts?: number;
  /** How long an attempt may take to open and get `connected` (or a room's `room_state`). Default 15000. */
  connectTimeout?: number;
  /** Notification positions saved from an earlier run (`notifications().positions()`). Default none. */
  positions?: Positions;
  /** In a browser: reconnect at once on `online` and when the page becomes visible. Default true. */
  reconnectOnOnline?: boolean;
}

/** The options with every default filled in; internal. */
export interface Settings {
  pingInterval: number;
  pongTimeout: number;
  backoffBase: number;
  backoffCap: number;
  maxAttempts: number;
  connectTimeout: number;
}

/** Fills the defaults and checks the numbers; throws a RangeError for a bad one. */
export function settingsOf(options: RealtimeOptions): Settings {
  const settings: Settings = {
    pingInterval: options.pingInterval ?? 30_000,
    pongTimeout: options.pongTimeout ?? 10_000,
    backoffBase: options.backoffBase ?? 1_000,
    backoffCap: options.backoffCap ?? 30_000,
    maxAttempts: options.maxAttempts ?? Infinity,
    connectTimeout: options.connectTimeout ?? 15_000,
  };
  for (const [name, value] of Object.entries(settings)) {
    if (!(value > 0)) throw new RangeError(`${name} must be above 0: ${value}`);
  }
  if (settings.backoffCap < settings.backoffBase) throw new RangeError('backoffCap is below backoffBase');
  return settings;
}

/** A function giving the base URL of each attempt: the one URL, the next of several (round robin), or `url()`. */
export function urlsOf(url: RealtimeOptions['url']): () => string {
  if (typeof url === 'function') return () => normalise(url());
  const all = (Array.isArray(url) ? url : [url]).map(normalise);
  if (all.length === 0) throw new RangeError('url: give at least one');
  let next = 0; // the index of the next attempt's URL; advanced by each call
  return () => all[next++ % all.length];
}

function normalise(url: string): string {
  return String(url).replace(/^http(s?):/i, 'ws$1:').replace(/\/+$/, '');
}
