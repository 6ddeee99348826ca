/**
 * Calls `onWake` when a browser page comes back online or becomes visible (after a sleep, a network change), so
 * that connections need not wait out a long backoff. Does nothing where there is no `window` with
 * `addEventListener` (Node, React Native). Returns the function that removes the listeners.
 */
export function watchWake(onWake: () => void): () => void {
  const g = globalThis as { window?: EventTarget; document?: EventTarget & { visibilityState?: string } };
  const win = g.window;
  const doc = g.document;
  if (!win || typeof win.addEventListener !== 'function') return () => undefined;
  const online = (): void => onWake();
  const visible = (): void => {
    if (doc?.visibilityState === 'visible') onWake();
  };
  win.addEventListener('online', online);
  if (doc && typeof doc.addEventListener === 'function') doc.addEventListener('visibilitychange', visible);
  return () => {
    win.removeEventListener('online', online);
    if (doc && typeof doc.removeEventListener === 'function') doc.removeEventListener('visibilitychange', visible);
  };
}
