import { sql } from 'drizzle-orm';
import {
  bigint,
  boolean,
  check,
  foreignKey,
  index,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uuid,
} from 'drizzle-orm/pg-core';
import { auditColumns, deletedAt, id, organizationId, tenantPolicy, timestamptz } from './columns';
import { users } from './identity';
import { organizationMembers } from './organizations';
import { projects } from './projects';
import { tasks } from './tasks';

/** A comment belongs to exactly one task or one project, with real foreign keys to either. */
export const comments = pgTable(
  'comments',
  {
    id: id(),
    organizationId: organizationId(),
    taskId: uuid('task_id'),
    projectId: uuid('project_id'),
    authorId: uuid('author_id')
      .notNull()
      .references(() => users.id),
    body: text('body').notNull(),
    editedAt: timestamptz('edited_at'),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    check('comments_one_target', sql`num_nonnulls(${t.taskId}, ${t.projectId}) = 1`),
    check('comments_body_length', sql`char_length(${t.body}) between 1 and 20000`),
    foreignKey({ name: 'comments_task_fk', columns: [t.organizationId, t.taskId], foreignColumns: [tasks.organizationId, tasks.id] }),
    foreignKey({
      name: 'comments_project_fk',
      columns: [t.organizationId, t.projectId],
      foreignColumns: [projects.organizationId, projects.id],
    }),
    index('comments_task_thread_idx').on(t.organizationId, t.taskId, t.createdAt, t.id).where(sql`${t.taskId} is not null`),
    index('comments_project_thread_idx').on(t.organizationId, t.projectId, t.createdAt, t.id).where(sql`${t.projectId} is not null`),
    tenantPolicy(),
  ],
);

/** Earlier bodies of an edited comment, newest last. */
export const commentRevisions = pgTable(
  'comment_revisions',
  {
    id: id(),
    organizationId: organizationId(),
    commentId: uuid('comment_id').notNull(),
    body: text('body').notNull(),
    ...auditColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    foreignKey({
      name: 'comment_revisions_comment_fk',
      columns: [t.organizationId, t.commentId],
      foreignColumns: [comments.organizationId, comments.id],
    }).onDelete('cascade'),
    index('comment_revisions_comment_idx').on(t.organizationId, t.commentId, t.createdAt),
    tenantPolicy(),
  ],
);

/** One reaction per user per emoji per comment. */
export const commentReactions = pgTable(
  'comment_reactions',
  {
    organizationId: organizationId(),
    commentId: uuid('comment_id').notNull(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    emoji: text('emoji').notNull(),
    ...auditColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.commentId, t.userId, t.emoji] }),
    foreignKey({
      name: 'comment_reactions_comment_fk',
      columns: [t.organizationId, t.commentId],
      foreignColumns: [comments.organizationId, comments.id],
    }).onDelete('cascade'),
    check('comment_reactions_emoji_length', sql`char_length(${t.emoji}) between 1 and 32`),
    tenantPolicy(),
  ],
);

/** Members mentioned in a comment; the foreign key to memberships means only members can be. */
export const commentMentions = pgTable(
  'comment_mentions',
  {
    organizationId: organizationId(),
    commentId: uuid('comment_id').notNull(),
    userId: uuid('user_id').notNull(),
    ...auditColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.commentId, t.userId] }),
    foreignKey({
      name: 'comment_mentions_comment_fk',
      columns: [t.organizationId, t.commentId],
      foreignColumns: [comments.organizationId, comments.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'comment_mentions_member_fk',
      columns: [t.organizationId, t.userId],
      foreignColumns: [organizationMembers.organizationId, organizationMembers.userId],
    }),
    index('comment_mentions_user_idx').on(t.organizationId, t.userId),
    tenantPolicy(),
  ],
);

export const watchReason = pgEnum('watch_reason', ['creator', 'assignee', 'commenter', 'mentioned', 'manual']);

/**
 * Who follows a task. `watching = false` records an explicit unwatch, so
 * automatic watching (on assignment, on commenting) does not re-add the user.
 */
export const taskWatchers = pgTable(
  'task_watchers',
  {
    organizationId: organizationId(),
    taskId: uuid('task_id').notNull(),
    userId: uuid('user_id').notNull(),
    watching: boolean('watching').notNull().default(true),
    reason: watchReason('reason').notNull(),
    ...auditColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.taskId, t.userId] }),
    foreignKey({ name: 'task_watchers_task_fk', columns: [t.organizationId, t.taskId], foreignColumns: [tasks.organizationId, tasks.id] }).onDelete(
      'cascade',
    ),
    foreignKey({
      name: 'task_watchers_member_fk',
      columns: [t.organizationId, t.userId],
      foreignColumns: [organizationMembers.organizationId, organizationMembers.userId],
    }),
    index('task_watchers_user_idx').on(t.organizationId, t.userId),
    tenantPolicy(),
  ],
);

export const attachmentStatus = pgEnum('attachment_status', ['pending', 'ready']);

/** File metadata; the bytes live in the storage driver under `storage_key`. On a task or on a comment. */
export const attachments = pgTable(
  'attachments',
  {
    id: id(),
    organizationId: organizationId(),
    taskId: uuid('task_id'),
    commentId: uuid('comment_id'),
    filename: text('filename').notNull(),
    contentType: text('content_type').notNull(),
    sizeBytes: bigint('size_bytes', { mode: 'number' }).notNull(),
    storageKey: text('storage_key').notNull(),
    status: attachmentStatus('status').notNull().default('pending'),
    confirmedAt: timestamptz('confirmed_at'),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    check('attachments_one_target', sql`num_nonnulls(${t.taskId}, ${t.commentId}) = 1`),
    check('attachments_size_positive', sql`${t.sizeBytes} > 0`),
    foreignKey({ name: 'attachments_task_fk', columns: [t.organizationId, t.taskId], foreignColumns: [tasks.organizationId, tasks.id] }),
    foreignKey({
      name: 'attachments_comment_fk',
      columns: [t.organizationId, t.commentId],
      foreignColumns: [comments.organizationId, comments.id],
    }),
    index('attachments_task_idx').on(t.organizationId, t.taskId).where(sql`${t.taskId} is not null`),
    index('attachments_comment_idx').on(t.organizationId, t.commentId).where(sql`${t.commentId} is not null`),
    // Across organizations, for the upload sweeper's finder (find_abandoned_uploads, drizzle/0006): pending rows are few and short-lived.
    index('attachments_pending_created_idx').on(t.createdAt, t.id).where(sql`${t.status} = 'pending'`),
    tenantPolicy(),
  ],
);
