import postgres from 'postgres';
import pino from 'pino';
import { createAccessTokenSigner } from '../../src/auth/access-tokens';
import { createCredentialRecheck } from '../../src/auth/credential-recheck';
import { resolveViewer } from '../../src/auth/viewer';
import { createDatabase } from '../../src/db/client';
import { newId } from '../../src/db/schema/columns';
import { findActivityByIds } from '../../src/modules/activity/activity.repository';
import { organizationPolicy } from '../../src/modules/organizations/organization.policy';
import { loadForEvent, visibleTo } from '../../src/realtime/event-loads';
import type { RealtimeEvent } from '../../src/realtime/events';
import { createRealtimePubSub } from '../../src/realtime/pubsub';
import { createSequencer } from '../../src/realtime/sequencer';
import type { StreamContext } from '../../src/realtime/stream';
import type { TestUser } from '../support/factories';
import { waitFor } from '../support/realtime-clients';
import { testConfig, type TestApp } from '../support/harness';

const logger = pino({ level: 'silent' });
const signer = createAccessTokenSigner(testConfig.auth.jwtSecret, testConfig.auth.accessTokenTtlSeconds);

/** The real-time pieces without the HTTP server: an in-process pub/sub, a sequencer, app-role connections. */
export function realtimeFixture(t: TestApp, { safetyIntervalMs = 60_000 } = {}) {
  const pubsub = createRealtimePubSub({ logger });
  const sequencer = createSequencer({ databaseUrl: t.appUrl, pubsub, logger, safetyIntervalMs });
  let statements = 0;
  const database = createDatabase(t.appUrl, { max: 3, onQuery: () => statements++ });
  // As the app does it: re-checks that fall due together are resolved together.
  const recheckCredential = createCredentialRecheck(database.db, signer);
  const sql = postgres(t.appUrl, { max: 2, onnotice: () => {} });

  return {
    pubsub,
    sequencer,
    sql,
    /** Statements the subscription contexts' database ran so far (the sequencer and `record` use their own connections). */
    statements: () => statements,
    /** A subscription context for `user`, as the app's context factory builds it; `refreshes` counts its credential's re-checks. */
    async contextFor(user: TestUser, accessCheckMs = 10_000, refreshes?: { count: number }): Promise<StreamContext> {
      const refreshViewer = () => {
        if (refreshes) refreshes.count++;
        return recheckCredential(user.token);
      };
      return {
        db: database.db,
        viewer: await resolveViewer(database.db, signer, user.token),
        refreshViewer,
        credentialKey: user.token,
        logger,
        realtime: { pubsub, accessCheckMs, recheckCredential },
      };
    },
    /**
     * Writes activity events as the app role inside a tenant transaction (one transaction for all `verbs`);
     * about a task unless `where.subject` says otherwise (a member's user id for `member.*`).
     */
    async record(
      organizationId: string,
      actorId: string,
      verbs: string[],
      where: { projectId?: string; taskId?: string; subject?: { type: string; id: string } } = {},
      tx?: postgres.TransactionSql,
    ) {
      const write = async (sql: postgres.TransactionSql) => {
        await sql`select set_config('app.user_id', ${actorId}, true), set_config('app.organization_ids', ${`{${organizationId}}`}, true)`;
        for (const verb of verbs) {
          await sql`insert into activity_events (organization_id, id, actor_id, verb, subject_type, subject_id, project_id, task_id)
                    values (${organizationId}, ${newId()}, ${actorId}, ${verb}, ${where.subject?.type ?? 'task'}, ${where.subject?.id ?? newId()},
                            ${where.projectId ?? null}, ${where.taskId ?? null})`;
        }
      };
      if (tx) return write(tx);
      await sql.begin(write);
    },
    /** Delivers each activity event as the module streams do: loaded once per instance, shown to viewers of its organization. */
    sharedActivity: (ctx: StreamContext) => async (event: RealtimeEvent) => {
      const row = await loadForEvent(ctx.db, event, {
        purpose: 'test-activity',
        load: async (tx, organizationIds) => (await findActivityByIds(tx, organizationIds, [event.id]))[0] ?? null,
      });
      return visibleTo(ctx.viewer, row, (viewer, { organizationId }) => organizationPolicy.canView(viewer, organizationId)) ? row : null;
    },
    /** The (first) event of `verb` in the organization, once the sequencer has numbered it. */
    async numbered(organizationId: string, verb: string): Promise<{ id: string; seq: number }> {
      const [row] = await waitFor(async () => {
        const rows = await t.owner.sql<{ id: string; seq: string }[]>`
          select id, seq from activity_events where organization_id = ${organizationId} and verb = ${verb} and seq is not null`;
        return rows.length ? rows : null;
      }, 3000, `${verb} to be numbered`);
      return { id: row!.id, seq: Number(row!.seq) };
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
