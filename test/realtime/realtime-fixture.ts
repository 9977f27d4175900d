import postgres from 'postgres';
import pino from 'pino';
import { createAccessTokenSigner } from '../../src/auth/access-tokens';
import { resolveViewer } from '../../src/auth/viewer';
import { createDatabase } from '../../src/db/client';
import { newId } from '../../src/db/schema/columns';
import type { RealtimeEvent } from '../../src/realtime/events';
import { createRealtimePubSub } from '../../src/realtime/pubsub';
import { createSequencer } from '../../src/realtime/sequencer';
import type { StreamContext } from '../../src/realtime/stream';
import type { TestUser } from '../support/factories';
import { testConfig, type TestApp } from '../support/harness';

const logger = pino({ level: 'silent' });
const signer = createAccessTokenSigner(testConfig.auth.jwtSecret, testConfig.auth.accessTokenTtlSeconds);

/** The real-time pieces without the HTTP server: an in-process pub/sub, a sequencer, app-role connections. */
export function realtimeFixture(t: TestApp, { safetyIntervalMs = 60_000 } = {}) {
  const pubsub = createRealtimePubSub({ logger });
  const sequencer = createSequencer({ databaseUrl: t.appUrl, pubsub, logger, safetyIntervalMs });
  const database = createDatabase(t.appUrl, { max: 3 });
  const sql = postgres(t.appUrl, { max: 2, onnotice: () => {} });

  return {
    pubsub,
    sequencer,
    sql,
    /** A subscription context for `user`, as the app's context factory builds it. */
    async contextFor(user: TestUser, accessCheckMs = 10_000): Promise<StreamContext> {
      const refreshViewer = () => resolveViewer(database.db, signer, user.token);
      return { db: database.db, viewer: await refreshViewer(), refreshViewer, logger, realtime: { pubsub, accessCheckMs } };
    },
    /** Writes activity events as the app role inside a tenant transaction (one transaction for all `verbs`). */
    async record(organizationId: string, actorId: string, verbs: string[], where: { projectId?: string; taskId?: string } = {}, tx?: postgres.TransactionSql) {
      const write = async (sql: postgres.TransactionSql) => {
        await sql`select set_config('app.user_id', ${actorId}, true), set_config('app.organization_ids', ${`{${organizationId}}`}, true)`;
        for (const verb of verbs) {
          await sql`insert into activity_events (organization_id, id, actor_id, verb, subject_type, subject_id, project_id, task_id)
                    values (${organizationId}, ${newId()}, ${actorId}, ${verb}, 'task', ${newId()}, ${where.projectId ?? null}, ${where.taskId ?? null})`;
        }
      };
      if (tx) return write(tx);
      await sql.begin(write);
    },
    async close() {
      await sequencer.stop();
      await pubsub.close();
      await sql.end();
      await database.close();
    },
  };
}

/** The next event of an iterator, or an error after `ms`. */
export async function nextWithin<T>(iterator: AsyncIterator<T>, ms = 1000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`no event within ${ms} ms`)), ms)));
  try {
    const result = await Promise.race([iterator.next(), timeout]);
    if (result.done) throw new Error('the stream ended');
    return result.value;
  } finally {
    clearTimeout(timer);
  }
}

export const verbs = (events: RealtimeEvent[]) => events.map((event) => event.verb);
