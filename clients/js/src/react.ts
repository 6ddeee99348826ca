import { createContext, createElement, useCallback, useContext, useEffect, useRef, useState, type ReactNode } from 'react';
import type { ChatConnection, ChatMessage } from './chat.js';
import type { RealtimeClient } from './client.js';
import type { RoomConnection } from './room.js';
import type { RoomState } from './room-model.js';
import type { ConnectionState } from './types.js';

const ClientContext = createContext<RealtimeClient | null>(null);

/** Gives the hooks below their client. One client per gateway, usually created once for the whole app. */
export function RealtimeProvider(props: { client: RealtimeClient; children?: ReactNode }): ReturnType<typeof createElement> {
  return createElement(ClientContext.Provider, { value: props.client }, props.children);
}

function useClient(): RealtimeClient {
  const client = useContext(ClientContext);
  if (!client) throw new Error('@focusmate/realtime/react: wrap the app in <RealtimeProvider client={client}>');
  return client;
}

/** A notification as the seed's hook gives it: the `data` of a `notification` frame. */
export interface NotificationData {
  notification_id?: string;
  type?: string;
  title?: string;
  message?: string;
  data?: { routing?: { type?: string; path?: string; params?: Record<string, unknown> }; [key: string]: unknown };
  created_at?: string;
  [key: string]: unknown;
}

/**
 * The seed's hook (ARC-013 sections 6.1 and 6.2), on the client's notifications connection: `notifications`
 * newest first (those received while the component is mounted), `isConnected`, `connect()` (starts a stopped
 * connection again) and `disconnect()` (closes it). Unlike the seed's, it resumes after a reconnect without losing
 * or repeating a notification. Unmounting does not close the connection: the client owns it.
 */
export function useNotifications(onNewNotification?: (notification: NotificationData) => void): {
  isConnected: boolean;
  notifications: NotificationData[];
  connect: () => void;
  disconnect: () => void;
} {
  const client = useClient();
  const [isConnected, setIsConnected] = useState(false);
  const [notifications, setNotifications] = useState<NotificationData[]>([]);
  const callback = useRef(onNewNotification); // the latest callback; written by each render
  callback.current = onNewNotification;

  useEffect(() => {
    const connection = client.notifications();
    setIsConnected(connection.state === 'connected');
    const offState = connection.on('state', (state) => setIsConnected(state === 'connected'));
    const offNotification = connection.on('notification', (frame) => {
      const data = frame.data as NotificationData;
      setNotifications((previous) => [data, ...previous]);
      callback.current?.(data);
    });
    return () => {
      offState();
      offNotification();
    };
  }, [client]);

  const connect = useCallback(() => {
    const connection = client.notifications();
    if (connection.state === 'stopped') connection.reconnectNow();
  }, [client]);
  const disconnect = useCallback(() => client.notifications().close(), [client]);
  return { isConnected, notifications, connect, disconnect };
}

/**
 * A room for as long as the component is mounted (unmounting leaves it: one useRoom per room at a time).
 * `remainingMs()` is the timer's countdown now; call it when drawing.
 */
export function useRoom(roomId: string): {
  state: ConnectionState;
  roomState: RoomState | null;
  remainingMs: () => number | null;
  send: (frame: object) => boolean;
} {
  const client = useClient();
  const [state, setState] = useState<ConnectionState>('connecting');
  const [roomState, setRoomState] = useState<RoomState | null>(null);
  const room = useRef<RoomConnection | null>(null); // the mounted room; written by the effect

  useEffect(() => {
    const connection = client.room(roomId);
    room.current = connection;
    setState(connection.state);
    setRoomState(connection.roomState);
    const offState = connection.on('state', setState);
    const offRoom = connection.on('room', setRoomState);
    return () => {
      offState();
      offRoom();
      connection.close();
      room.current = null;
    };
  }, [client, roomId]);

  const remainingMs = useCallback(() => room.current?.remainingMs() ?? null, []);
  const send = useCallback((frame: object) => room.current?.send(frame) ?? false, []);
  return { state, roomState, remainingMs, send };
}

/**
 * A chat for as long as the component is mounted (unmounting leaves it: one useChat per chat at a time).
 * `messages` in id order, each once; `send(text)` returns the client_msg_id and never loses or repeats a message.
 */
export function useChat(roomId: string): {
  state: ConnectionState;
  messages: ChatMessage[];
  send: (text: string) => string;
} {
  const client = useClient();
  const [state, setState] = useState<ConnectionState>('connecting');
  const [messages, setMessages] = useState<ChatMessage[]>([]);
  const chat = useRef<ChatConnection | null>(null); // the mounted chat; written by the effect

  useEffect(() => {
    const connection = client.chat(roomId);
    chat.current = connection;
    setState(connection.state);
    setMessages([...connection.messages]);
    const offState = connection.on('state', setState);
    const offMessage = connection.on('message', () => setMessages([...connection.messages]));
    return () => {
      offState();
      offMessage();
      connection.close();
      chat.current = null;
    };
  }, [client, roomId]);

  const send = useCallback((text: string) => {
    if (!chat.current) throw new Error('useChat: send() before the component mounted or after it unmounted');
    return chat.current.send(text);
  }, []);
  return { state, messages, send };
}
