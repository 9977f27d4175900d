import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { expect } from 'vitest';
import type { TestUser } from '../../support/factories';
import type { TestApp } from '../../support/harness';

export type EventRow = {
  verb: string;
  actor_id: string | null;
  subject_type: string;
  subject_id: string;
  project_id: string | null;
  task_id: string | null;
  changes: Record<string, { from: unknown; to: unknown }>;
};

/** Forgets earlier events (as the owner), so a test sees exactly what its mutation wrote. */
export async function clearActivity(t: TestApp): Promise<void> {
  await t.owner.db.execute(sql`delete from activity_events`);
  await t.owner.db.execute(sql`delete from notifications`);
}

/** Every event in the database, in the order written (as the owner: no row-level security). */
export async function activityRows(t: TestApp): Promise<EventRow[]> {
  return t.owner.db.execute<EventRow>(
    sql`select verb, actor_id, subject_type, subject_id, project_id, task_id, changes from activity_events order by created_at, id`,
  ) as unknown as Promise<EventRow[]>;
}

export async function notificationRows(t: TestApp): Promise<{ recipient_id: string; kind: string; task_id: string | null; actor_id: string | null }[]> {
  return (await t.owner.db.execute(
    sql`select recipient_id, kind, task_id, actor_id from notifications order by created_at, id`,
  )) as unknown as { recipient_id: string; kind: string; task_id: string | null; actor_id: string | null }[];
}

/** Numbers pending events as the sequencer does (through the app role, as the server would). */
export async function sequenceEvents(t: TestApp): Promise<void> {
  const app = postgres(t.appUrl, { max: 1, onnotice: () => {} });
  try {
    await app`select * from assign_realtime_seq(1000)`;
  } finally {
    await app.end();
  }
}

/** Runs a mutation whose result is a `<Name>Success | Error` union and returns the result, failing on GraphQL errors. */
export async function mutate(t: TestApp, as: TestUser, field: string, document: string, variables: Record<string, unknown> = {}) {
  const res = await t.graphql(document, { token: as.token, variables });
  expect(res.errors).toBeUndefined();
  return res.data[field] as { __typename: string; [key: string]: any };
}

export const ERROR_FIELDS = '... on Error { message code }';
