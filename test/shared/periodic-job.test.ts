import { describe, expect, it } from 'vitest';
import pino from 'pino';
import { startPeriodicJob } from '../../src/shared/periodic-job';
import { waitFor } from '../support/realtime-clients';

const silent = pino({ level: 'silent' });

describe('startPeriodicJob', () => {
  it('runs after the first delay, then on its interval, and hands each result to onPass', async () => {
    const results: number[] = [];
    let passes = 0;
    const job = startPeriodicJob({ name: 'counting', pass: async () => ++passes, onPass: (n) => results.push(n), logger: silent, firstRunDelayMs: 5, intervalMs: 5 });
    try {
      await waitFor(() => results.length >= 3, 2000, 'three passes');
    } finally {
      await job.stop();
    }
    expect(results.slice(0, 3)).toEqual([1, 2, 3]);
  });

  it('never overlaps passes: runOnce during a pass waits for that pass', async () => {
    let started = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const job = startPeriodicJob({
      name: 'gated',
      pass: async () => {
        started++;
        await gate;
        return started;
      },
      logger: silent,
      firstRunDelayMs: 60_000,
      intervalMs: 60_000,
    });
    const both = Promise.all([job.runOnce(), job.runOnce()]);
    release();
    expect(await both).toEqual([1, 1]);
    expect(started).toBe(1);
    await job.stop();
  });

  it('logs a failed pass and tries again on the next one', async () => {
    const lines: string[] = [];
    const logger = pino({ level: 'error' }, { write: (line: string) => void lines.push(line) });
    let passes = 0;
    const job = startPeriodicJob({
      name: 'flaky work',
      pass: async () => {
        passes++;
        if (passes === 1) throw new Error('boom');
        return passes;
      },
      logger,
      firstRunDelayMs: 5,
      intervalMs: 5,
    });
    try {
      await waitFor(() => passes >= 2, 2000, 'a second pass');
    } finally {
      await job.stop();
    }
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('flaky work failed; retrying on the next pass');
    expect(lines[0]).toContain('boom');
  });

  it('stop() waits for the pass in progress, and nothing runs afterwards', async () => {
    let finished = false;
    let passes = 0;
    const job = startPeriodicJob({
      name: 'slow',
      pass: async () => {
        passes++;
        await new Promise((resolve) => setTimeout(resolve, 50));
        finished = true;
        return passes;
      },
      logger: silent,
      firstRunDelayMs: 0,
      intervalMs: 1,
    });
    await waitFor(() => passes === 1, 2000, 'the first pass to start');
    await job.stop();
    expect(finished).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(passes).toBe(1);
    await expect(job.runOnce()).rejects.toThrow('slow: the job is stopped');
  });
});
