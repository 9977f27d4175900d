import type { PlannedProject, ScalePlan } from './plan';

export type TaskIdentity = { id: string; createdMs: number; createdById: string };

/** Creation times grow with the index, so ids (UUIDv7) and ranks follow creation order. */
const createdAt = (project: PlannedProject, index: number, jitter: number) =>
  project.startMs + Math.floor(((index + jitter) * (project.endMs - project.startMs)) / project.taskCount);

/**
 * A task's id, creation time and creator as a pure function of (seed,
 * project, index): the tables that reference tasks (labels, dependencies,
 * comments, activity) recompute them instead of keeping a million in memory.
 */
export function taskIdentities(plan: ScalePlan): (project: PlannedProject, index: number) => TaskIdentity {
  const streams = plan.random.streams('task-identity');
  return (project, index) => {
    const rng = streams(project.firstTask + index);
    const createdMs = createdAt(project, index, rng.next());
    const id = rng.uuidV7(createdMs);
    const creators = project.organization.assigneeIds;
    return { id, createdMs, createdById: creators[rng.skewedIndex(creators.length, 1.5)]! };
  };
}

/** Only the creation time (the same first draw as taskIdentities): for passes that need no id. */
export function taskCreationTimes(plan: ScalePlan): (project: PlannedProject, index: number) => number {
  const streams = plan.random.streams('task-identity');
  return (project, index) => createdAt(project, index, streams(project.firstTask + index).next());
}
