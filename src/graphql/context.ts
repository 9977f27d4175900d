import type { Logger } from 'pino';
import type { AccessTokenSigner } from '../auth/access-tokens';
import type { Viewer } from '../auth/viewer';
import type { Config } from '../config/env';
import type { Database } from '../db/client';

/** Long-lived dependencies, created once in buildApp and shared by every request. */
export type AppDependencies = {
  config: Config;
  db: Database;
  signer: AccessTokenSigner;
  logger: Logger;
};

/** What services need to act: the database and who is acting. */
export type ServiceContext = {
  db: Database;
  viewer: Viewer | null;
};

/** Per request (or per WebSocket subscription): Pothos attaches its DataLoaders to this object. */
export type GraphQLContext = ServiceContext &
  AppDependencies & {
    requestId: string;
    /** Where refresh/log-in mutations learn the client's user agent. */
    userAgent: string | null;
  };
