import type { PlannedProject, ScalePlan } from './plan';

export type TaskIdentity = { id: string; createdMs: number };

/**
 * A task's id and creation time as a pure function of (seed, project, index):
 * the tables that reference tasks (labels, dependencies, later comments)
 * recompute ids instead of keeping a million of them in memory. Creation
 * times grow with the index, so ids (UUIDv7) and ranks follow creation order.
 */
export function taskIdentities(plan: ScalePlan): (project: PlannedProject, index: number) => TaskIdentity {
  const streams = plan.random.streams('task-identity');
  return (project, index) => {
    const rng = streams(project.firstTask + index);
    const createdMs = project.startMs + Math.floor(((index + rng.next()) * (project.endMs - project.startMs)) / project.taskCount);
    return { id: rng.uuidV7(createdMs), createdMs };
  };
}
