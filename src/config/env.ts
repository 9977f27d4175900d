import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const DEV_JWT_SECRET = 'taskgraph-development-secret-do-not-use-in-production';

const postgresUrl = (name: string) =>
  z
    .string()
    .url(`${name} must be a URL such as postgres://user:password@host:5432/database`)
    .refine((value) => /^postgres(ql)?:\/\//.test(value), `${name} must start with postgres:// or postgresql://`);

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().min(1).default('0.0.0.0'),
    PORT: z.coerce.number().int().min(0).max(65535).default(4000),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    /** Owner connection: runs migrations. When unset, an embedded Postgres is started under .data/. */
    DATABASE_URL: postgresUrl('DATABASE_URL').optional(),
    /** Connection the server uses for requests; defaults to DATABASE_URL as the taskgraph_app role. */
    DATABASE_APP_URL: postgresUrl('DATABASE_APP_URL').optional(),
    /** Password migrations give the taskgraph_app role (and the derived app URL uses); defaults to the owner's. */
    DATABASE_APP_PASSWORD: z.string().min(1).optional(),
    DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(200).default(10),
    EMBEDDED_POSTGRES_DIR: z.string().min(1).default('.data/postgres'),
    EMBEDDED_POSTGRES_PORT: z.coerce.number().int().min(1).max(65535).default(54329),
    REDIS_URL: z.string().url().optional(),
    /** Prepended to Redis channel names, so deployments sharing a Redis do not see each other's events. */
    REDIS_CHANNEL_PREFIX: z.string().max(100).default('taskgraph:'),
    /** How often an idle subscription re-checks that its viewer still has access. */
    REALTIME_ACCESS_CHECK_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
    /** Whether this instance numbers and publishes events (at least one instance must; several may). */
    REALTIME_SEQUENCER: bool.default('true'),
    /** The sequencer's safety timer, in case a NOTIFY was missed while its connection reconnected. */
    REALTIME_SAFETY_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(2_000),
    /** How long a task viewer stays present without a heartbeat (subscriptions refresh it every third of this). */
    PRESENCE_TTL_SECONDS: z.coerce.number().min(1).max(3_600).default(30),
    JWT_SECRET: z.string().min(32, 'JWT_SECRET must be at least 32 characters').optional(),
    ACCESS_TOKEN_TTL_SECONDS: z.coerce.number().int().min(30).max(86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: z.coerce.number().int().min(1).max(365).default(30),
    MIGRATE_ON_START: bool.default('true'),
    /** Default: on outside production (the demo login has a published password). */
    SEED_DEMO: bool.optional(),
    GRAPHIQL: bool.optional(),
    /** How long a SIGTERM/SIGINT waits for requests and connections to finish before exiting anyway. */
    SHUTDOWN_TIMEOUT_MS: z.coerce.number().int().min(0).max(300_000).default(10_000),
    /** Where attachment bytes live: `local` (disk, served by the API under /files/) or `s3` (any S3-compatible store). */
    STORAGE_DRIVER: z.enum(['local', 's3']).default('local'),
    STORAGE_LOCAL_DIR: z.string().min(1).default('.data/uploads'),
    S3_ENDPOINT: z.string().url().optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_BUCKET: z.string().min(1).optional(),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    /** Path-style URLs (endpoint/bucket/key): what MinIO and most self-hosted stores need. */
    S3_FORCE_PATH_STYLE: bool.default('false'),
    /** GraphQL Int carries sizes, so at most 2^31-1 bytes. */
    ATTACHMENT_MAX_BYTES: z.coerce.number().int().min(1).max(2_147_483_647).default(25 * 1024 * 1024),
    /** Lifetime of signed upload and download URLs (SigV4 allows at most 7 days). */
    ATTACHMENT_URL_TTL_SECONDS: z.coerce.number().int().min(30).max(604_800).default(900),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === 'production' && !env.JWT_SECRET) {
      ctx.addIssue({ code: 'custom', path: ['JWT_SECRET'], message: 'JWT_SECRET is required in production' });
    }
    if (env.DATABASE_APP_URL && !env.DATABASE_URL && env.MIGRATE_ON_START) {
      ctx.addIssue({
        code: 'custom',
        path: ['MIGRATE_ON_START'],
        message: 'migrating needs DATABASE_URL (the owner connection); set it, or MIGRATE_ON_START=false',
      });
    }
    if (env.STORAGE_DRIVER === 's3') {
      for (const name of ['S3_BUCKET', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
        if (!env[name]) ctx.addIssue({ code: 'custom', path: [name], message: `${name} is required when STORAGE_DRIVER=s3` });
      }
    }
  });

export type Config = Readonly<{
  env: 'development' | 'test' | 'production';
  host: string;
  port: number;
  logLevel: string;
  database: Readonly<{
    url: string | undefined;
    appUrl: string | undefined;
    appPassword: string | undefined;
    poolMax: number;
    embeddedDir: string;
    embeddedPort: number;
    migrateOnStart: boolean;
  }>;
  redisUrl: string | undefined;
  realtime: Readonly<{ channelPrefix: string; accessCheckMs: number; runSequencer: boolean; safetyIntervalMs: number; presenceTtlSeconds: number }>;
  auth: Readonly<{ jwtSecret: string; accessTokenTtlSeconds: number; refreshTokenTtlDays: number }>;
  seedDemo: boolean;
  graphiql: boolean;
  shutdownTimeoutMs: number;
  storage: StorageConfig;
}>;

export type S3Config = Readonly<{
  endpoint: string | undefined;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  forcePathStyle: boolean;
}>;

export type StorageConfig = Readonly<{
  driver: 'local' | 's3';
  localDir: string;
  /** Set exactly when driver is `s3`. */
  s3: S3Config | null;
  maxAttachmentBytes: number;
  urlTtlSeconds: number;
}>;

export class ConfigError extends Error {
  override name = 'ConfigError';
}

/** Reads and validates the environment once; a bad value stops the process with a message naming it. */
export function loadConfig(source: NodeJS.ProcessEnv = process.env): Config {
  // `FOO=` (as .env files and compose files often leave it) means unset, not an empty value.
  const parsed = schema.safeParse(Object.fromEntries(Object.entries(source).filter(([, value]) => value !== '')));
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.') || '(env)'}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const env = parsed.data;
  return Object.freeze({
    env: env.NODE_ENV,
    host: env.HOST,
    port: env.PORT,
    logLevel: env.LOG_LEVEL,
    database: Object.freeze({
      url: env.DATABASE_URL,
      appUrl: env.DATABASE_APP_URL,
      appPassword: env.DATABASE_APP_PASSWORD,
      poolMax: env.DATABASE_POOL_MAX,
      embeddedDir: env.EMBEDDED_POSTGRES_DIR,
      embeddedPort: env.EMBEDDED_POSTGRES_PORT,
      migrateOnStart: env.MIGRATE_ON_START,
    }),
    redisUrl: env.REDIS_URL,
    realtime: Object.freeze({
      channelPrefix: env.REDIS_CHANNEL_PREFIX,
      accessCheckMs: env.REALTIME_ACCESS_CHECK_MS,
      runSequencer: env.REALTIME_SEQUENCER,
      safetyIntervalMs: env.REALTIME_SAFETY_INTERVAL_MS,
      presenceTtlSeconds: env.PRESENCE_TTL_SECONDS,
    }),
    auth: Object.freeze({
      jwtSecret: env.JWT_SECRET ?? DEV_JWT_SECRET,
      accessTokenTtlSeconds: env.ACCESS_TOKEN_TTL_SECONDS,
      refreshTokenTtlDays: env.REFRESH_TOKEN_TTL_DAYS,
    }),
    seedDemo: env.SEED_DEMO ?? env.NODE_ENV !== 'production',
    graphiql: env.GRAPHIQL ?? env.NODE_ENV !== 'production',
    shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS,
    storage: Object.freeze({
      driver: env.STORAGE_DRIVER,
      localDir: env.STORAGE_LOCAL_DIR,
      s3:
        env.STORAGE_DRIVER === 's3'
          ? Object.freeze({
              endpoint: env.S3_ENDPOINT,
              region: env.S3_REGION,
              bucket: env.S3_BUCKET!,
              accessKeyId: env.S3_ACCESS_KEY_ID!,
              secretAccessKey: env.S3_SECRET_ACCESS_KEY!,
              forcePathStyle: env.S3_FORCE_PATH_STYLE,
            })
          : null,
      maxAttachmentBytes: env.ATTACHMENT_MAX_BYTES,
      urlTtlSeconds: env.ATTACHMENT_URL_TTL_SECONDS,
    }),
  });
}
