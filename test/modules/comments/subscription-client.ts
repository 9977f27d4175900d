import type { TestApp } from '../../support/harness';

export type Subscription<T> = {
  /** The next event's data (fails after `timeoutMs`). */
  next(timeoutMs?: number): Promise<T>;
  /** Disconnects: the server ends the stream (the iterator's return()). */
  close(): Promise<void>;
};

/**
 * A GraphQL subscription over server-sent events through the app's fetch
 * handler (no network): what a client that disconnects and resumes does.
 */
export async function subscribe<T = any>(
  t: TestApp,
  query: string,
  options: { variables?: Record<string, unknown>; token: string },
): Promise<Subscription<T>> {
  const abort = new AbortController();
  const response = await t.app.yoga.fetch('http://test/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${options.token}` },
    body: JSON.stringify({ query, variables: options.variables }),
    signal: abort.signal,
  });
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
  const queued: T[] = [];
  let text = '';

  const readEvent = async (): Promise<T> => {
    for (;;) {
      const end = text.indexOf('\n\n');
      if (end >= 0) {
        const block = text.slice(0, end);
        text = text.slice(end + 2);
        const data = block
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).trim())
          .join('\n');
        if (!data) continue;
        const message = JSON.parse(data) as { data?: T; errors?: unknown[] };
        if (message.errors) throw new Error(`subscription error: ${JSON.stringify(message.errors)}`);
        if (message.data) return message.data;
        continue;
      }
      const chunk = await reader.read();
      if (chunk.done) throw new Error('the subscription ended');
      text += chunk.value;
    }
  };

  return {
    async next(timeoutMs = 10_000) {
      if (queued.length) return queued.shift()!;
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('no subscription event in time')), timeoutMs);
      });
      try {
        return await Promise.race([readEvent(), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      abort.abort();
      await reader.cancel().catch(() => {});
    },
  };
}
