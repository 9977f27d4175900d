import { sql } from 'drizzle-orm';
import { bigint, index, jsonb, pgEnum, pgPolicy, pgSequence, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { actingUserId, id, organizationId, tenantPolicy, timestamptz } from './columns';
import { users } from './identity';

/**
 * One cursor space for everything streamed to clients. Numbers are handed out
 * after commit by the sequencer (one at a time, under a lock), so a client
 * resuming after cursor N can never miss an event that committed late with a
 * smaller number.
 */
export const realtimeEventSeq = pgSequence('realtime_event_seq', { startWith: 1, cache: 1 });

export type ActivityChanges = Record<string, { from: unknown; to: unknown }>;

/**
 * The activity feed, and the outbox the real-time layer publishes from: written
 * in the same transaction as the change it describes, with `seq` null until
 * the sequencer numbers it.
 */
export const activityEvents = pgTable(
  'activity_events',
  {
    id: id(),
    organizationId: organizationId(),
    seq: bigint('seq', { mode: 'number' }),
    actorId: uuid('actor_id').references(() => users.id),
    /** `subject.action`, e.g. `task.status_changed`, `comment.created`. */
    verb: text('verb').notNull(),
    subjectType: text('subject_type').notNull(),
    subjectId: uuid('subject_id').notNull(),
    /** Where the event shows up: the project and task feeds it belongs to (history outlives its subjects: no foreign keys). */
    projectId: uuid('project_id'),
    taskId: uuid('task_id'),
    changes: jsonb('changes').$type<ActivityChanges>().notNull().default({}),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('activity_events_seq_key').on(t.seq).where(sql`${t.seq} is not null`),
    index('activity_events_org_seq_idx').on(t.organizationId, t.seq).where(sql`${t.seq} is not null`),
    index('activity_events_project_seq_idx').on(t.organizationId, t.projectId, t.seq).where(sql`${t.seq} is not null`),
    index('activity_events_task_seq_idx').on(t.organizationId, t.taskId, t.seq).where(sql`${t.seq} is not null`),
    index('activity_events_actor_seq_idx').on(t.organizationId, t.actorId, t.seq).where(sql`${t.seq} is not null`),
    index('activity_events_unsequenced_idx').on(t.createdAt).where(sql`${t.seq} is null`),
    tenantPolicy(),
  ],
);

export const notificationKind = pgEnum('notification_kind', ['assigned', 'mentioned', 'commented', 'due_soon', 'unblocked']);

/**
 * A user's inbox. Anyone acting in the organization may notify a member, but
 * only the recipient can read, mark or archive: row-level security says so too.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: id(),
    organizationId: organizationId(),
    seq: bigint('seq', { mode: 'number' }),
    recipientId: uuid('recipient_id')
      .notNull()
      .references(() => users.id),
    kind: notificationKind('kind').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    taskId: uuid('task_id'),
    commentId: uuid('comment_id'),
    activityId: uuid('activity_id'),
    /** Makes repeatable notifications (a due date approaching) idempotent. */
    dedupeKey: text('dedupe_key'),
    readAt: timestamptz('read_at'),
    archivedAt: timestamptz('archived_at'),
    createdAt: timestamptz('created_at').notNull().defaultNow(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('notifications_seq_key').on(t.seq).where(sql`${t.seq} is not null`),
    index('notifications_inbox_idx').on(t.recipientId, t.createdAt, t.id).where(sql`${t.archivedAt} is null`),
    index('notifications_recipient_seq_idx').on(t.recipientId, t.seq).where(sql`${t.seq} is not null`),
    index('notifications_unread_idx').on(t.recipientId).where(sql`${t.readAt} is null and ${t.archivedAt} is null`),
    index('notifications_unsequenced_idx').on(t.createdAt).where(sql`${t.seq} is null`),
    uniqueIndex('notifications_dedupe_key').on(t.organizationId, t.recipientId, t.dedupeKey).where(sql`${t.dedupeKey} is not null`),
    pgPolicy('recipient_reads', {
      as: 'restrictive',
      for: 'select',
      using: sql`recipient_id = ${actingUserId}`,
    }),
    pgPolicy('recipient_updates', {
      as: 'restrictive',
      for: 'update',
      using: sql`recipient_id = ${actingUserId}`,
    }),
    pgPolicy('recipient_deletes', {
      as: 'restrictive',
      for: 'delete',
      using: sql`recipient_id = ${actingUserId}`,
    }),
    tenantPolicy(),
  ],
);

