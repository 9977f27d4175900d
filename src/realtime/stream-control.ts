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

/** A wake-up that is never lost: one that comes while nobody waits makes the next `wait()` return at once. */
export type Signal = { wake(): void; wait(): Promise<void> };

export function createSignal(): Signal {
  let pending = false;
  let resolve: (() => void) | null = null;
  return {
    wake() {
      pending = true;
      resolve?.();
    },
    async wait() {
      if (!pending) await new Promise<void>((done) => (resolve = done));
      resolve = null;
      pending = false;
    },
  };
}

/** How many payloads all streams of this process may hand to GraphQL execution in one turn of the event loop. */
const DELIVERIES_PER_TURN = 32;
const waitingTurns: (() => void)[] = [];
let deliveredThisTurn = 0;
let turnScheduled = false;

function nextTurn(): void {
  turnScheduled = false;
  deliveredThisTurn = 0;
  while (deliveredThisTurn < DELIVERIES_PER_TURN && waitingTurns.length > 0) {
    deliveredThisTurn++;
    waitingTurns.shift()!();
  }
  if (deliveredThisTurn > 0) scheduleTurn();
}

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(nextTurn);
}

/**
 * Waits (when needed) for a delivery slot: one event fanned out to a thousand
 * subscriptions is executed and sent a few dozen at a time, one batch per turn
 * of the event loop, in the order the streams asked. The first subscribers get
 * it without waiting for the last (each batch's messages leave at the end of
 * its turn), and requests that arrive meanwhile (a mutation, a new
 * subscription) are served between batches, not after the whole fan-out.
 * Null when a slot is free right away.
 */
export function deliveryTurn(): Promise<void> | null {
  scheduleTurn();
  if (waitingTurns.length === 0 && deliveredThisTurn < DELIVERIES_PER_TURN) {
    deliveredThisTurn++;
    return null;
  }
  return new Promise((resolve) => waitingTurns.push(resolve));
}
