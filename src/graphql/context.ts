import type { Logger } from 'pino';
import type { AccessTokenSigner } from '../auth/access-tokens';
import type { CredentialRecheck } from '../auth/credential-recheck';
import type { Viewer } from '../auth/viewer';
import type { Config } from '../config/env';
import type { Database } from '../db/client';
import type { RequestTransaction } from '../db/request-transaction';
import type { PresenceStore } from '../realtime/presence-store';
import type { RealtimePubSub } from '../realtime/pubsub';

/** What subscriptions need besides the database: the app's one pub/sub and how often idle streams re-check access. */
export type RealtimeHandle = {
  pubsub: RealtimePubSub;
  accessCheckMs: number;
  /** How open subscriptions resolve their credential again (batched per instance). */
  recheckCredential: CredentialRecheck;
};

/** Long-lived dependencies, created once in buildApp and shared by every request. */
export type AppDependencies = {
  config: Config;
  db: Database;
  signer: AccessTokenSigner;
  logger: Logger;
  realtime: RealtimeHandle;
  /** Who is viewing which task (Redis when configured, like the pub/sub). */
  presence: PresenceStore;
};

/** What services need to act: the database and who is acting. */
export type ServiceContext = {
  db: Database;
  viewer: Viewer | null;
  /** The request's one transaction (queries and mutations); absent or ended for subscriptions and jobs. */
  transaction?: RequestTransaction;
};

/** Per request (or per WebSocket subscription): Pothos attaches its DataLoaders to this object. */
export type GraphQLContext = ServiceContext &
  AppDependencies & {
    requestId: string;
    /** Where refresh/log-in mutations learn the client's user agent. */
    userAgent: string | null;
    /** Resolves the request's credential again: long-lived subscriptions notice a revoked session or a lost membership. */
    refreshViewer(): Promise<Viewer | null>;
    /** The credential refreshViewer resolves (the bearer token as sent): subscriptions with the same one share their re-checks. */
    credentialKey: string | null;
  };
