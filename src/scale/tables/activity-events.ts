import type postgres from 'postgres';
import { activityEvents } from '../../db/schema/index';
import { REALTIME_SEQ_LOCK_KEY } from '../../realtime/sequencer';
import { COMMENT_VERBS } from '../../modules/comments/comment-activity';
import { commentSchedules } from '../comment-schedule';
import type { ScalePlan } from '../plan';
import { taskCreationTimes, taskIdentities } from '../task-identity';
import { timestamp } from '../timeline';
import { defineSeeder, type Cell } from './table-seeder';

const NO_CHANGES = '{}';

/**
 * What the feed would hold had the tasks and comments been created through
 * the API: task.created for every task and comment.created for every comment,
 * already numbered (`seq`) in creation order from the realtime sequence, as
 * the sequencer numbers committed events, so cursors and replay work on seeded
 * data and live events afterwards get larger numbers.
 */
export const activityEventsSeeder = defineSeeder(
  activityEvents,
  ['id', 'organizationId', 'seq', 'actorId', 'verb', 'subjectType', 'subjectId', 'projectId', 'taskId', 'changes', 'createdAt'],
  {
    expectedRows: (plan) => ({ rows: eventCount(plan), exact: true }),
    async load(tx, plan) {
      const firstSeq = await claimSeqStart(tx);
      return {
        rows: activityRows(plan, firstSeq),
        async finish(written) {
          // The next number the sequencer hands out follows the seeded ones.
          await tx`select setval('realtime_event_seq', ${firstSeq + written}, false)`;
        },
      };
    },
  },
);

const eventCount = (plan: ScalePlan) => plan.options.tasks + plan.options.comments;

/** Locks numbering for the rest of the load transaction and returns the first free number. */
async function claimSeqStart(tx: postgres.TransactionSql): Promise<number> {
  // The sequencer's own lock: held while the seed claims its numbers, a running sequencer cannot
  // hand out the same ones, and it waits until the seeded events are committed.
  await tx.unsafe(`select pg_advisory_xact_lock(${REALTIME_SEQ_LOCK_KEY})`);
  const [row] = await tx`select nextval('realtime_event_seq')::bigint as seq`;
  return Number(row!.seq);
}

function* activityRows(plan: ScalePlan, firstSeq: number): Generator<Cell[]> {
  const rank = creationRanks(eventTimes(plan));
  const identity = taskIdentities(plan);
  const schedules = commentSchedules(plan);
  const idStreams = plan.random.streams('activity-ids');
  // The same walk as eventTimes(): event number `next` there is event number `next` here.
  let next = 0;
  for (const project of plan.projects) {
    const rng = idStreams(project.index);
    const organizationId = project.organization.id;
    for (let index = 0; index < project.taskCount; index++) {
      const task = identity(project, index);
      const seq = firstSeq + rank[next++]!;
      const row: Cell[] = [rng.uuidV7(task.createdMs), organizationId, seq, task.createdById, 'task.created', 'task', task.id, project.id, task.id];
      row.push(NO_CHANGES, timestamp(task.createdMs));
      yield row;
    }
    if (project.commentCount === 0) continue;
    const schedule = schedules(project);
    for (let k = 0; k < schedule.count; k++) {
      const createdMs = schedule.createdMs[k]!;
      const seq = firstSeq + rank[next++]!;
      const row: Cell[] = [rng.uuidV7(createdMs), organizationId, seq, schedule.authorId[k]!, COMMENT_VERBS.created, 'comment', schedule.id[k]!];
      row.push(project.id, schedule.task[k]?.id ?? null, NO_CHANGES, timestamp(createdMs));
      yield row;
    }
  }
}

/** Every event's creation time, in the order activityRows() walks them. */
function eventTimes(plan: ScalePlan): Float64Array {
  const times = new Float64Array(eventCount(plan));
  const creationTime = taskCreationTimes(plan);
  const schedules = commentSchedules(plan);
  let next = 0;
  for (const project of plan.projects) {
    for (let index = 0; index < project.taskCount; index++) times[next++] = creationTime(project, index);
    if (project.commentCount > 0) {
      const schedule = schedules(project);
      times.set(schedule.createdMs, next);
      next += schedule.count;
    }
  }
  return times;
}

/**
 * Each event's position in creation order (equal times keep walk order): a
 * stable least-significant-digit radix sort of the event numbers by time,
 * linear where a comparison sort of three million would not be.
 */
export function creationRanks(times: Float64Array): Uint32Array {
  const count = times.length;
  let earliest = Infinity;
  for (let i = 0; i < count; i++) earliest = Math.min(earliest, times[i]!);
  // Milliseconds since the earliest event as two 32-bit halves: integer digit extraction in the passes.
  const low = new Uint32Array(count);
  const high = new Uint32Array(count);
  let highest = 0;
  for (let i = 0; i < count; i++) {
    const offset = times[i]! - earliest;
    low[i] = offset % 2 ** 32;
    high[i] = Math.floor(offset / 2 ** 32);
    highest = Math.max(highest, high[i]!);
  }
  // 16-bit digits, least significant first; the high half only when the events span over 49 days.
  const digits: [Uint32Array, number][] = [[low, 0], [low, 16]];
  if (highest > 0) digits.push([high, 0], [high, 16]);
  let order = new Uint32Array(count);
  let sorted = new Uint32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  const buckets = new Uint32Array(1 << 16);
  for (const [keys, shift] of digits) {
    buckets.fill(0);
    for (let i = 0; i < count; i++) buckets[(keys[i]! >>> shift) & 0xffff]!++;
    for (let d = 0, start = 0; d < buckets.length; d++) {
      const size = buckets[d]!;
      buckets[d] = start;
      start += size;
    }
    for (let i = 0; i < count; i++) {
      const event = order[i]!;
      sorted[buckets[(keys[event]! >>> shift) & 0xffff]!++] = event;
    }
    [order, sorted] = [sorted, order];
  }
  const rank = sorted;
  for (let position = 0; position < count; position++) rank[order[position]!] = position;
  return rank;
}
