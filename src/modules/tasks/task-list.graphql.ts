import { builder } from '../../graphql/builder';
import { idFrom } from '../../graphql/ids';
import { ValidationError } from '../../shared/errors';
import { Milestone } from '../milestones/milestone.graphql';
import { Project } from '../projects/project.graphql';
import { listTaskPage } from './services/list-tasks';
import type { DateFilter, EnumFilter, IdFilter, PriorityFilter, TaskFilter } from './task.filter';
import type { TaskListScope } from './task-list.repository';
import type { TaskStatus } from './task.repository';
import type { TaskSort } from './task.sort';
import { Task, TaskPriorityEnum, TaskStatusEnum } from './task.type';

type GlobalId = { typename: string; id: string };
type IdFilterInputShape = { eq?: GlobalId | null; in?: GlobalId[] | null; isNull?: boolean | null };
type TaskFilterInputShape = {
  status?: EnumFilter<TaskStatus> | null;
  priority?: PriorityFilter | null;
  dueDate?: DateFilter | null;
  assigneeId?: IdFilterInputShape | null;
  milestoneId?: IdFilterInputShape | null;
  parentId?: IdFilterInputShape | null;
  labelId?: Omit<IdFilterInputShape, 'isNull'> | null;
  topLevelOnly?: boolean | null;
  and?: TaskFilterInputShape[] | null;
  or?: TaskFilterInputShape[] | null;
};

const MAX_VALUES = 100;

export const SortDirectionEnum = builder.enumType('SortDirection', {
  values: { ASC: { value: 'asc' }, DESC: { value: 'desc' } } as const,
});

const TaskStatusFilter = builder.inputType('TaskStatusFilter', {
  fields: (t) => ({
    eq: t.field({ type: TaskStatusEnum, required: false }),
    in: t.field({ type: [TaskStatusEnum], required: false }),
    notIn: t.field({ type: [TaskStatusEnum], required: false }),
  }),
});

const TaskPriorityFilter = builder.inputType('TaskPriorityFilter', {
  description: 'Priorities compare in their declared order: NONE < LOW < MEDIUM < HIGH < URGENT.',
  fields: (t) => ({
    eq: t.field({ type: TaskPriorityEnum, required: false }),
    in: t.field({ type: [TaskPriorityEnum], required: false }),
    notIn: t.field({ type: [TaskPriorityEnum], required: false }),
    gt: t.field({ type: TaskPriorityEnum, required: false }),
    gte: t.field({ type: TaskPriorityEnum, required: false }),
    lt: t.field({ type: TaskPriorityEnum, required: false }),
    lte: t.field({ type: TaskPriorityEnum, required: false }),
  }),
});

export const IdFilterInput = builder.inputType('IDFilter', {
  fields: (t) => ({
    eq: t.globalID({ required: false }),
    in: t.globalIDList({ required: false }),
    isNull: t.boolean({ required: false, description: 'true: not set; false: set to anything.' }),
  }),
});

const LabelIdFilter = builder.inputType('TaskLabelFilter', {
  description: 'Tasks carrying the label (eq) or at least one of the labels (in).',
  fields: (t) => ({
    eq: t.globalID({ required: false }),
    in: t.globalIDList({ required: false }),
  }),
});

export const DateFilterInput = builder.inputType('DateFilter', {
  description: 'Comparisons never match an unset date; use isNull for those.',
  fields: (t) => ({
    eq: t.field({ type: 'Date', required: false }),
    lt: t.field({ type: 'Date', required: false }),
    lte: t.field({ type: 'Date', required: false }),
    gt: t.field({ type: 'Date', required: false }),
    gte: t.field({ type: 'Date', required: false }),
    isNull: t.boolean({ required: false }),
  }),
});

const TaskFilterInput = builder.inputRef<TaskFilterInputShape>('TaskFilter').implement({
  description: `Every given condition must hold. \`and\` / \`or\` nest further filters (at most 5 levels, 50 filters in all).`,
  fields: (t) => ({
    status: t.field({ type: TaskStatusFilter, required: false }),
    priority: t.field({ type: TaskPriorityFilter, required: false }),
    dueDate: t.field({ type: DateFilterInput, required: false }),
    assigneeId: t.field({ type: IdFilterInput, required: false, description: 'User ids.' }),
    milestoneId: t.field({ type: IdFilterInput, required: false, description: 'Milestone ids.' }),
    parentId: t.field({ type: IdFilterInput, required: false, description: 'Task ids; isNull: true lists top-level tasks.' }),
    labelId: t.field({ type: LabelIdFilter, required: false, description: 'Label ids.' }),
    topLevelOnly: t.boolean({ required: false, description: 'Only tasks without a parent.' }),
    and: t.field({ type: [TaskFilterInput], required: false }),
    or: t.field({ type: [TaskFilterInput], required: false, description: 'At least one must hold; an empty list matches nothing.' }),
  }),
});

const TaskSortFieldEnum = builder.enumType('TaskSortField', {
  values: {
    RANK: { value: 'rank', description: 'The manual order among siblings.' },
    PRIORITY: { value: 'priority' },
    DUE_DATE: { value: 'dueDate', description: 'Tasks without a due date come last in both directions.' },
    UPDATED_AT: { value: 'updatedAt' },
  } as const,
});

const TaskSortInput = builder.inputType('TaskSort', {
  fields: (t) => ({
    field: t.field({ type: TaskSortFieldEnum, required: true, defaultValue: 'rank' }),
    direction: t.field({ type: SortDirectionEnum, required: true, defaultValue: 'asc' }),
  }),
});

/** A decoded id of the expected type; anything else is a validation error on `path`. */
function idOfType(value: GlobalId, typename: string, path: string): string {
  if (value.typename !== typename) throw ValidationError.field(path, `must be a ${typename} id`);
  return idFrom(value, path);
}

function idList(values: GlobalId[], typename: string, path: string): string[] {
  if (values.length > MAX_VALUES) throw ValidationError.field(path, `at most ${MAX_VALUES} values`);
  return values.map((value, i) => idOfType(value, typename, `${path}.${i}`));
}

function idFilter(input: IdFilterInputShape | null | undefined, typename: string, path: string): IdFilter | null {
  if (!input) return null;
  return {
    eq: input.eq ? idOfType(input.eq, typename, `${path}.eq`) : null,
    in: input.in ? idList(input.in, typename, `${path}.in`) : null,
    isNull: input.isNull ?? null,
  };
}

/** The input with its global ids decoded and checked, paths naming the offending value. */
function toTaskFilter(input: TaskFilterInputShape, path: string): TaskFilter {
  return {
    status: input.status,
    priority: input.priority,
    dueDate: input.dueDate,
    assigneeId: idFilter(input.assigneeId, 'User', `${path}.assigneeId`),
    milestoneId: idFilter(input.milestoneId, 'Milestone', `${path}.milestoneId`),
    parentId: idFilter(input.parentId, 'Task', `${path}.parentId`),
    labelId: idFilter(input.labelId, 'Label', `${path}.labelId`),
    topLevelOnly: input.topLevelOnly,
    and: input.and?.map((f, i) => toTaskFilter(f, `${path}.and.${i}`)),
    or: input.or?.map((f, i) => toTaskFilter(f, `${path}.or.${i}`)),
  };
}

const taskListArgs = builder.args((t) => ({
  filter: t.field({ type: TaskFilterInput, required: false }),
  sort: t.field({ type: TaskSortInput, required: false, description: 'Default: RANK ascending.' }),
  includeDeleted: t.boolean({ required: false, defaultValue: false }),
}));

type TaskListArgs = {
  filter?: TaskFilterInputShape | null;
  sort?: TaskSort | null;
  includeDeleted?: boolean | null;
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
};

const TaskConnection = builder.connectionObject(
  {
    type: Task,
    name: 'TaskConnection',
    fields: (t) => ({
      totalCount: t.int({
        description: 'All tasks matching the filter (a separate count, only run when asked for).',
        resolve: (connection) => (connection as unknown as { totalCount: () => Promise<number> }).totalCount(),
      }),
    }),
  },
  { name: 'TaskEdge' },
);

function resolveTaskList(ctx: Parameters<typeof listTaskPage>[0], scope: Omit<TaskListScope, 'includeDeleted'>, args: TaskListArgs) {
  return listTaskPage(
    ctx,
    { ...scope, includeDeleted: args.includeDeleted ?? false },
    { filter: args.filter ? toTaskFilter(args.filter, 'filter') : null, sort: args.sort, page: args },
  );
}

builder.objectField(Project, 'tasks', (t) =>
  t.connection(
    {
      type: Task,
      description: 'Tasks of the project (subtasks included unless filtered out), 50 per page by default, at most 100.',
      args: taskListArgs,
      resolve: (project, args, ctx) => resolveTaskList(ctx, { organizationId: project.organizationId, projectId: project.id }, args),
    },
    TaskConnection,
  ),
);

builder.objectField(Milestone, 'tasks', (t) =>
  t.connection(
    {
      type: Task,
      description: 'Tasks planned for the milestone.',
      args: taskListArgs,
      resolve: (milestone, args, ctx) =>
        resolveTaskList(ctx, { organizationId: milestone.organizationId, milestoneId: milestone.id }, args),
    },
    TaskConnection,
  ),
);
