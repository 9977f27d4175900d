import { tasks } from '../../db/schema/index';
import { completedAtFor } from '../../modules/tasks/services/task-access';
import type { TaskStatus } from '../../modules/tasks/task.repository';
import { WeightedChoice } from '../distribution';
import type { PlannedProject, ScalePlan } from '../plan';
import type { Random } from '../random';
import { RankKeys } from '../rank-keys';
import { taskIdentities, type TaskIdentity } from '../task-identity';
import { DATASET_NOW, DAY, MINUTE, calendarDate, timestamp } from '../timeline';
import { DESCRIPTION_SENTENCES, TASK_ADJECTIVES, TASK_NOUNS, TASK_VERBS } from '../vocabulary';
import { defineSeeder, type Cell } from './table-seeder';

/** Ordinary subtasks nest at most this deep; only the one --max-depth chain goes further. */
const USUAL_MAX_DEPTH = 3;
/** Subtasks pick a parent among the most recent tasks: work is broken down when it is created. */
const RECENT_PARENTS = 64;

const OPEN_STATUSES = new WeightedChoice({ backlog: 30, todo: 45, in_progress: 25 });
const ARCHIVED_STATUSES = new WeightedChoice({ done: 85, canceled: 15 });
const PRIORITIES = new WeightedChoice({ none: 30, low: 20, medium: 30, high: 15, urgent: 5 });
const ESTIMATES = [15, 30, 60, 90, 120, 240, 480, 960, 1440] as const;

export const tasksSeeder = defineSeeder(
  tasks,
  [
    'id', 'organizationId', 'projectId', 'milestoneId', 'parentId', 'title', 'description', 'status', 'priority', 'dueDate',
    'estimateMinutes', 'assigneeId', 'rank', 'version', 'completedAt', 'createdAt', 'updatedAt', 'createdBy',
  ],
  {
    expectedRows: (plan) => ({ rows: plan.options.tasks, exact: true }),
    *rows(plan) {
      const identity = taskIdentities(plan);
      const ranks = new RankKeys();
      const streams = plan.random.streams('tasks');
      for (const project of plan.projects) {
        const chainDepth = plan.deepChain?.project === project ? plan.deepChain.depth : 0;
        yield* projectTasks(plan, project, streams(project.index), identity, ranks, chainDepth);
      }
    },
  },
);

function* projectTasks(
  plan: ScalePlan,
  project: PlannedProject,
  rng: Random,
  identity: (project: PlannedProject, index: number) => TaskIdentity,
  ranks: RankKeys,
  chainDepth: number,
): Generator<Cell[]> {
  const count = project.taskCount;
  const ids: string[] = new Array(count);
  const depth = new Uint16Array(count);
  const childCount = new Uint32Array(count);
  const recent = new Int32Array(RECENT_PARENTS);
  const usualMaxDepth = Math.min(USUAL_MAX_DEPTH, plan.options.maxDepth);
  let recentCount = 0;
  let rootCount = 0;
  for (let index = 0; index < count; index++) {
    const task = identity(project, index);
    ids[index] = task.id;
    // Parents always come earlier in the project, so the tree has no cycle and no parent from another project.
    let parent = -1;
    if (index > 0 && index <= chainDepth) parent = index - 1;
    else if (recentCount > 0 && rng.chance(plan.options.subtaskShare)) {
      parent = recent[(recentCount - 1 - rng.int(Math.min(recentCount, RECENT_PARENTS))) % RECENT_PARENTS]!;
    }
    depth[index] = parent < 0 ? 0 : depth[parent]! + 1;
    if (depth[index]! < usualMaxDepth) recent[recentCount++ % RECENT_PARENTS] = index;
    const rank = ranks.at(parent < 0 ? rootCount++ : childCount[parent]!++);
    yield taskRow(rng, project, task, parent < 0 ? null : ids[parent]!, rank);
  }
}

function taskRow(rng: Random, project: PlannedProject, task: TaskIdentity, parentId: string | null, rank: string): Cell[] {
  const organization = project.organization;
  const status = taskStatus(rng, project, task.createdMs);
  const latestMs = Math.min(project.endMs, DATASET_NOW) - MINUTE;
  const finishedMs = Math.max(task.createdMs, Math.min(latestMs, task.createdMs + MINUTE + Math.floor(rng.exponential(6 * DAY))));
  const completedAt = completedAtFor(status, new Date(finishedMs));
  const updatedMs = completedAt ? finishedMs : task.createdMs + Math.floor(rng.next() * 0.3 * (DATASET_NOW - task.createdMs));
  const assigned = rng.chance(status === 'backlog' ? 0.35 : 0.85);
  const milestone = project.milestones.length > 0 && rng.chance(0.45) ? milestoneAround(rng, project, task.createdMs) : null;
  return [
    task.id,
    organization.id,
    project.id,
    milestone,
    parentId,
    `${rng.pick(TASK_VERBS)} ${rng.pick(TASK_ADJECTIVES)} ${rng.pick(TASK_NOUNS)}`,
    description(rng),
    status,
    PRIORITIES.pick(rng),
    rng.chance(0.35) ? calendarDate(task.createdMs + (3 + rng.exponential(14)) * DAY) : null,
    rng.chance(0.45) ? rng.pick(ESTIMATES) : null,
    assigned ? organization.assigneeIds[rng.skewedIndex(organization.assigneeIds.length, 1.8)]! : null,
    rank,
    (completedAt ? 2 : 1) + Math.min(30, Math.floor(rng.exponential(1.2))),
    completedAt ? completedAt.toISOString() : null,
    timestamp(task.createdMs),
    timestamp(updatedMs),
    task.createdById,
  ];
}

/** Older tasks are more likely finished; archived projects hold finished work only. */
function taskStatus(rng: Random, project: PlannedProject, createdMs: number): TaskStatus {
  if (project.status === 'archived') return ARCHIVED_STATUSES.pick(rng);
  const age = (DATASET_NOW - createdMs) / (DATASET_NOW - project.startMs + 1);
  const roll = rng.next();
  if (roll < 0.25 + 0.55 * age) return 'done';
  if (roll < 0.31 + 0.55 * age) return 'canceled';
  return OPEN_STATUSES.pick(rng);
}

/** The milestone current when the task was created, sometimes the next one. */
function milestoneAround(rng: Random, project: PlannedProject, createdMs: number): string {
  const { milestones } = project;
  const progress = (createdMs - project.startMs) / (project.endMs - project.startMs + 1);
  const position = Math.floor(progress * milestones.length) + (rng.chance(0.3) ? 1 : 0);
  return milestones[Math.min(milestones.length - 1, position)]!.id;
}

function description(rng: Random): string {
  if (rng.chance(0.4)) return '';
  const sentences = 1 + rng.int(3);
  let text = rng.pick(DESCRIPTION_SENTENCES);
  for (let i = 1; i < sentences; i++) text += ` ${rng.pick(DESCRIPTION_SENTENCES)}`;
  return text;
}
