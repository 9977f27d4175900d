import type { ServiceContext } from '../../../graphql/context';
import { ConflictError, ForbiddenError, ValidationError } from '../../../shared/errors';
import { asViewer, requireViewer } from '../../../shared/unit-of-work';
import { recordTaskMoved } from '../../activity/task-events';
import { taskPolicy } from '../task.policy';
import { lockSiblingList, rankForPosition } from '../task.ranks';
import { findSubtreeIds, isInSubtree, updateTask, updateTasks, type NewTask, type TaskRow } from '../task.repository';
import {
  findLiveProjectIn,
  findNeighbours,
  findVisibleProject,
  lockTask,
  lockTaskTrees,
  peekLiveTask,
  requireParent,
  taskConstraints,
} from './task-access';

export type MoveTaskInput = {
  /** undefined: keep the parent (none when the project changes); null: top level. */
  parentId?: string | null;
  /** undefined: the new parent's project, else the current one. */
  projectId?: string | null;
  afterId?: string | null;
  beforeId?: string | null;
};

const CYCLE = 'cannot move a task under itself or one of its subtasks';

/**
 * Reorders, reparents and/or moves a task to another project. Its subtree
 * follows it: descendants keep their parents and ranks, and change project
 * with it (losing their milestones, which belong to the old project).
 */
export function moveTask(ctx: ServiceContext, id: string, input: MoveTaskInput): Promise<TaskRow> {
  const viewer = requireViewer(ctx);
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const seen = await peekLiveTask(tx, organizationIds, id);
      const organizationId = seen.organizationId;
      // Unlocked look at the requested parent, only to learn its project; it is checked again under the locks.
      const parentFromInput = input.parentId ? await peekLiveTask(tx, organizationIds, input.parentId) : null;
      const targetProjectId = input.projectId ?? parentFromInput?.projectId ?? seen.projectId;
      const changesProject = targetProjectId !== seen.projectId;
      const reshapes = changesProject || (input.parentId !== undefined && input.parentId !== seen.parentId);
      if (reshapes) await lockTaskTrees(tx, organizationId, [seen.projectId, targetProjectId], 'exclusive');

      const task = await lockTask(tx, organizationIds, id);
      // The locks were chosen from the unlocked look; a move that slipped in between makes them the wrong ones.
      if (task.projectId !== seen.projectId || task.parentId !== seen.parentId) {
        throw new ConflictError('The task was moved by someone else meanwhile; try again', task.version);
      }
      const source = await findVisibleProject(tx, organizationIds, task.projectId);
      if (!taskPolicy.canMove(viewer, task, source)) throw new ForbiddenError('Only members can move tasks, and only in active projects');
      const target = changesProject ? await findLiveProjectIn(tx, organizationIds, organizationId, targetProjectId) : source;
      if (changesProject && !taskPolicy.canCreate(viewer, target)) throw new ForbiddenError('Tasks can only be moved to active projects');

      const parentId = input.parentId !== undefined ? input.parentId : changesProject ? null : task.parentId;
      if (parentId) {
        if (parentId === task.id) throw ValidationError.field('input.parentId', CYCLE);
        await requireParent(tx, organizationIds, parentId, target, 'input.parentId');
        if (await isInSubtree(tx, organizationId, task.id, parentId)) throw ValidationError.field('input.parentId', CYCLE);
      }

      const list = { organizationId, projectId: target.id, parentId };
      await lockSiblingList(tx, list);
      const position = { afterId: input.afterId, beforeId: input.beforeId };
      const rank = await rankForPosition(tx, list, position, await findNeighbours(tx, organizationIds, position), 'input', task.id);

      const changes: Partial<NewTask> = { rank, parentId };
      let movedAlong: TaskRow[] = [];
      if (changesProject) {
        changes.projectId = target.id;
        changes.milestoneId = null;
        // Deleted descendants move too, so restoring them later puts them back under their parent.
        const descendants = (await findSubtreeIds(tx, organizationId, task.id, 'all')).filter((d) => d !== task.id);
        if (descendants.length) movedAlong = await updateTasks(tx, organizationId, descendants, { projectId: target.id, milestoneId: null });
      }
      const moved = await updateTask(tx, organizationId, id, changes);
      await recordTaskMoved(tx, viewer.userId, task, moved, movedAlong);
      return moved;
    },
    taskConstraints,
  );
}
