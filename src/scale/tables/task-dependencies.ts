import { taskDependencies } from '../../db/schema/index';
import { WeightedChoice } from '../distribution';
import type { PlannedProject } from '../plan';
import type { Random } from '../random';
import { taskIdentities } from '../task-identity';
import { DATASET_NOW, DAY, timestamp } from '../timeline';
import { defineSeeder, type Cell } from './table-seeder';

const DEPENDENCIES_PER_TASK = 0.12;
const TYPES = new WeightedChoice({ blocks: 60, relates_to: 33, duplicates: 7 });
/** Blocking links join tasks created close together: the next steps of the same piece of work. */
const BLOCKS_WINDOW = 30;
const CROSS_PROJECT_SHARE = 0.25;
const ATTEMPTS = 4;

type Endpoint = { project: PlannedProject; index: number };

export const taskDependenciesSeeder = defineSeeder(
  taskDependencies,
  ['id', 'organizationId', 'fromTaskId', 'toTaskId', 'type', 'createdAt', 'updatedAt', 'createdBy'],
  {
    expectedRows: (plan) => ({ rows: plan.projects.reduce((sum, project) => sum + wantedLinks(project), 0), exact: false }),
    *rows(plan) {
      const identity = taskIdentities(plan);
      const streams = plan.random.streams('task-dependencies');
      // Links are unique per organization; relates_to in either direction counts as the same link (as in the API).
      const seen = new Set<string>();
      for (const project of plan.projects) {
        const rng = streams(project.index);
        if (project.organization.projects[0] === project) seen.clear();
        for (let link = wantedLinks(project); link > 0; link--) {
          for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
            const type = TYPES.pick(rng);
            const [from, to] = endpoints(rng, project, type);
            const key = linkKey(from, to, type);
            if (seen.has(key) || (from.project === to.project && from.index === to.index)) continue;
            seen.add(key);
            const fromTask = identity(from.project, from.index);
            const toTask = identity(to.project, to.index);
            const createdMs = Math.min(DATASET_NOW - 1, Math.max(fromTask.createdMs, toTask.createdMs) + rng.int(7 * DAY));
            const row: Cell[] = [rng.uuidV7(createdMs), project.organization.id, fromTask.id, toTask.id, type];
            row.push(timestamp(createdMs), timestamp(createdMs), project.organization.ownerId);
            yield row;
            break;
          }
        }
      }
    },
  },
);

function linkKey(from: Endpoint, to: Endpoint, type: string): string {
  const a = `${from.project.index}:${from.index}`;
  const b = `${to.project.index}:${to.index}`;
  return type === 'relates_to' && b < a ? `${b}-${a}-${type}` : `${a}-${b}-${type}`;
}

function wantedLinks(project: PlannedProject): number {
  return project.taskCount < 2 ? 0 : Math.round(project.taskCount * DEPENDENCIES_PER_TASK);
}

/**
 * `blocks` always runs from an earlier to a later task of the same project,
 * so blocking links can never form a cycle. `duplicates` points from the
 * later copy to the original; `relates_to` may cross projects.
 */
function endpoints(rng: Random, project: PlannedProject, type: 'blocks' | 'relates_to' | 'duplicates'): [Endpoint, Endpoint] {
  const count = project.taskCount;
  const earlier = rng.int(count - 1);
  const later = earlier + 1 + rng.int(Math.min(BLOCKS_WINDOW, count - 1 - earlier));
  if (type === 'blocks') return [{ project, index: earlier }, { project, index: later }];
  if (type === 'duplicates') return [{ project, index: later }, { project, index: earlier }];
  const other = rng.chance(CROSS_PROJECT_SHARE) ? rng.pick(project.organization.projects) : project;
  const target = other.taskCount > 0 ? other : project;
  return [{ project, index: rng.int(count) }, { project: target, index: rng.int(target.taskCount) }];
}
