import { randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { renderGraphiQL } from '@graphql-yoga/render-graphiql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import pino, { type Logger } from 'pino';
import { createAccessTokenSigner } from './auth/access-tokens';
import { createCredentialRecheck } from './auth/credential-recheck';
import { resolveViewer, type Viewer } from './auth/viewer';
import type { Config } from './config/env';
import { createDatabase, type DatabaseOptions } from './db/client';
import { RequestTransaction } from './db/request-transaction';
import type { AppDependencies, GraphQLContext } from './graphql/context';
import { requestIdOf, useRequestLogging } from './graphql/plugins/request-logging';
import { useRequestTransaction } from './graphql/plugins/request-transaction';
import { useSharedSubscriptionExecution } from './graphql/plugins/shared-subscription-execution';
import { schema } from './graphql/schema';
import { createPresenceStore } from './realtime/presence-store';
import { createRealtimePubSub } from './realtime/pubsub';
import { createSequencer, type Sequencer } from './realtime/sequencer';
import { attachWebSocketTransport, type WebSocketTransport } from './realtime/websocket';
import { DomainError } from './shared/errors';
import { useLocalStorageRoutes } from './storage/local-routes';

export type AppOptions = {
  config: Config;
  /** The server role's connection string (not the owner's). */
  databaseUrl: string;
  logger?: Logger;
  database?: DatabaseOptions;
};

export type App = {
  yoga: YogaServerInstance<Record<string, never>, GraphQLContext>;
  server: Server;
  /** Starts the real-time sequencer alone (start() does it too): for tests that use yoga.fetch without listening. */
  startRealtime(): Promise<void>;
  start(port?: number, host?: string): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
};

// By name as well as by class: the executor and graphql-js may each bring their own GraphQLError.
const isGraphQLError = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError');

const bearerOf = (header: unknown) => {
  const match = typeof header === 'string' ? header.match(/^Bearer\s+(.+)$/i) : null;
  return match?.[1]?.trim() ?? null;
};

/** Who is asking and from where: an HTTP request's headers, or a WebSocket's `connectionParams`. */
type Caller = { bearer: string | null; requestId: string; userAgent: string | null };

function callerOf(initial: { request?: Request; connectionParams?: Record<string, unknown> | null; req?: { headers: Record<string, unknown> } }): Caller {
  if (initial.request) {
    const { request } = initial;
    return { bearer: bearerOf(request.headers.get('authorization')), requestId: requestIdOf(request), userAgent: request.headers.get('user-agent') };
  }
  const userAgent = initial.req?.headers['user-agent'];
  return {
    bearer: bearerOf(initial.connectionParams?.authorization),
    requestId: randomUUID(),
    userAgent: typeof userAgent === 'string' ? userAgent : null,
  };
}

/**
 * The one context factory: HTTP requests and WebSocket operations build their
 * context the same way. The viewer is resolved in the request's transaction,
 * which the request-transaction plugin ends after execution.
 */
async function createContext(deps: AppDependencies, caller: Caller): Promise<GraphQLContext> {
  const transaction = new RequestTransaction(deps.db);
  let viewer: Viewer | null;
  try {
    viewer = await resolveViewer(deps.db, deps.signer, caller.bearer, transaction);
  } catch (error) {
    await transaction.finish('rollback').catch(() => {});
    throw error;
  }
  return {
    ...deps,
    logger: deps.logger.child({ requestId: caller.requestId }),
    viewer,
    transaction,
    // Long-lived subscriptions re-check after the request's transaction has ended, batched with other subscriptions'.
    refreshViewer: () => (caller.bearer ? deps.realtime.recheckCredential(caller.bearer) : Promise.resolve(null)),
    credentialKey: caller.bearer,
    requestId: caller.requestId,
    userAgent: caller.userAgent,
  };
}

/** Builds the API without side effects: nothing listens or connects until used. */
export function buildApp({ config, databaseUrl, logger: givenLogger, database }: AppOptions): App {
  const logger = givenLogger ?? pino({ level: config.logLevel });
  const { db, close: closeDatabase } = createDatabase(databaseUrl, { max: config.database.poolMax, ...database });
  const signer = createAccessTokenSigner(config.auth.jwtSecret, config.auth.accessTokenTtlSeconds);
  const pubsub = createRealtimePubSub({ redisUrl: config.redisUrl, channelPrefix: config.realtime.channelPrefix, logger });
  const presence = createPresenceStore({
    redisUrl: config.redisUrl,
    keyPrefix: config.realtime.channelPrefix,
    ttlSeconds: config.realtime.presenceTtlSeconds,
    logger,
  });
  const realtime = { pubsub, accessCheckMs: config.realtime.accessCheckMs, recheckCredential: createCredentialRecheck(db, signer) };
  const deps: AppDependencies = { config, db, signer, logger, realtime, presence };
  const sequencer: Sequencer = createSequencer({ databaseUrl, pubsub, logger, safetyIntervalMs: config.realtime.safetyIntervalMs });
  let sequencerStarted: Promise<void> | undefined;
  const startRealtime = () => (sequencerStarted ??= config.realtime.runSequencer ? sequencer.start() : Promise.resolve());

  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphiql: config.graphiql ? { title: 'Taskgraph', subscriptionsProtocol: 'WS' } : false,
    // GraphiQL's code served by the API itself: the default page fetches it from a CDN, which offline machines cannot reach.
    renderGraphiQL,
    landingPage: false,
    logging: {
      debug: (...args) => logger.debug(args),
      info: (...args) => logger.info(args),
      warn: (...args) => logger.warn(args),
      error: (...args) => logger.error(args),
    },
    maskedErrors: {
      // Domain errors carry a code and a message meant for clients; anything else is logged and masked.
      maskError(error, message) {
        const original = isGraphQLError(error) ? error.originalError : error;
        if (original instanceof DomainError) {
          return new GraphQLError(original.message, { extensions: { code: original.code } });
        }
        // Pothos refuses malformed input itself (e.g. a global id of the wrong type or shape).
        if (original instanceof PothosValidationError) {
          return new GraphQLError(original.message, { extensions: { code: 'VALIDATION_FAILED' } });
        }
        // Parse, validation and variable errors come from GraphQL itself and are safe to show.
        if (isGraphQLError(error) && (!original || isGraphQLError(original))) return error;
        logger.error({ err: original ?? error }, 'unexpected error');
        return new GraphQLError(message, { extensions: { code: 'INTERNAL_SERVER_ERROR' } });
      },
    },
    plugins: [
      // First: answers the local storage driver's signed /files/... URLs before GraphQL sees them.
      useLocalStorageRoutes(config),
      useRequestLogging(),
      useRequestTransaction(),
      useSharedSubscriptionExecution(),
      EnvelopArmorPlugin({
        maxDepth: { n: 15 },
        // Sized so the deepest legitimate screen (organization -> projects -> tasks -> relations) fits.
        costLimit: { maxCost: 50_000 },
        maxAliases: { n: 30 },
        maxTokens: { n: 5_000 },
      }),
    ],
    context: (initial) => createContext(deps, callerOf(initial as Parameters<typeof callerOf>[0])),
  });

  const server = createServer(yoga);
  let webSocket: WebSocketTransport | undefined;

  return {
    yoga,
    server,
    startRealtime,
    async start(port = config.port, host = config.host) {
      webSocket ??= attachWebSocketTransport(server, yoga);
      await startRealtime();
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' ? 'localhost' : host;
          resolve({ port: address.port, url: `http://${shownHost}:${address.port}/graphql` });
        });
      });
    },
    async stop() {
      // Subscriptions first: open WebSockets would keep server.close() waiting.
      await webSocket?.close();
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      if (sequencerStarted) await sequencerStarted.catch(() => {});
      await sequencer.stop();
      await pubsub.close();
      await presence.close();
      await closeDatabase();
    },
  };
}
