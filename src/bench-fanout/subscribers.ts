import { performance } from 'node:perf_hooks';
import { createClient, type Client } from 'graphql-ws';
import WebSocket from 'ws';
import type { BenchUser } from './fixtures';

/** What a thread view needs of a new comment: its author, reactions and what the viewer may do with it. */
export const COMMENT_ADDED = `subscription ($taskId: ID!) {
  commentAdded(taskId: $taskId) {
    cursor
    comment { id body createdAt author { id name } reactions { emoji count viewerReacted } viewerCan { update delete react } }
  }
}`;

/** One subscription's receipts: comment body -> receive times (performance.now()), and any errors. */
export type Subscriber = { receipts: Map<string, number[]>; errors: string[]; ended: boolean };

export type SubscriberPool = { subscribers: Subscriber[]; close(): Promise<void> };

/**
 * `count` commentAdded subscriptions spread evenly over `connections`
 * graphql-ws connections, the connections round-robin over the servers at
 * `urls`; each connection authenticates as one member (members are reused
 * round-robin when there are more connections than members).
 */
export function openSubscribers(urls: readonly string[], taskId: string, members: BenchUser[], count: number, connections: number): SubscriberPool {
  const clients: Client[] = [];
  const subscribers: Subscriber[] = [];
  const unsubscribes: (() => void)[] = [];
  for (let c = 0; c < connections; c++) {
    const member = members[c % members.length]!;
    clients.push(
      createClient({
        url: urls[c % urls.length]!.replace(/^http/, 'ws'),
        webSocketImpl: WebSocket,
        connectionParams: { authorization: `Bearer ${member.token}` },
        retryAttempts: 0,
        lazy: true,
      }),
    );
  }
  for (let i = 0; i < count; i++) {
    const subscriber: Subscriber = { receipts: new Map(), errors: [], ended: false };
    subscribers.push(subscriber);
    unsubscribes.push(
      clients[i % connections]!.subscribe<{ commentAdded: { comment: { body: string } } }>(
        { query: COMMENT_ADDED, variables: { taskId } },
        {
          next: (result) => {
            const at = performance.now();
            if (result.errors?.length) return void subscriber.errors.push(result.errors[0]!.message);
            const body = result.data?.commentAdded.comment.body;
            if (body === undefined) return void subscriber.errors.push('no comment in the result');
            const times = subscriber.receipts.get(body);
            if (times) times.push(at);
            else subscriber.receipts.set(body, [at]);
          },
          error: (error) => {
            subscriber.errors.push(error instanceof Error ? error.message : JSON.stringify(error));
            subscriber.ended = true;
          },
          complete: () => (subscriber.ended = true),
        },
      ),
    );
  }
  return {
    subscribers,
    async close() {
      for (const unsubscribe of unsubscribes) unsubscribe();
      await Promise.all(clients.map((client) => client.dispose()));
    },
  };
}
