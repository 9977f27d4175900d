import { setMaxListeners } from 'node:events';
import { createRedisEventTarget } from '@graphql-yoga/redis-event-target';
import { createPubSub } from 'graphql-yoga';
import { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { RealtimeEvent } from './events';

export type TopicSubscription = {
  /** Events published to the topic from the moment of subscribing, in arrival order. */
  events: AsyncIterator<RealtimeEvent>;
  /** Settles once the broker is known to deliver to this subscription (Redis acknowledged SUBSCRIBE). */
  ready: Promise<void>;
  close(): Promise<void>;
};

/** A callback registered on a topic: see RealtimePubSub.listen. */
export type TopicListener = {
  /** Settles once the broker is known to deliver to this listener (Redis acknowledged SUBSCRIBE). */
  ready: Promise<void>;
  close(): void;
};

export type RealtimePubSub = {
  /** Never throws: a broker failure is logged and the event dropped (clients catch up by cursor). */
  publish(topic: string, event: RealtimeEvent): void;
  /** Waits (bounded) until everything published so far has reached the broker. */
  flush(): Promise<void>;
  subscribe(topic: string): TopicSubscription;
  /**
   * Calls `onEvent` synchronously as each event arrives, in arrival order across
   * every topic listened to: what one instance receives from several topics
   * (an access change, then an event it affects) is seen in that same order.
   * The event object is shared by every listener of the topic: never mutate it.
   */
  listen(topic: string, onEvent: (event: RealtimeEvent) => void): TopicListener;
  close(): Promise<void>;
};

export type PubSubOptions = {
  /** Redis for several instances; in-process when absent. */
  redisUrl?: string | undefined;
  /** Prepended to every channel name, so deployments (or test runs) sharing a Redis do not cross. */
  channelPrefix?: string;
  logger: Logger;
  /** How long flush() and ready wait for Redis before giving up on it (ms). */
  brokerTimeoutMs?: number;
};

type Topics = Record<string, [RealtimeEvent]>;

/** The minimal EventTarget both the Redis event target and the in-process one provide. */
type Target = {
  addEventListener(type: string, listener: (event: Event) => void): void;
  removeEventListener(type: string, listener: (event: Event) => void): void;
};

function listenOn(target: Target, channel: string, onEvent: (event: RealtimeEvent) => void, ready: () => Promise<void>): TopicListener {
  const listener = (event: Event) => onEvent((event as CustomEvent<RealtimeEvent>).detail);
  target.addEventListener(channel, listener);
  return { ready: ready(), close: () => target.removeEventListener(channel, listener) };
}

const settleWithin = (promise: Promise<unknown>, ms: number) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    timer.unref();
    promise.then(
      () => (clearTimeout(timer), resolve()),
      () => (clearTimeout(timer), resolve()),
    );
  });

/** One per app: Yoga's pub/sub over the Redis event target (two connections) or in-process. */
export function createRealtimePubSub({ redisUrl, channelPrefix = '', logger, brokerTimeoutMs = 1000 }: PubSubOptions): RealtimePubSub {
  if (!redisUrl) return inProcess(channelPrefix);

  // Both connections reconnect by themselves; while Redis is away, publishing fails fast (no endless offline queue).
  const redisOptions = { maxRetriesPerRequest: 1, lazyConnect: false, retryStrategy: (attempt: number) => Math.min(attempt * 200, 2000) };
  const publisher = new Redis(redisUrl, { ...redisOptions, connectionName: 'taskgraph-publish' });
  const subscriber = new Redis(redisUrl, { ...redisOptions, connectionName: 'taskgraph-subscribe' });
  let lastReported = 0;
  const reportError = (err: Error) => {
    // A Redis outage emits an error per reconnect attempt: one line every 10 s is enough.
    if (Date.now() - lastReported < 10_000) return;
    lastReported = Date.now();
    logger.warn({ err }, 'redis unavailable: real-time events are not shared between instances until it is back');
  };
  publisher.on('error', reportError);
  subscriber.on('error', reportError);

  let pending: Promise<unknown>[] = [];
  // The event target calls publish() without handling its promise; this wrapper does, so an outage never becomes an unhandled rejection.
  const publishClient = {
    publish(channel: string, message: string) {
      const sent = publisher.publish(channel, message).catch((err: Error) => {
        reportError(err);
        logger.debug({ channel }, 'real-time event dropped');
      });
      pending.push(sent);
      return sent;
    },
  } as unknown as Redis;
  const eventTarget = createRedisEventTarget({ publishClient, subscribeClient: subscriber });
  const pubsub = createPubSub<Topics>({ eventTarget });
  // Commands on one connection run in order: the PING answers after the SUBSCRIBE a new listener sent.
  const acknowledged = () => (subscriber.status === 'ready' ? settleWithin(subscriber.ping(), brokerTimeoutMs) : Promise.resolve());

  return {
    publish(topic, event) {
      pubsub.publish(channelPrefix + topic, event);
    },
    async flush() {
      const sent = pending;
      pending = [];
      await settleWithin(Promise.all(sent), brokerTimeoutMs);
    },
    subscribe(topic) {
      const subscription = iterate(pubsub, channelPrefix + topic);
      return { ...subscription, ready: acknowledged() };
    },
    listen: (topic, onEvent) => listenOn(eventTarget, channelPrefix + topic, onEvent, acknowledged),
    async close() {
      publisher.disconnect();
      subscriber.disconnect();
    },
  };
}

function inProcess(channelPrefix: string): RealtimePubSub {
  const eventTarget = new EventTarget();
  // A thousand subscribers of one task are a thousand listeners of one topic, not a leak.
  setMaxListeners(0, eventTarget);
  const pubsub = createPubSub<Topics>({ eventTarget });
  return {
    publish: (topic, event) => pubsub.publish(channelPrefix + topic, event),
    flush: async () => {},
    subscribe: (topic) => ({ ...iterate(pubsub, channelPrefix + topic), ready: Promise.resolve() }),
    listen: (topic, onEvent) => listenOn(eventTarget, channelPrefix + topic, onEvent, () => Promise.resolve()),
    close: async () => {},
  };
}

/** Subscribes at once (a Repeater only starts listening on its first next()), buffering until read. */
function iterate(pubsub: ReturnType<typeof createPubSub<Topics>>, channel: string): Omit<TopicSubscription, 'ready'> {
  const repeater = pubsub.subscribe(channel);
  let first: Promise<IteratorResult<RealtimeEvent>> | null = repeater.next();
  const events: AsyncIterator<RealtimeEvent> = {
    next() {
      if (first) {
        const result = first;
        first = null;
        return result;
      }
      return repeater.next();
    },
    return: () => repeater.return(undefined),
  };
  return {
    events,
    async close() {
      await repeater.return(undefined);
    },
  };
}
