export { RealtimeClient } from './client.js';
export type { RealtimeOptions } from './options.js';
export type { ConnectionState, ErrorFrame, Frame, Positions, Stopped, WebSocketConstructor, WebSocketLike } from './types.js';
export { Connection, type ConnectionEvents } from './connection.js';
export { NotificationsConnection, type NotificationsEvents } from './notifications.js';
export { RoomConnection, type RoomEvents } from './room.js';
export type { RoomState, RoomTimer } from './room-model.js';
export { ChatConnection, type ChatEvents, type ChatMessage, type PendingMessage } from './chat.js';
export { backoffCeiling, backoffDelay, closePolicy, type ClosePolicy } from './backoff.js';
