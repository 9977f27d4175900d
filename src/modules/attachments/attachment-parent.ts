import type { Executor } from '../../db/client';
import { NotFoundError } from '../../shared/errors';
import { findCommentsByIds, type CommentRow } from '../comments/comment.repository';
import { findProjectsByIds, type ProjectRow } from '../projects/project.repository';
import { findLiveTasksByIds } from '../tasks/task.repository';

export type AttachmentTarget = { taskId: string } | { commentId: string };

/**
 * What an attachment hangs on, with the feed its activity goes to: the task
 * (a comment's task, for a task comment) and that task's project.
 */
export type AttachmentParent = {
  organizationId: string;
  project: ProjectRow;
  /** The task whose feed shows the attachment: the task itself, or the comment's task (null for a project comment). */
  feedTaskId: string | null;
  comment: CommentRow | null;
};

/**
 * The live task or comment an attachment goes on (a comment's task must be
 * live too). Another organization's, or a deleted, parent is simply not found.
 */
export async function findLiveParent(tx: Executor, organizationIds: readonly string[], target: AttachmentTarget): Promise<AttachmentParent> {
  const comment = 'commentId' in target ? await findLiveComment(tx, organizationIds, target.commentId) : null;
  const taskId = comment ? comment.taskId : (target as { taskId: string }).taskId;
  let projectId = comment?.projectId ?? null;
  if (taskId) {
    const [task] = await findLiveTasksByIds(tx, organizationIds, [taskId]);
    if (!task) throw new NotFoundError('Task', taskId);
    projectId = task.projectId;
  }
  const [project] = await findProjectsByIds(tx, organizationIds, [projectId!]);
  if (!project || project.deletedAt) throw new NotFoundError('Project', projectId!);
  return { organizationId: project.organizationId, project, feedTaskId: taskId, comment };
}

async function findLiveComment(tx: Executor, organizationIds: readonly string[], id: string): Promise<CommentRow> {
  const [comment] = await findCommentsByIds(tx, organizationIds, [id]);
  if (!comment || comment.deletedAt) throw new NotFoundError('Comment', id);
  return comment;
}

/** The target an existing attachment was made for. */
export const targetOf = (attachment: { taskId: string | null; commentId: string | null }): AttachmentTarget =>
  attachment.taskId ? { taskId: attachment.taskId } : { commentId: attachment.commentId! };
