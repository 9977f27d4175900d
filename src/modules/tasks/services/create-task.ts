import { newId } from '../../../db/schema/columns';
import type { ServiceContext } from '../../../graphql/context';
import { ForbiddenError, NotFoundError } from '../../../shared/errors';
import { createIdempotently } from '../../../shared/idempotent-create';
import { asViewer, requireViewer } from '../../../shared/unit-of-work';
import { recordTaskCreated } from '../../activity/task-events';
import { lockSiblingList, rankForPosition, type Position } from '../task.ranks';
import { findTasksByIds, insertTask, type TaskRow } from '../task.repository';
import type { UpdateTaskInput } from './update-task';
import { taskPolicy } from '../task.policy';
import {
  completedAtFor,
  findNeighbours,
  findVisibleProject,
  lockTaskTrees,
  requireAssignee,
  requireMilestone,
  requireParent,
  taskConstraints,
} from './task-access';

/** A new task: its details (the same fields an update takes, title required), where it goes, and an optional client id. */
export type CreateTaskInput = UpdateTaskInput & {
  projectId: string;
  id?: string;
  title: string;
  parentId?: string | null;
  /** Omitted: after the last sibling. */
  position?: Position | null;
};

export function createTask(ctx: ServiceContext, input: CreateTaskInput): Promise<TaskRow> {
  const viewer = requireViewer(ctx);
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const project = await findVisibleProject(tx, organizationIds, input.projectId);
      if (project.deletedAt) throw new NotFoundError('Project', input.projectId);
      if (!taskPolicy.canCreate(viewer, project)) throw new ForbiddenError('Only members can create tasks, and only in active projects');
      const organizationId = project.organizationId;
      if (input.parentId) {
        await lockTaskTrees(tx, organizationId, [project.id], 'shared');
        await requireParent(tx, organizationIds, input.parentId, project, 'input.parentId');
      }
      if (input.assigneeId) await requireAssignee(tx, organizationId, input.assigneeId);
      if (input.milestoneId) await requireMilestone(tx, organizationIds, input.milestoneId, project, 'input.milestoneId');

      const list = { organizationId, projectId: project.id, parentId: input.parentId ?? null };
      await lockSiblingList(tx, list);
      const position = input.position ?? {};
      const rank = await rankForPosition(tx, list, position, await findNeighbours(tx, organizationIds, position), 'input.position');
      const status = input.status ?? 'todo';
      const id = input.id ?? newId();
      const { row, created } = await createIdempotently(
        viewer.userId,
        () =>
          insertTask(tx, {
            id,
            organizationId,
            projectId: project.id,
            parentId: list.parentId,
            milestoneId: input.milestoneId ?? null,
            assigneeId: input.assigneeId ?? null,
            title: input.title,
            description: input.description ?? '',
            status,
            priority: input.priority ?? 'none',
            dueDate: input.dueDate ?? null,
            estimateMinutes: input.estimateMinutes ?? null,
            metadata: input.metadata ?? {},
            rank,
            completedAt: completedAtFor(status, new Date()),
            createdBy: viewer.userId,
          }),
        async () => (await findTasksByIds(tx, organizationIds, [id]))[0] ?? null,
      );
      // A retry returns the task it created before, and records nothing twice.
      if (created) await recordTaskCreated(tx, viewer.userId, row);
      return row;
    },
    taskConstraints,
  );
}
