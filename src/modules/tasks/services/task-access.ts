import type { Transaction } from '../../../db/client';
import type { ConstraintMessages } from '../../../db/errors';
import { ConflictError, NotFoundError, ValidationError } from '../../../shared/errors';
import { findLiveMilestoneForShare } from '../../milestones/milestone.repository';
import { findProjectsByIds, type ProjectRow } from '../../projects/project.repository';
import { findLiveTasksByIds, findTasksByIds, isActiveMember, lockKey, lockTasksByIds, type TaskRow, type TaskStatus } from '../task.repository';

/**
 * Backstops for the checks below (they run first and give better errors):
 * a constraint that still fires names the input field it is about.
 */
export const taskConstraints: ConstraintMessages = {
  tasks_project_fk: () => ValidationError.field('input.projectId', 'must be a project of the same organization'),
  tasks_milestone_fk: () => ValidationError.field('input.milestoneId', 'must be a milestone of the same organization'),
  tasks_parent_fk: () => ValidationError.field('input.parentId', 'must be a task of the same organization'),
  tasks_assignee_fk: () => ValidationError.field('input.assigneeId', 'must be a member of the organization'),
  tasks_not_own_parent: () => ValidationError.field('input.parentId', 'a task cannot be its own parent'),
  tasks_estimate_non_negative: () => ValidationError.field('input.estimateMinutes', 'must not be negative'),
};

/** A project the viewer can see, deleted ones included (policies refuse writes to those). */
export async function findVisibleProject(tx: Transaction, organizationIds: readonly string[], projectId: string): Promise<ProjectRow> {
  const [project] = await findProjectsByIds(tx, organizationIds, [projectId]);
  if (!project) throw new NotFoundError('Project', projectId);
  return project;
}

/** A live project of `organizationId`: another tenant's (or a deleted) project is simply not found. */
export async function findLiveProjectIn(
  tx: Transaction,
  organizationIds: readonly string[],
  organizationId: string,
  projectId: string,
): Promise<ProjectRow> {
  const project = await findVisibleProject(tx, organizationIds, projectId);
  if (project.deletedAt || project.organizationId !== organizationId) throw new NotFoundError('Project', projectId);
  return project;
}

/** A live task, unlocked: to learn which locks to take before locking it. */
export async function peekLiveTask(tx: Transaction, organizationIds: readonly string[], id: string): Promise<TaskRow> {
  const [task] = await findLiveTasksByIds(tx, organizationIds, [id]);
  if (!task) throw new NotFoundError('Task', id);
  return task;
}

export async function peekTask(tx: Transaction, organizationIds: readonly string[], id: string): Promise<TaskRow> {
  const [task] = await findTasksByIds(tx, organizationIds, [id]);
  if (!task) throw new NotFoundError('Task', id);
  return task;
}

/** Locks a task for the rest of the transaction; deleted ones only when `includeDeleted`. */
export async function lockTask(
  tx: Transaction,
  organizationIds: readonly string[],
  id: string,
  options: { includeDeleted?: boolean } = {},
): Promise<TaskRow> {
  const [task] = await lockTasksByIds(tx, organizationIds, [id]);
  if (!task || (task.deletedAt && !options.includeDeleted)) throw new NotFoundError('Task', id);
  return task;
}

/**
 * The hierarchy lock of projects: moves, deletes and restores take it
 * exclusively, so a cycle check or a subtree walk sees a tree nobody else is
 * reshaping; creating a subtask takes it shared, so its parent stays live.
 * Several projects are locked in a fixed order, so two movers cannot deadlock.
 */
export async function lockTaskTrees(
  tx: Transaction,
  organizationId: string,
  projectIds: readonly string[],
  mode: 'shared' | 'exclusive',
): Promise<void> {
  for (const projectId of [...new Set(projectIds)].sort()) await lockKey(tx, `task-tree:${organizationId}:${projectId}`, mode);
}

/** Takes the tree lock of a task's project, then locks the task (refusing it if it changed project in between). */
export async function lockTaskWithTree(
  tx: Transaction,
  organizationIds: readonly string[],
  id: string,
  options: { includeDeleted?: boolean } = {},
): Promise<TaskRow> {
  const seen = await peekTask(tx, organizationIds, id);
  await lockTaskTrees(tx, seen.organizationId, [seen.projectId], 'exclusive');
  const task = await lockTask(tx, organizationIds, id, options);
  if (task.projectId !== seen.projectId) throw new ConflictError('The task was moved by someone else meanwhile; try again', task.version);
  return task;
}

/** The assignee must be a current member of the task's organization; anyone else is not found there. */
export async function requireAssignee(tx: Transaction, organizationId: string, userId: string): Promise<void> {
  if (!(await isActiveMember(tx, organizationId, userId))) throw new NotFoundError('User', userId);
}

/** A live milestone of the task's project (share-locked so it stays live until commit). */
export async function requireMilestone(
  tx: Transaction,
  organizationIds: readonly string[],
  milestoneId: string,
  project: { id: string; organizationId: string },
  path: string,
): Promise<void> {
  const milestone = await findLiveMilestoneForShare(tx, organizationIds, milestoneId);
  if (!milestone || milestone.organizationId !== project.organizationId) throw new NotFoundError('Milestone', milestoneId);
  if (milestone.projectId !== project.id) throw ValidationError.field(path, "must be a milestone of the task's project");
}

/** A live task to be a parent in `project` (the caller holds the project's tree lock). */
export async function requireParent(
  tx: Transaction,
  organizationIds: readonly string[],
  parentId: string,
  project: { id: string; organizationId: string },
  path: string,
): Promise<TaskRow> {
  const [parent] = await findLiveTasksByIds(tx, organizationIds, [parentId]);
  if (!parent || parent.organizationId !== project.organizationId) throw new NotFoundError('Task', parentId);
  if (parent.projectId !== project.id) throw ValidationError.field(path, 'must be a task of the same project');
  return parent;
}

/** The live tasks named as neighbours in a position, keyed for rankForPosition. */
export async function findNeighbours(
  tx: Transaction,
  organizationIds: readonly string[],
  position: { afterId?: string | null; beforeId?: string | null },
): Promise<{ after?: TaskRow; before?: TaskRow }> {
  const ids = [position.afterId, position.beforeId].filter((id): id is string => !!id);
  if (ids.length === 0) return {};
  const rows = await findLiveTasksByIds(tx, organizationIds, ids);
  const byId = new Map(rows.map((row) => [row.id, row]));
  return {
    after: position.afterId ? byId.get(position.afterId) : undefined,
    before: position.beforeId ? byId.get(position.beforeId) : undefined,
  };
}

const TERMINAL: readonly TaskStatus[] = ['done', 'canceled'];

/** completed_at for a task entering `status`: now when it is done or canceled, cleared otherwise. */
export const completedAtFor = (status: TaskStatus, now: Date): Date | null => (TERMINAL.includes(status) ? now : null);
