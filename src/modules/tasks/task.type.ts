import { readByKeys } from '../../realtime/delivery-reads';
import { builder } from '../../graphql/builder';
import { groupedInKeyOrder, inKeyOrder } from '../../shared/unit-of-work';
import { Milestone } from '../milestones/milestone.graphql';
import { Project } from '../projects/project.graphql';
import { User } from '../users/user.graphql';
import { taskPolicy } from './task.policy';
import { countSubtasksOfParents, findSubtasksOfParents, findTasksByIds, type TaskRow } from './task.repository';

export const TaskStatusEnum = builder.enumType('TaskStatus', {
  values: {
    BACKLOG: { value: 'backlog' },
    TODO: { value: 'todo' },
    IN_PROGRESS: { value: 'in_progress' },
    DONE: { value: 'done' },
    CANCELED: { value: 'canceled' },
  } as const,
});

export const TaskPriorityEnum = builder.enumType('TaskPriority', {
  description: 'Ordered from least to most urgent: sorting and comparisons follow this order.',
  values: {
    NONE: { value: 'none' },
    LOW: { value: 'low' },
    MEDIUM: { value: 'medium' },
    HIGH: { value: 'high' },
    URGENT: { value: 'urgent' },
  } as const,
});

export const Task = builder.loadableNode('Task', {
  id: { resolve: (task: TaskRow) => task.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'rank' in value && 'parentId' in value,
  load: (ids: string[], ctx) =>
    readByKeys(ctx, 'tasks', ids, async (tx, organizationIds, keys) => inKeyOrder(keys, await findTasksByIds(tx, organizationIds, keys), (task) => task.id)),
  authScopes: (task) => ({ orgRole: { organizationId: task.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    title: t.exposeString('title'),
    description: t.exposeString('description'),
    status: t.expose('status', { type: TaskStatusEnum }),
    priority: t.expose('priority', { type: TaskPriorityEnum }),
    dueDate: t.expose('dueDate', { type: 'Date', nullable: true }),
    estimateMinutes: t.exposeInt('estimateMinutes', { nullable: true }),
    rank: t.exposeString('rank', { description: 'Orders the task among its siblings (same project and parent); compare byte-wise.' }),
    version: t.exposeInt('version', { description: 'Grows with every change; send it back as expectedVersion to detect conflicting edits.' }),
    completedAt: t.expose('completedAt', { type: 'DateTime', nullable: true }),
    metadata: t.field({ type: 'JSONObject', resolve: (task) => task.metadata }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    project: t.field({ type: Project, resolve: (task) => task.projectId }),
    milestone: t.field({
      type: Milestone,
      nullable: true,
      description: 'Null when none is set or the milestone is deleted.',
      resolve: async (task, _args, ctx) => {
        if (!task.milestoneId) return null;
        const milestone = await Milestone.getDataloader(ctx).load(task.milestoneId);
        return milestone && !milestone.deletedAt ? milestone : null;
      },
    }),
    assignee: t.field({ type: User, nullable: true, resolve: (task) => task.assigneeId }),
    createdBy: t.field({ type: User, nullable: true, resolve: (task) => task.createdBy }),
    viewerCan: t.field({ type: TaskPermissions, resolve: (task) => task }),
  }),
});

// The task hierarchy refers back to Task, so it is added once the type exists.
builder.objectFields(Task, (t) => ({
  parent: t.field({ type: Task, nullable: true, resolve: (task) => task.parentId }),
  subtasks: t.loadableGroup({
    type: Task,
    description: 'Live subtasks, in rank order.',
    load: async (parentIds: string[], ctx) =>
      (
        await readByKeys(ctx, 'subtasks', parentIds, async (tx, organizationIds, keys) =>
          groupedInKeyOrder(keys, await findSubtasksOfParents(tx, organizationIds, keys), (subtask) => subtask.parentId!),
        )
      ).flat(),
    group: (subtask) => (subtask as TaskRow).parentId!,
    resolve: (task) => task.id,
  }),
  subtaskCount: t.loadable({
    type: 'Int',
    description: 'Number of live subtasks (direct children only).',
    load: (parentIds: string[], ctx) =>
      readByKeys(ctx, 'subtask-counts', parentIds, async (tx, organizationIds, keys) => {
        const counts = await countSubtasksOfParents(tx, organizationIds, keys);
        return inKeyOrder(keys, counts, (c) => c.parentId).map((c) => c?.n ?? 0);
      }),
    resolve: (task) => task.id,
  }),
}));

const TaskPermissions = builder.objectRef<TaskRow>('TaskPermissions').implement({
  description: 'What the viewer may do with this task (false everywhere in an archived project).',
  fields: (t) => {
    const can = (check: 'canUpdate' | 'canMove' | 'canDelete') =>
      t.boolean({
        resolve: async (task, _args, ctx) => {
          const project = await Project.getDataloader(ctx).load(task.projectId);
          return project !== null && taskPolicy[check](ctx.viewer, task, project);
        },
      });
    return { update: can('canUpdate'), move: can('canMove'), delete: can('canDelete') };
  },
});
