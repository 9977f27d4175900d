import type { Executor } from '../../db/client';
import { NotFoundError } from '../../shared/errors';
import { findProjectsByIds } from '../projects/project.repository';
import { findLiveTasksByIds, findTasksByIds } from '../tasks/task.repository';
import type { CommentRow } from './comment.repository';

/** Where a comment's activity shows up: its task's feed and that task's project, or its project's. */
export type CommentFeed = { organizationId: string; taskId: string | null; projectId: string };

/**
 * The live task or project a new comment goes on. Another organization's (or a
 * deleted) target is simply not found, so nothing about it is revealed.
 */
export async function findLiveTarget(
  tx: Executor,
  organizationIds: readonly string[],
  target: { taskId?: string | null; projectId?: string | null },
): Promise<CommentFeed> {
  if (target.taskId) {
    const [task] = await findLiveTasksByIds(tx, organizationIds, [target.taskId]);
    if (!task) throw new NotFoundError('Task', target.taskId);
    return { organizationId: task.organizationId, taskId: task.id, projectId: task.projectId };
  }
  const [project] = await findProjectsByIds(tx, organizationIds, [target.projectId!]);
  if (!project || project.deletedAt) throw new NotFoundError('Project', target.projectId!);
  return { organizationId: project.organizationId, taskId: null, projectId: project.id };
}

/** The feed of an existing comment (a task comment's project is the task's current project). */
export async function feedOfComment(tx: Executor, organizationIds: readonly string[], comment: CommentRow): Promise<CommentFeed> {
  if (!comment.taskId) return { organizationId: comment.organizationId, taskId: null, projectId: comment.projectId! };
  const [task] = await findTasksByIds(tx, organizationIds, [comment.taskId]);
  if (!task) throw new NotFoundError('Task', comment.taskId);
  return { organizationId: comment.organizationId, taskId: task.id, projectId: task.projectId };
}
