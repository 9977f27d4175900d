import { readFile } from 'node:fs/promises';
import { performance } from 'node:perf_hooks';
import type { BenchUser } from './fixtures';
import type { Subscriber } from './subscribers';

const ADD_COMMENT = `mutation ($input: AddCommentInput!) { addComment(input: $input) { __typename } }`;

export type Posted = { body: string; sentAt: number; respondedAt: number; ok: boolean };

/** Adds one comment over HTTP as `poster`, timing the request. */
export async function postComment(url: string, poster: BenchUser, taskId: string, body: string): Promise<Posted> {
  const sentAt = performance.now();
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${poster.token}` },
    body: JSON.stringify({ query: ADD_COMMENT, variables: { input: { taskId, body } } }),
  });
  const result = (await response.json()) as { data?: { addComment?: { __typename: string } } };
  return { body, sentAt, respondedAt: performance.now(), ok: result.data?.addComment?.__typename === 'AddCommentSuccess' };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Until every subscriber has every body in `bodies`, or `timeoutMs` pass; true when complete. */
export async function allReceived(subscribers: readonly Subscriber[], bodies: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (subscribers.every((s) => bodies.every((body) => s.receipts.has(body)))) return true;
    if (Date.now() > deadline) return false;
    await sleep(50);
  }
}

/** User + system CPU time a process has used so far, in ms (Linux /proc; 0 elsewhere). */
export async function processCpuMs(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11] ?? 0) + Number(fields[12] ?? 0);
  return (ticks * 1000) / 100;
}

/** Samples `read` every `everyMs` until stopped; returns the peak. */
export function peakSampler(read: () => Promise<number>, everyMs = 200) {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      peak = Math.max(peak, await read());
      await sleep(everyMs);
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      peak = Math.max(peak, await read());
      return peak;
    },
  };
}
