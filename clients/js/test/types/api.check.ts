// Compiled (not run) by `npm run build`: the declarations in dist/ must offer the API agreed in js-api.md.
import WS from 'ws';
import {
  type ChatMessage, type ConnectionState, type Frame, type Positions, RealtimeClient, type RoomState, type Stopped,
} from '../../dist/index.js';
import { RealtimeProvider, useChat, useNotifications, useRoom, type NotificationData } from '../../dist/react.js';

const client = new RealtimeClient({
  url: 'ws://localhost:8000', getToken: async () => 'jwt', WebSocket: WS, pingInterval: 30_000, pongTimeout: 10_000,
  backoffBase: 1_000, backoffCap: 30_000, maxAttempts: Infinity, connectTimeout: 15_000,
  positions: { user: 'e:1', broadcast: 'b:2' }, reconnectOnOnline: true,
});
new RealtimeClient({ url: ['ws://a', 'ws://b'], getToken: () => 'jwt', WebSocket: globalThis.WebSocket });
new RealtimeClient({ url: () => 'ws://a', getToken: () => 'jwt' });

const n = client.notifications();
const state: ConnectionState = n.state;
const off: () => void = n.on('state', (s: ConnectionState) => s);
n.on('frame', (frame: Frame) => frame.type);
n.on('error', (e: { code: string; message: string }) => e.code);
n.on('stopped', (s: Stopped) => s.error?.code);
n.on('notification', (frame: Frame) => frame.data);
n.on('gap', (channel: string) => channel);
const saved: Positions = n.positions();
n.reconnectNow();
n.close();

const room = client.room('room-42');
room.on('room', (s: RoomState) => s.timer.ends_at);
const latest: RoomState | null = room.roomState;
const left: number | null = room.remainingMs();
room.send({ type: 'timer_start', data: { duration_s: 1500 } });

const chat = client.chat('match-7');
chat.on('message', (m: ChatMessage) => m.message_id);
const id: string = chat.send('hello');
const seen: ChatMessage[] = chat.messages;
client.reconnectNow();
client.close();

function App(): unknown {
  const { isConnected, notifications, connect, disconnect } = useNotifications((d: NotificationData) => d.title);
  const r = useRoom('room-42');
  const c = useChat('match-7');
  return [isConnected, notifications, connect, disconnect, r.state, r.roomState, r.remainingMs(), r.send({ type: 'x' }),
    c.state, c.messages, c.send('x'), RealtimeProvider({ client })];
}

export { App, id, latest, left, off, saved, seen, state };
