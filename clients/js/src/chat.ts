import type { ClientContext } from './context.js';
import { Connection, type ConnectionEvents } from './connection.js';
import type { Frame } from './types.js';

/** A chat message: the `data` of a `message` frame (docs/protocol.md section 15). */
export interface ChatMessage {
  message_id: number;
  room_id: string;
  sender_id: string;
  content: string;
  client_msg_id: string | null;
  created_at: string;
}

/** A message sent but not yet seen back from the gateway. */
export interface PendingMessage {
  content: string;
  client_msg_id: string;
}

/** The events of a chat connection. */
export interface ChatEvents extends ConnectionEvents {
  /** A message, once: from the history on (re)join, then live, in id order. */
  message: (message: ChatMessage) => void;
  /** The history could not give every message missed (`recovered: false`): older ones are missing. */
  gap: (channel: string) => void;
}

/** How long to wait before sending pending messages again after RATE_LIMITED or INTERNAL. */
const RESEND_MS = 1_000;

/**
 * A matched chat (`/api/v1/matching/chat/{room_id}/ws`). Contract: each message is delivered once, in id order:
 * the newest 100 on the first join, then live, and after a reconnect every message missed (it resumes with
 * `last_message_id`). More than 100 missed (or trimmed from the room's history) cannot be recovered: `gap` says
 * so. `send` never loses or duplicates a message: it is queued while disconnected and (re)sent with the same
 * `client_msg_id` on every reconnect until the gateway echoes it, and the gateway stores a retry only once.
 */
export class ChatConnection extends Connection<ChatEvents> {
  /** The messages delivered, in order; appended by deliver(), emptied when the room's ids restarted. */
  readonly messages: ChatMessage[] = [];
  /** Messages sent and not yet echoed, in order; appended by send(), removed when their echo arrives. */
  readonly pending: PendingMessage[] = [];
  /** The ids in `messages`; deliver(). */
  private readonly seen = new Set<number>();
  /** The highest message id delivered (0: none), sent as last_message_id; deliver() and history. */
  private lastId = 0;
  /** Whether this socket's history arrived (live ids must then follow without a jump); handle(). */
  private synced = false;
  /** A scheduled resend of the pending messages; handle(), cleared when it runs. */
  private resendTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(context: ClientContext, readonly roomId: string) {
    super(context);
  }

  /**
   * Sends `text` (1 to 2000 characters, not blank) and returns its client_msg_id. Queued while disconnected and
   * sent on reconnect; it reaches `messages` (and the `message` event) when the gateway echoes it.
   */
  send(text: string): string {
    if (typeof text !== 'string' || text.length < 1 || text.length > 2000 || text.trim() === '') {
      throw new RangeError('A chat message is 1 to 2000 characters, not blank');
    }
    const message = { content: text, client_msg_id: newId() };
    this.pending.push(message);
    this.sendFrame({ type: 'message', data: message });
    return message.client_msg_id;
  }

  /**
   * Tells the others this user is typing (or stopped); the gateway stops it by itself after 5 s without a refresh.
   * Sent only while connected, never queued: returns whether it was sent.
   */
  typing(isTyping: boolean): boolean {
    return this.sendFrame({ type: 'typing', data: { is_typing: isTyping } });
  }

  /** Marks the messages up to `messageId` as read. Sent only while connected, never queued: returns whether it was. */
  read(messageId: number): boolean {
    return this.sendFrame({ type: 'read', data: { message_id: messageId } });
  }

  protected path(): string {
    return `/api/v1/matching/chat/${encodeURIComponent(this.roomId)}/ws`;
  }

  protected resumeQuery(): string {
    return `&last_message_id=${this.lastId}`;
  }

  protected isAcceptance(frame: Frame): boolean {
    return frame.type === 'connected';
  }

  protected admit(frame: Frame): boolean {
    if (frame.type !== 'message' || !frame.data) return true;
    this.acknowledge(frame.data.client_msg_id); // a retry's echo may repeat a message already delivered
    return !this.seen.has(frame.data.message_id);
  }

  protected handle(frame: Frame, first: boolean): void {
    const d = frame.data;
    if (first) {
      this.synced = false;
      this.flush();
    } else if (frame.type === 'history' && d) {
      this.history(d);
    } else if (frame.type === 'message' && d) {
      if (this.synced && d.message_id > this.lastId + 1) {
        this.reconnectNow(); // a jump: messages were lost live; the history of a new socket has them, in order
        return;
      }
      this.deliver(d);
    } else if (frame.type === 'error' && (frame.code === 'RATE_LIMITED' || frame.code === 'INTERNAL')) {
      clearTimeout(this.resendTimer);
      this.resendTimer = setTimeout(() => this.flush(), RESEND_MS);
    }
  }

  private history(d: { messages?: ChatMessage[]; recovered?: boolean; last_message_id?: number }): void {
    const newest = d.last_message_id ?? 0;
    if (newest < this.lastId) {
      // The room's ids restarted (its Redis lost its data): the ids held name other messages now.
      this.messages.length = 0;
      this.seen.clear();
      this.lastId = 0;
    }
    for (const message of d.messages ?? []) {
      this.acknowledge(message.client_msg_id);
      this.deliver(message);
    }
    this.lastId = Math.max(this.lastId, newest);
    this.synced = true;
    if (d.recovered === false) this.emit('gap', `matching:chat:${this.roomId}`);
  }

  private deliver(message: ChatMessage): void {
    if (typeof message.message_id !== 'number' || this.seen.has(message.message_id)) return;
    this.seen.add(message.message_id);
    this.lastId = Math.max(this.lastId, message.message_id);
    this.messages.push(message);
    this.emit('message', message);
  }

  private acknowledge(clientMsgId: unknown): void {
    const index = this.pending.findIndex((p) => p.client_msg_id === clientMsgId);
    if (index >= 0) this.pending.splice(index, 1);
  }

  /** Sends every pending message again, in order, with its client_msg_id: the gateway stores each once. */
  private flush(): void {
    this.resendTimer = undefined;
    for (const message of this.pending) {
      if (!this.sendFrame({ type: 'message', data: message })) return;
    }
  }
}

/** A new client_msg_id: a UUID where the platform has one, else 32 random hex digits. */
function newId(): string {
  const crypto = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
  if (crypto && typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  let id = '';
  while (id.length < 32) id += Math.floor(Math.random() * 16).toString(16);
  return id;
}
