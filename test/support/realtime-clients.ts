import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { GraphQLResponse } from './harness';

/** Polls `check` until it returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(check: () => T | Promise<T>, timeoutMs = 5000, what = 'condition'): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** What one subscription received so far. */
export type Received<T = any> = {
  results: GraphQLResponse<T>[];
  completed: boolean;
  error: unknown;
  /** Waits until `count` results arrived. */
  atLeast(count: number, timeoutMs?: number): Promise<GraphQLResponse<T>[]>;
  /** Waits until the stream ended (completed or failed). */
  ended(timeoutMs?: number): Promise<void>;
  stop(): void;
};

function receiver<T>(): Received<T> & { sink: { next(value: any): void; error(error: unknown): void; complete(): void } } {
  const received: Received<T> & { sink: any; unsubscribe?: () => void } = {
    results: [],
    completed: false,
    error: undefined,
    atLeast: async (count, timeoutMs = 5000) => {
      await waitFor(() => received.results.length >= count, timeoutMs, `${count} subscription results (got ${received.results.length})`);
      return received.results;
    },
    ended: async (timeoutMs = 5000) => {
      await waitFor(() => received.completed || received.error !== undefined, timeoutMs, 'the subscription to end');
    },
    stop: () => received.unsubscribe?.(),
    sink: {
      next: (value: GraphQLResponse<T>) => received.results.push(value),
      error: (error: unknown) => (received.error = error ?? 'error'),
      complete: () => (received.completed = true),
    },
  };
  return received;
}

export const webSocketUrl = (httpUrl: string) => httpUrl.replace(/^http/, 'ws');

/** A graphql-ws client (Node 20 has no global WebSocket), authenticated by connectionParams when a token is given. */
export function wsClient(httpUrl: string, token?: string): Client {
  return createClient({
    url: webSocketUrl(httpUrl),
    webSocketImpl: WebSocket,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    retryAttempts: 0,
    lazy: true,
  });
}

export function subscribeWs<T = any>(client: Client, query: string, variables: Record<string, unknown> = {}): Received<T> {
  const received = receiver<T>();
  (received as any).unsubscribe = client.subscribe({ query, variables }, received.sink);
  return received;
}

/** A subscription over server-sent events, through any fetch (yoga.fetch or a real port's). */
export function subscribeSse<T = any>(
  fetchFn: (url: string, init: RequestInit) => Promise<Response>,
  url: string,
  query: string,
  variables: Record<string, unknown>,
  token?: string,
): Received<T> {
  const received = receiver<T>();
  const abort = new AbortController();
  (received as any).unsubscribe = () => abort.abort();
  void (async () => {
    try {
      const response = await fetchFn(url, {
        method: 'POST',
        signal: abort.signal,
        headers: {
          accept: 'text/event-stream',
          'content-type': 'application/json',
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
        body: JSON.stringify({ query, variables }),
      });
      const decoder = new TextDecoder();
      let text = '';
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        text += decoder.decode(chunk, { stream: true });
        let end: number;
        while ((end = text.indexOf('\n\n')) >= 0) {
          const message = text.slice(0, end);
          text = text.slice(end + 2);
          const event = /^event: (.*)$/m.exec(message)?.[1] ?? 'message';
          const data = /^data: (.*)$/m.exec(message)?.[1];
          if (event === 'complete') received.sink.complete();
          else if (data) received.sink.next(JSON.parse(data));
        }
      }
      received.sink.complete();
    } catch (error) {
      if (!abort.signal.aborted) received.sink.error(error);
    }
  })();
  return received;
}

export type ServerProcess = { url: string; stop(): Promise<void> };

/** Starts test/support/server-process.ts with `env` and waits for it to listen. */
export async function startServerProcess(env: Record<string, string>, timeoutMs = 45_000): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/server-process.ts'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server process not ready in ${timeoutMs} ms: ${stderr}`)), timeoutMs);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const match = /^ready (\d+)$/.exec(line);
      if (match) {
        clearTimeout(timer);
        resolve(Number(match[1]));
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server process exited (${code}): ${stderr}`));
    });
  });
  return {
    url: `http://127.0.0.1:${port}/graphql`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
        child.once('exit', () => (clearTimeout(kill), resolve()));
        child.kill('SIGTERM');
      }),
  };
}
