import type { Logger } from 'pino';

export type PeriodicJobOptions<T> = {
  /** What the job does, for its log lines ("due-date notifications"). */
  name: string;
  /** One pass. A failed pass is logged and retried on the next one, so it must be safe to repeat. */
  pass: () => Promise<T>;
  logger: Logger;
  intervalMs: number;
  firstRunDelayMs: number;
  /** Called with the outcome of each pass that succeeded (to log what it did). */
  onPass?: (result: T) => void;
};

export type PeriodicJob<T> = {
  /** One pass now; while a pass is running, waits for it instead of starting another. */
  runOnce(): Promise<T>;
  /** Stops the timer and waits for a pass in progress; no pass starts afterwards. */
  stop(): Promise<void>;
};

/**
 * Runs `pass` after `firstRunDelayMs`, then `intervalMs` after each pass ends,
 * never two at once in this process. The timer does not keep the process
 * alive. Several processes may run the same job: making that safe is the
 * pass's business (idempotent writes, skipped locks).
 */
export function startPeriodicJob<T>({ name, pass, logger, intervalMs, firstRunDelayMs, onPass }: PeriodicJobOptions<T>): PeriodicJob<T> {
  let running: Promise<T> | null = null;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  const runOnce = (): Promise<T> => {
    if (stopped) return Promise.reject(new Error(`${name}: the job is stopped`));
    running ??= pass()
      .then((result) => {
        onPass?.(result);
        return result;
      })
      .finally(() => (running = null));
    return running;
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      runOnce()
        .catch((err: unknown) => logger.error({ err }, `${name} failed; retrying on the next pass`))
        .finally(() => schedule(intervalMs));
    }, delay);
    timer.unref();
  };
  schedule(firstRunDelayMs);

  return {
    runOnce,
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running?.catch(() => {});
    },
  };
}
