import { sql } from 'drizzle-orm';
import {
  check,
  date,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { auditColumns, deletedAt, id, organizationId, rankText, tenantPolicy, timestamptz } from './columns';
import { organizationMembers, organizations } from './organizations';
import { milestones, projects } from './projects';

export const taskStatus = pgEnum('task_status', ['backlog', 'todo', 'in_progress', 'done', 'canceled']);
/** Declared low to high so that ordering by the enum orders by urgency. */
export const taskPriority = pgEnum('task_priority', ['none', 'low', 'medium', 'high', 'urgent']);
export const dependencyType = pgEnum('dependency_type', ['blocks', 'relates_to', 'duplicates']);

export const tasks = pgTable(
  'tasks',
  {
    id: id(),
    organizationId: organizationId(),
    projectId: uuid('project_id').notNull(),
    milestoneId: uuid('milestone_id'),
    parentId: uuid('parent_id'),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    status: taskStatus('status').notNull().default('todo'),
    priority: taskPriority('priority').notNull().default('none'),
    dueDate: date('due_date', { mode: 'string' }),
    estimateMinutes: integer('estimate_minutes'),
    assigneeId: uuid('assignee_id'),
    rank: rankText('rank').notNull(),
    version: integer('version').notNull().default(1),
    completedAt: timestamptz('completed_at'),
    metadata: jsonb('metadata').$type<Record<string, unknown>>().notNull().default({}),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    foreignKey({
      name: 'tasks_project_fk',
      columns: [t.organizationId, t.projectId],
      foreignColumns: [projects.organizationId, projects.id],
    }),
    foreignKey({
      name: 'tasks_milestone_fk',
      columns: [t.organizationId, t.milestoneId],
      foreignColumns: [milestones.organizationId, milestones.id],
    }),
    foreignKey({
      name: 'tasks_parent_fk',
      columns: [t.organizationId, t.parentId],
      foreignColumns: [t.organizationId, t.id],
    }),
    foreignKey({
      name: 'tasks_assignee_fk',
      columns: [t.organizationId, t.assigneeId],
      foreignColumns: [organizationMembers.organizationId, organizationMembers.userId],
    }),
    check('tasks_not_own_parent', sql`${t.parentId} is null or ${t.parentId} <> ${t.id}`),
    check('tasks_estimate_non_negative', sql`${t.estimateMinutes} is null or ${t.estimateMinutes} >= 0`),
    index('tasks_project_rank_idx').on(t.organizationId, t.projectId, t.rank),
    index('tasks_parent_idx').on(t.organizationId, t.parentId),
    index('tasks_assignee_status_idx').on(t.organizationId, t.assigneeId, t.status),
    index('tasks_milestone_idx').on(t.organizationId, t.milestoneId),
    index('tasks_project_updated_idx').on(t.organizationId, t.projectId, t.updatedAt),
    // Across organizations, for the due-soon job's finder (find_open_tasks_due_between, drizzle/0006): only open tasks with a due date.
    index('tasks_open_due_date_idx')
      .on(t.dueDate)
      .where(sql`${t.dueDate} is not null and ${t.deletedAt} is null and ${t.status} not in ('done', 'canceled')`),
    tenantPolicy(),
  ],
);

export const labels = pgTable(
  'labels',
  {
    id: id(),
    organizationId: organizationId().references(() => organizations.id),
    name: text('name').notNull(),
    color: text('color').notNull().default('#888888'),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('labels_name_key').on(t.organizationId, sql`lower(${t.name})`).where(sql`${t.deletedAt} is null`),
    tenantPolicy(),
  ],
);

export const taskLabels = pgTable(
  'task_labels',
  {
    organizationId: organizationId(),
    taskId: uuid('task_id').notNull(),
    labelId: uuid('label_id').notNull(),
    ...auditColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.taskId, t.labelId] }),
    index('task_labels_label_idx').on(t.organizationId, t.labelId),
    foreignKey({
      name: 'task_labels_task_fk',
      columns: [t.organizationId, t.taskId],
      foreignColumns: [tasks.organizationId, tasks.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'task_labels_label_fk',
      columns: [t.organizationId, t.labelId],
      foreignColumns: [labels.organizationId, labels.id],
    }).onDelete('cascade'),
    tenantPolicy(),
  ],
);

/** `fromTask` blocks / relates to / duplicates `toTask`. */
export const taskDependencies = pgTable(
  'task_dependencies',
  {
    id: id(),
    organizationId: organizationId(),
    fromTaskId: uuid('from_task_id').notNull(),
    toTaskId: uuid('to_task_id').notNull(),
    type: dependencyType('type').notNull(),
    ...auditColumns(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('task_dependencies_pair_key').on(t.organizationId, t.fromTaskId, t.toTaskId, t.type),
    index('task_dependencies_to_idx').on(t.organizationId, t.toTaskId),
    check('task_dependencies_not_self', sql`${t.fromTaskId} <> ${t.toTaskId}`),
    foreignKey({
      name: 'task_dependencies_from_fk',
      columns: [t.organizationId, t.fromTaskId],
      foreignColumns: [tasks.organizationId, tasks.id],
    }).onDelete('cascade'),
    foreignKey({
      name: 'task_dependencies_to_fk',
      columns: [t.organizationId, t.toTaskId],
      foreignColumns: [tasks.organizationId, tasks.id],
    }).onDelete('cascade'),
    tenantPolicy(),
  ],
);
