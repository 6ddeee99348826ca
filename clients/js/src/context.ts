import type { Settings } from './options.js';
import type { WebSocketConstructor } from './types.js';

/** What the connections of one client share; internal, immutable. */
export interface ClientContext {
  /** The base URL (`ws://host:port`) of the next attempt; called once per attempt. */
  nextUrl: () => string;
  /** A current token; called for every connect and every refresh. */
  getToken: () => string | Promise<string>;
  /** The WebSocket class. */
  WebSocket: WebSocketConstructor;
  /** The timings, with defaults filled in. */
  settings: Settings;
  /** Values in [0, 1) for the jitter. */
  random: () => number;
}
