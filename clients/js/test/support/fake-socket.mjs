// A fake WebSocket class for UNIT tests only (integration tests use real sockets): records what the client sends
// and lets a test play the gateway's part.
export class FakeSocket {
  /** Every socket created, in order; emptied by reset(). */
  static instances = [];

  static reset() {
    FakeSocket.instances = [];
  }

  /** The newest socket. */
  static get last() {
    return FakeSocket.instances[FakeSocket.instances.length - 1];
  }

  constructor(url) {
    this.url = new URL(url);
    this.readyState = 0; // CONNECTING; open(), serverClose() and close() change it
    this.sent = []; // parsed frames sent by the client
    this.closedWith = undefined; // the code the client closed with, or 'terminate'
    this.onopen = this.onmessage = this.onclose = this.onerror = null;
    FakeSocket.instances.push(this);
  }

  open() {
    this.readyState = 1;
    this.onopen?.({});
  }

  /** The gateway sends `frame` (an object, or raw text). */
  receive(frame) {
    this.onmessage?.({ data: typeof frame === 'string' ? frame : JSON.stringify(frame) });
  }

  /** The gateway accepts the connection. */
  accept(frame = { type: 'connected', message: 'Connected', user_id: 'alice' }) {
    this.open();
    this.receive(frame);
  }

  /** The gateway (or the network) closes the connection. */
  serverClose(code, reason = '') {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }

  send(data) {
    if (this.readyState !== 1) throw new Error('not open');
    this.sent.push(JSON.parse(data));
  }

  close(code) {
    this.readyState = 3;
    this.closedWith = code;
  }

  terminate() {
    this.readyState = 3;
    this.closedWith = 'terminate';
  }
}

/** Lets pending promise callbacks (getToken, then open) run; setImmediate is not faked by the tests. */
export function settle() {
  return new Promise((resolve) => setImmediate(resolve));
}
