import type { PlannedProject, ScalePlan } from './plan';
import type { Random } from './random';
import { taskCreationTimes, taskIdentities, type TaskIdentity } from './task-identity';
import { DAY, HOUR, MINUTE } from './timeline';

/** Tasks nobody ever comments on. */
const SILENT_TASKS = 0.45;
/** Pareto exponent of a task's share of its project's comments: most threads are short, a few run to hundreds. */
const THREAD_SIZE_ALPHA = 1.4;
const MAX_THREAD_WEIGHT = 250;
/** Comments on the project itself rather than on one of its tasks. */
const PROJECT_COMMENT_SHARE = 0.03;
/** A task has had time to collect its full share of comments once it is this old. */
const FULL_DISCUSSION_AGE = 30 * DAY;
/** A thread lasts about this long, longer the more comments it has. */
const THREAD_SPAN_MEAN = 4 * DAY;
/** People often comment on the task they created. */
const CREATOR_COMMENTS = 0.3;
const MENTIONING_COMMENTS = 0.1;
/** A mentioning comment names a second member this often. */
const SECOND_MENTION = 0.2;
/** For progress estimates. */
export const MENTIONS_PER_COMMENT = MENTIONING_COMMENTS * (1 + SECOND_MENTION);

/**
 * One project's comments as columns: which task, when, who, whom they
 * mention. A pure function of (seed, project): the comments, mentions,
 * reactions and activity tables each recompute it instead of keeping two
 * million comments in memory. Bodies are not part of it (only the comments
 * table needs them).
 */
export type CommentSchedule = {
  count: number;
  id: string[];
  /** The task commented on; null for a comment on the project itself. */
  task: (TaskIdentity | null)[];
  createdMs: Float64Array;
  /** A member who may edit (viewers cannot comment). */
  authorId: string[];
  /** Members mentioned by comment k: mentionIds[mentionStart[k]] up to mentionIds[mentionStart[k + 1]]. */
  mentionStart: Int32Array;
  mentionIds: string[];
};

export function commentSchedules(plan: ScalePlan): (project: PlannedProject) => CommentSchedule {
  const identity = taskIdentities(plan);
  const creationTime = taskCreationTimes(plan);
  const streams = plan.random.streams('comments');
  const idStreams = plan.random.streams('comment-ids');
  return (project) => {
    const rng = streams(project.index);
    // The last minute of an archived project is when it was archived; nobody comments after that.
    const latestMs = project.endMs - MINUTE;
    const { perTask, onProject } = distribute(rng, project, latestMs, creationTime);
    const count = project.commentCount;
    const schedule: CommentSchedule = {
      count,
      id: new Array(count),
      task: new Array(count),
      createdMs: new Float64Array(count),
      authorId: new Array(count),
      mentionStart: new Int32Array(count + 1),
      mentionIds: [],
    };
    const { assigneeIds } = project.organization;
    let k = 0;
    const add = (task: TaskIdentity | null, createdMs: number, authorId: string) => {
      schedule.task[k] = task;
      schedule.createdMs[k] = createdMs;
      schedule.authorId[k] = authorId;
      if (rng.chance(MENTIONING_COMMENTS)) mention(rng, project, authorId, schedule.mentionIds);
      schedule.mentionStart[++k] = schedule.mentionIds.length;
    };
    for (let n = 0; n < onProject; n++) {
      add(null, project.startMs + 1 + rng.int(latestMs - project.startMs), assigneeIds[rng.skewedIndex(assigneeIds.length, 1.6)]!);
    }
    for (let index = 0; index < perTask.length; index++) {
      const comments = perTask[index]!;
      if (comments === 0) continue;
      const task = identity(project, index);
      const spanMs = Math.min(latestMs - task.createdMs, HOUR + rng.exponential(THREAD_SPAN_MEAN) * (1 + Math.log2(comments)));
      for (let n = 0; n < comments; n++) {
        // Squared: a thread is busiest right after the task appears, then tails off.
        const createdMs = task.createdMs + 1 + Math.floor(spanMs * rng.next() ** 2);
        const authorId = rng.chance(CREATOR_COMMENTS) ? task.createdById : assigneeIds[rng.skewedIndex(assigneeIds.length, 1.6)]!;
        add(task, createdMs, authorId);
      }
    }
    // Ids from their own stream: ids and times stay in step whichever way the schedule above evolves.
    const ids = idStreams(project.index);
    for (let n = 0; n < count; n++) schedule.id[n] = ids.uuidV7(schedule.createdMs[n]!);
    return schedule;
  };
}

/**
 * How many of the project's comments each task gets (a skewed multinomial:
 * many tasks none, a few a long thread) and how many go on the project.
 */
function distribute(
  rng: Random,
  project: PlannedProject,
  latestMs: number,
  creationTime: (project: PlannedProject, index: number) => number,
): { perTask: Uint32Array; onProject: number } {
  const cumulative = new Float64Array(project.taskCount);
  let total = 0;
  for (let index = 0; index < project.taskCount; index++) {
    const age = latestMs - creationTime(project, index);
    // An hour's margin keeps every comment strictly after its task and before the project's end.
    if (age > HOUR && !rng.chance(SILENT_TASKS)) {
      const threadWeight = Math.min(MAX_THREAD_WEIGHT, (1 - rng.next()) ** (-1 / THREAD_SIZE_ALPHA));
      total += threadWeight * Math.min(1, age / FULL_DISCUSSION_AGE);
    }
    cumulative[index] = total;
  }
  const perTask = new Uint32Array(project.taskCount);
  let onProject = 0;
  for (let n = 0; n < project.commentCount; n++) {
    if (total === 0 || rng.chance(PROJECT_COMMENT_SHARE)) onProject++;
    else perTask[firstAbove(cumulative, rng.next() * total)]!++;
  }
  return { perTask, onProject };
}

/** The first index whose cumulative weight exceeds `value` (silent tasks add no weight and are never chosen). */
function firstAbove(cumulative: Float64Array, value: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (cumulative[middle]! > value) high = middle;
    else low = middle + 1;
  }
  return low;
}

/** One or two members (any role: viewers can be mentioned), never the author. */
function mention(rng: Random, project: PlannedProject, authorId: string, into: string[]): void {
  const { members } = project.organization;
  const start = into.length;
  const wanted = rng.chance(SECOND_MENTION) ? 2 : 1;
  for (let attempt = 0; attempt < 4 && into.length - start < wanted; attempt++) {
    const userId = members[rng.skewedIndex(members.length, 1.5)]!.userId;
    if (userId !== authorId && into.indexOf(userId, start) < 0) into.push(userId);
  }
}
