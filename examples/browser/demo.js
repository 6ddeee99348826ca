// The demo page: one RealtimeClient per login, with its three endpoints (notifications, a room, a chat).
// The client reconnects, resumes and deduplicates; this file only draws what it reports.
import { RealtimeClient } from '../../clients/js/dist/realtime.min.js';

const $ = (id) => document.getElementById(id);
const POSITIONS_KEY = 'realtime-demo:positions:';   // + user id: where the notification positions outlive the tab

let client = null;      // the RealtimeClient while logged in, else null; owned by login() and logout()
let redraw = null;      // the countdown's redraw interval while logged in; owned by login() and logout()

$('url').value = new URLSearchParams(location.search).get('url') || defaultUrl();
$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  if (client) logout(); else login();
});
$('login-button').disabled = false;   // the client module has loaded
$('login-button').title = '';

// ws://<the page's host>:8000, or wss:// when the page came over HTTPS.
function defaultUrl() {
  const host = location.hostname || 'localhost';
  return `${location.protocol === 'https:' ? 'wss' : 'ws'}://${host.includes(':') ? `[${host}]` : host}:8000`;
}

function login() {
  const token = () => $('token').value.trim();    // read at every connect and refresh: paste a new one any time
  const user = subjectOf(token());
  if (!user) { showProblem('login', 'paste a token (JWT) first'); return; }
  const storageKey = POSITIONS_KEY + user;
  for (const list of ['notifications', 'messages', 'errors']) $(list).replaceChildren();
  $('notification-count').textContent = '0';
  $('gap').hidden = true;
  client = new RealtimeClient({
    url: $('url').value.trim(),
    getToken: async () => token(),
    positions: JSON.parse(localStorage.getItem(storageKey) || 'null') || undefined,
  });
  watchNotifications(client.notifications(), storageKey);
  watchRoom(client.room($('room-id').value.trim()));
  watchChat(client.chat($('chat-id').value.trim()));
  $('login-button').textContent = 'Log out';
}

function logout() {
  client.close();
  client = null;
  clearInterval(redraw);
  $('login-button').textContent = 'Log in';
  $('user').textContent = 'signed out';
}

// The token's `sub`, read without checking the signature (the gateway checks it); null for no token.
function subjectOf(token) {
  try {
    return JSON.parse(atob(token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/'))).sub || null;
  } catch {
    return null;
  }
}

// The state badge of one endpoint, and its errors and stop reason.
function watchState(name, connection) {
  const badge = $('state-' + name);
  const draw = (state) => { badge.textContent = state; badge.className = 'state ' + state; };
  draw(connection.state);
  connection.on('state', draw);
  connection.on('error', (error) => showProblem(name, `${error.code}: ${error.message}`));
  connection.on('stopped', (why) => {
    const error = why.error ? `${why.error.code}: ${why.error.message} · ` : '';
    if (why.code !== 1000) showProblem(name, `${error}stopped (close ${why.code} ${why.reason})`);
  });
}

function watchNotifications(notifications, storageKey) {
  watchState('notifications', notifications);
  const save = () => localStorage.setItem(storageKey, JSON.stringify(notifications.positions()));
  notifications.on('frame', (frame) => {
    if (frame.type === 'connected') $('user').textContent = `signed in as ${frame.user_id}`;
  });
  notifications.on('state', save);
  notifications.on('notification', (frame) => { save(); addNotification(frame); });
  notifications.on('gap', (channel) =>
    showGap(`Missed notifications on ${channel} are no longer kept: reload them from the backend.`));
}

function showGap(text) {
  $('gap').hidden = false;
  $('gap').textContent = text;
}

function addNotification(frame) {
  const d = frame.data || {};
  const li = document.createElement('li');
  li.dataset.channel = frame.channel || '';
  li.dataset.offset = frame.offset ?? '';
  const where = frame.channel === 'notifications:broadcast' ? 'broadcast' : 'user';
  li.append(span('pos', `${where} ${frame.epoch ?? '-'}:${frame.offset ?? '-'}`), span('title', d.title ?? ''),
    span('message', d.message ?? ''), document.createElement('br'),
    span('meta', `${d.type ?? ''} · ${d.created_at ?? ''}`));
  $('notifications').prepend(li);
  $('notification-count').textContent = $('notifications').children.length;
}

function watchRoom(room) {
  watchState('room', room);
  const command = (type, data) => {     // not queued: a timer command only makes sense against the current state
    if (!room.send(data ? { type, data } : { type })) showProblem('room', `not connected: ${type} was not sent`);
  };
  $('timer-start').onclick = () => command('timer_start', { duration_s: Number($('duration').value) });
  $('timer-pause').onclick = () => command('timer_pause');
  $('timer-resume').onclick = () => command('timer_resume');
  $('timer-reset').onclick = () => command('timer_reset');
  room.on('room', (state) => drawParticipants(state));
  redraw = setInterval(() => drawCountdown(room), 250);
}

function drawParticipants(state) {
  const names = (state.participants || []).map((p) => p.user_id);
  $('participants').textContent = `${state.participant_count ?? names.length} here: ${names.join(', ')}`;
}

// mm:ss rounded up, from the client's "remaining ms now" (ends_at and the server's clock offset).
function drawCountdown(room) {
  const ms = room.remainingMs();
  const timer = room.roomState && room.roomState.timer;
  if (ms === null || !timer) return;
  const s = Math.ceil(ms / 1000);
  $('countdown').textContent = `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  $('countdown').dataset.ms = String(ms);
  $('timer-status').textContent = timer.status === 'idle' ? 'idle' : `${timer.status}, set by ${timer.updated_by}`;
}

function watchChat(chat) {
  watchState('chat', chat);
  chat.on('message', addMessage);
  chat.on('gap', () => showGap('Some older chat messages are no longer kept.'));
  $('chat-form').onsubmit = (event) => {
    event.preventDefault();
    const text = $('chat-text').value;
    if (!text.trim()) return;
    const li = line('me', text, 'sending…');        // replaced by the gateway's echo, which carries the id
    li.className = 'pending';
    li.dataset.clientMsgId = chat.send(text);          // queued while disconnected, sent once on reconnect
    $('messages').append(li);
    $('chat-text').value = '';
  };
}

// In message id order, before the pending ones; the sender's own pending line gives way to the echo.
function addMessage(m) {
  const list = $('messages');
  [...list.querySelectorAll('li.pending')].find((p) => p.dataset.clientMsgId === m.client_msg_id)?.remove();
  const li = line(m.sender_id, m.content, `#${m.message_id}`);
  li.dataset.messageId = m.message_id;
  const next = [...list.children]
    .find((el) => el.classList.contains('pending') || Number(el.dataset.messageId) > m.message_id);
  list.insertBefore(li, next || null);
  list.scrollTop = list.scrollHeight;
}

function line(sender, text, where) {
  const li = document.createElement('li');
  li.append(span('pos', where), span('title', sender), span('content', text));
  return li;
}

// One line per endpoint: its latest error frame or stop reason.
function showProblem(where, text) {
  let li = [...$('errors').children].find((item) => item.dataset.where === where);
  if (!li) {
    li = document.createElement('li');
    li.dataset.where = where;
    $('errors').append(li);
  }
  li.replaceChildren(span('title', where), span('message', text));
}

function span(className, text) {
  const s = document.createElement('span');
  s.className = className;
  s.textContent = text;
  return s;
}
