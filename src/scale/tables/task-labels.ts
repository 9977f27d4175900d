import { taskLabels } from '../../db/schema/index';
import { WeightedChoice } from '../distribution';
import { taskIdentities } from '../task-identity';
import { DAY, timestamp } from '../timeline';
import { defineSeeder } from './table-seeder';

/** 0-3 labels per task, most tasks one or none. */
const LABELS_PER_TASK = new WeightedChoice({ 0: 38, 1: 35, 2: 19, 3: 8 });
const MEAN_LABELS_PER_TASK = (35 + 2 * 19 + 3 * 8) / 100;

export const taskLabelsSeeder = defineSeeder(taskLabels, ['organizationId', 'taskId', 'labelId', 'createdAt', 'updatedAt', 'createdBy'], {
  expectedRows: (plan) => ({ rows: Math.round(plan.options.tasks * MEAN_LABELS_PER_TASK), exact: false }),
  *rows(plan) {
    const identity = taskIdentities(plan);
    const streams = plan.random.streams('task-labels');
    for (const project of plan.projects) {
      const rng = streams(project.index);
      const { labels, id: organizationId, ownerId } = project.organization;
      const chosen = new Set<number>();
      for (let index = 0; index < project.taskCount; index++) {
        const wanted = Math.min(labels.length, Number(LABELS_PER_TASK.pick(rng)));
        if (wanted === 0) continue;
        const task = identity(project, index);
        chosen.clear();
        // A few labels (bug, frontend, ...) carry most of the tagging in every organization.
        while (chosen.size < wanted) chosen.add(rng.skewedIndex(labels.length, 1.8));
        const labelled = timestamp(task.createdMs + rng.int(DAY));
        for (const label of chosen) yield [organizationId, task.id, labels[label]!.id, labelled, labelled, ownerId];
      }
    }
  },
});
