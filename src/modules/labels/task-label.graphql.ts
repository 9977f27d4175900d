import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { idFrom } from '../../graphql/ids';
import { ValidationError } from '../../shared/errors';
import { readByKeys } from '../../realtime/delivery-reads';
import { groupedInKeyOrder } from '../../shared/unit-of-work';
import { Task } from '../tasks/task.graphql';
import { Label } from './label.type';
import { addTaskLabels, removeTaskLabels } from './task-label.service';
import { findLiveLabelsOfTasks } from './task-label.repository';

const MAX_LABELS_PER_CALL = 50;

builder.objectField(Task, 'labels', (t) =>
  t.loadableList({
    type: Label,
    description: 'Live labels of the task, ordered by name (case-insensitively).',
    load: (taskIds: string[], ctx) =>
      readByKeys(ctx, 'task-labels', taskIds, async (tx, organizationIds, keys) => {
        const rows = await findLiveLabelsOfTasks(tx, organizationIds, keys);
        return groupedInKeyOrder(keys, rows, (row) => row.taskId).map((group) => group.map((row) => row.label));
      }),
    resolve: (task) => task.id,
  }),
);

function labelIdsFrom(globalIds: readonly { id: string }[]): string[] {
  if (globalIds.length > MAX_LABELS_PER_CALL) {
    throw ValidationError.field('labelIds', `must list at most ${MAX_LABELS_PER_CALL} labels`);
  }
  return globalIds.map((globalId, index) => idFrom(globalId, `labelIds.${index}`));
}

builder.mutationFields((t) => ({
  addTaskLabels: t.field({
    type: Task,
    description: 'Attaches labels of the task’s organization; ones already attached are ignored.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'task' } },
    args: {
      taskId: t.arg.globalID({ required: true, for: Task }),
      labelIds: t.arg.globalIDList({ required: true, for: Label }),
    },
    resolve: (_root, { taskId, labelIds }, ctx) => addTaskLabels(ctx, idFrom(taskId, 'taskId'), labelIdsFrom(labelIds)),
  }),
  removeTaskLabels: t.field({
    type: Task,
    description: 'Detaches labels; ones the task does not have are ignored.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'task' } },
    args: {
      taskId: t.arg.globalID({ required: true, for: Task }),
      labelIds: t.arg.globalIDList({ required: true, for: Label }),
    },
    resolve: (_root, { taskId, labelIds }, ctx) => removeTaskLabels(ctx, idFrom(taskId, 'taskId'), labelIdsFrom(labelIds)),
  }),
}));
