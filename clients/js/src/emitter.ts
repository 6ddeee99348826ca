/** A tiny typed event emitter. A listener that throws is reported and the others still run. */
export class Emitter<E> {
  /** Added by on(), removed by the function it returns; read by emit(). */
  private readonly listeners = new Map<PropertyKey, Set<unknown>>();

  /** Calls `fn` on each `event` until the returned function is called. */
  on<K extends keyof E>(event: K, fn: E[K]): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(fn);
    return () => {
      set!.delete(fn);
    };
  }

  /** Calls the listeners of `event` with `args` (which must fit the event's signature). */
  protected emit(event: keyof E, ...args: unknown[]): void {
    const set = this.listeners.get(event);
    if (!set) return;
    for (const fn of [...set]) {
      try {
        (fn as (...a: unknown[]) => void)(...args);
      } catch (e) {
        report(e);
      }
    }
  }
}

function report(error: unknown): void {
  const g = globalThis as { reportError?: (e: unknown) => void };
  if (typeof g.reportError === 'function') g.reportError(error);
  else console.error('A @focusmate/realtime listener threw; the client carries on', error);
}
