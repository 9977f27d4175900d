import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import { PothosValidationError } from '@pothos/core';
import { GraphQLError } from 'graphql';
import { createYoga, type YogaServerInstance } from 'graphql-yoga';
import pino, { type Logger } from 'pino';
import { createAccessTokenSigner } from './auth/access-tokens';
import { resolveViewer } from './auth/viewer';
import type { Config } from './config/env';
import { createDatabase, type DatabaseOptions } from './db/client';
import type { GraphQLContext } from './graphql/context';
import { requestIdOf, useRequestLogging } from './graphql/plugins/request-logging';
import { schema } from './graphql/schema';
import { DomainError } from './shared/errors';

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
  start(port?: number, host?: string): Promise<{ port: number; url: string }>;
  stop(): Promise<void>;
};

// By name as well as by class: the executor and graphql-js may each bring their own GraphQLError.
const isGraphQLError = (error: unknown): error is GraphQLError =>
  error instanceof GraphQLError || (error instanceof Error && error.name === 'GraphQLError');

const bearerOf = (header: string | null) => {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim() ?? null;
};

/** Builds the API without side effects: nothing listens or connects until used. */
export function buildApp({ config, databaseUrl, logger: givenLogger, database }: AppOptions): App {
  const logger = givenLogger ?? pino({ level: config.logLevel });
  const { db, close: closeDatabase } = createDatabase(databaseUrl, { max: config.database.poolMax, ...database });
  const signer = createAccessTokenSigner(config.auth.jwtSecret, config.auth.accessTokenTtlSeconds);

  const yoga = createYoga<Record<string, never>, GraphQLContext>({
    schema,
    graphiql: config.graphiql ? { title: 'Taskgraph', subscriptionsProtocol: 'WS' } : false,
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
      useRequestLogging(),
      EnvelopArmorPlugin({
        maxDepth: { n: 15 },
        // Sized so the deepest legitimate screen (organization -> projects -> tasks -> relations) fits.
        costLimit: { maxCost: 50_000 },
        maxAliases: { n: 30 },
        maxTokens: { n: 5_000 },
      }),
    ],
    context: async ({ request }): Promise<GraphQLContext> => {
      const requestId = requestIdOf(request);
      const viewer = await resolveViewer(db, signer, bearerOf(request.headers.get('authorization')));
      return {
        config,
        db,
        signer,
        logger: logger.child({ requestId }),
        viewer,
        requestId,
        userAgent: request.headers.get('user-agent'),
      };
    },
  });

  const server = createServer(yoga);

  return {
    yoga,
    server,
    start(port = config.port, host = config.host) {
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
      if (server.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
      await closeDatabase();
    },
  };
}
