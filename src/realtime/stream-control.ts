/** A stream's loop sleeps in `idle` and is woken early by `state.wake()` (an event arrived, or the stream closed). */
export type Wakeable = { wake: () => void };

/** Until woken or `ms` pass, whichever comes first. */
export function idle(state: Wakeable, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, Math.max(ms, 0));
    function done() {
      clearTimeout(timer);
      state.wake = () => {};
      resolve();
    }
    state.wake = done;
  });
}

/**
 * Wraps a stream's generator so that a client going away (return/throw from
 * the transport) runs `close` at once, even while the generator is idle, and
 * only then finishes the generator.
 */
export function closableIterator<T>(inner: AsyncGenerator<T>, close: () => Promise<void>): AsyncIterableIterator<T> {
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    next: () => inner.next(),
    async return() {
      await close();
      return inner.return(undefined);
    },
    async throw(error: unknown) {
      await close();
      return inner.throw(error);
    },
  };
}
