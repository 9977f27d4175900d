import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { idFrom } from '../../graphql/ids';
import { asViewer, groupedInKeyOrder, inKeyOrder } from '../../shared/unit-of-work';
import { Task } from '../tasks/task.graphql';
import {
  findDependenciesByIds,
  findLinks,
  type DependencyRow,
  type DependencyType,
  type Link,
  type LinkDirection,
} from './dependency.repository';
import { addTaskDependency, removeTaskDependency } from './dependency.service';

export const DependencyTypeEnum = builder.enumType('DependencyType', {
  values: {
    BLOCKS: { value: 'blocks', description: 'fromTask must be done before toTask.' },
    RELATES_TO: { value: 'relates_to', description: 'The tasks are related; the direction carries no meaning.' },
    DUPLICATES: { value: 'duplicates', description: 'fromTask duplicates toTask.' },
  } as const,
});

export const TaskDependency = builder.loadableNode('TaskDependency', {
  description: 'A directed link between two tasks of one organization: fromTask <type> toTask.',
  id: { resolve: (dependency: DependencyRow) => dependency.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'fromTaskId' in value && 'toTaskId' in value,
  load: (ids: string[], ctx) =>
    asViewer(ctx, async (tx, organizationIds) => inKeyOrder(ids, await findDependenciesByIds(tx, organizationIds, ids), (d) => d.id)),
  authScopes: (dependency) => ({ orgRole: { organizationId: dependency.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    type: t.expose('type', { type: DependencyTypeEnum }),
    fromTask: t.field({ type: Task, resolve: (dependency) => dependency.fromTaskId }),
    toTask: t.field({ type: Task, resolve: (dependency) => dependency.toTaskId }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});

/** Loads the links of every task on a page in one statement, grouped per task. */
const loadLinks =
  <T>(options: { direction: LinkDirection; type?: DependencyType }, pick: (link: Link) => T) =>
  (taskIds: string[], ctx: Parameters<typeof asViewer>[0]) =>
    asViewer(ctx, async (tx, organizationIds) => {
      const links = await findLinks(tx, organizationIds, taskIds, options);
      return groupedInKeyOrder(taskIds, links, (link) => link.taskId).map((group) => group.map(pick));
    });

const otherTask = (link: Link) => link.otherTask;

builder.objectFields(Task, (t) => {
  const linkedTasks = (description: string, options: { direction: LinkDirection; type: DependencyType }) =>
    t.loadableList({ type: Task, description, load: loadLinks(options, otherTask), resolve: (task) => task.id });
  return {
    blockedBy: linkedTasks('Live tasks that block this one (must be done first).', { direction: 'incoming', type: 'blocks' }),
    blocking: linkedTasks('Live tasks this one blocks.', { direction: 'outgoing', type: 'blocks' }),
    related: linkedTasks('Live tasks related to this one, whichever way the link was made.', { direction: 'either', type: 'relates_to' }),
    duplicates: linkedTasks('Live tasks this one duplicates.', { direction: 'outgoing', type: 'duplicates' }),
    duplicatedBy: linkedTasks('Live tasks that duplicate this one.', { direction: 'incoming', type: 'duplicates' }),
    dependencies: t.loadableList({
      type: TaskDependency,
      description: 'Every link from or to this task whose other end is live, oldest first (their ids are what removeTaskDependency takes).',
      load: loadLinks({ direction: 'either' }, (link) => link.dependency),
      resolve: (task) => task.id,
    }),
  };
});

const AddTaskDependencyInput = builder.inputType('AddTaskDependencyInput', {
  fields: (t) => ({
    fromTaskId: t.globalID({ required: true, for: Task }),
    toTaskId: t.globalID({ required: true, for: Task }),
    type: t.field({ type: DependencyTypeEnum, required: true }),
  }),
});

builder.mutationFields((t) => ({
  addTaskDependency: t.field({
    type: TaskDependency,
    description: 'Links two tasks. Adding a link that exists already returns it; a blocking cycle is refused.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'dependency' } },
    args: { input: t.arg({ type: AddTaskDependencyInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      addTaskDependency(ctx, {
        fromTaskId: idFrom(input.fromTaskId, 'input.fromTaskId'),
        toTaskId: idFrom(input.toTaskId, 'input.toTaskId'),
        type: input.type,
      }),
  }),
  removeTaskDependency: t.field({
    type: TaskDependency,
    description: 'Removes a link and returns it as it was.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'dependency' } },
    args: { id: t.arg.globalID({ required: true, for: TaskDependency }) },
    resolve: (_root, { id }, ctx) => removeTaskDependency(ctx, idFrom(id, 'id')),
  }),
}));
