// A minimal Redis client (RESP2) for the integration tests: pipelined commands over one TCP connection.
import net from 'node:net';

/** Parses one reply at `pos`; returns [value, next] or null when the buffer holds only part of it. */
function parse(buf, pos) {
  const end = buf.indexOf('\r\n', pos);
  if (end < 0) return null;
  const kind = String.fromCharCode(buf[pos]);
  const line = buf.toString('utf8', pos + 1, end);
  const next = end + 2;
  if (kind === '+') return [line, next];
  if (kind === '-') return [new Error(line), next];
  if (kind === ':') return [Number(line), next];
  if (kind === '$') {
    const length = Number(line);
    if (length < 0) return [null, next];
    if (buf.length < next + length + 2) return null;
    return [buf.toString('utf8', next, next + length), next + length + 2];
  }
  if (kind === '*') {
    const count = Number(line);
    const items = [];
    let at = next;
    for (let i = 0; i < count; i++) {
      const item = parse(buf, at);
      if (!item) return null;
      items.push(item[0]);
      at = item[1];
    }
    return [items, at];
  }
  throw new Error(`Unexpected RESP reply kind ${kind}`);
}

export class Resp {
  /** The socket; set by connect(). */
  #socket;
  /** Bytes received and not yet parsed; appended by data events, consumed by replies. */
  #buffer = Buffer.alloc(0);
  /** The callbacks of the commands waiting for a reply, in order. */
  #waiting = [];

  static connect(port) {
    return new Promise((resolve, reject) => {
      const client = new Resp();
      const socket = net.connect(port, '127.0.0.1', () => resolve(client));
      socket.once('error', reject);
      socket.on('data', (data) => client.#received(data));
      socket.on('close', () => {
        for (const w of client.#waiting.splice(0)) w.reject(new Error('Redis connection closed'));
      });
      client.#socket = socket;
    });
  }

  /** Sends one command; resolves with its reply (rejects with a Redis error reply). */
  command(...args) {
    const parts = [`*${args.length}\r\n`];
    for (const arg of args) {
      const s = String(arg);
      parts.push(`$${Buffer.byteLength(s)}\r\n${s}\r\n`);
    }
    return new Promise((resolve, reject) => {
      this.#waiting.push({ resolve, reject });
      this.#socket.write(parts.join(''));
    });
  }

  close() {
    this.#socket.destroy();
  }

  #received(data) {
    this.#buffer = Buffer.concat([this.#buffer, data]);
    let pos = 0;
    for (;;) {
      const reply = pos < this.#buffer.length ? parse(this.#buffer, pos) : null;
      if (!reply) break;
      pos = reply[1];
      const w = this.#waiting.shift();
      if (reply[0] instanceof Error) w.reject(reply[0]);
      else w.resolve(reply[0]);
    }
    this.#buffer = this.#buffer.subarray(pos);
  }
}
