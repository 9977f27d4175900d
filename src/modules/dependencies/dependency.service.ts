import type { Executor } from '../../db/client';
import type { ServiceContext } from '../../graphql/context';
import { NotFoundError, ValidationError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { recordActivity } from '../../realtime/record-activity';
import { ensureCanEditTasks } from '../labels/task-edit-access';
import { findLiveTasksByIds, findTasksByIds } from '../tasks/task.repository';
import {
  blocksPathExists,
  deleteDependency,
  findDependencyForUpdate,
  findEdge,
  insertDependency,
  lockDependenciesOf,
  type DependencyRow,
  type DependencyType,
} from './dependency.repository';

/** A link shows in the feed of its "from" task (one event, not one per end); changes name the link that appeared or went. */
function recordDependencyActivity(tx: Executor, dependency: DependencyRow, projectId: string | null, change: 'added' | 'removed', actorId: string) {
  const link = (value: string) => (change === 'added' ? { from: null, to: value } : { from: value, to: null });
  return recordActivity(tx, {
    organizationId: dependency.organizationId,
    actorId,
    verb: `task.dependency_${change}`,
    subjectType: 'dependency',
    subjectId: dependency.id,
    projectId,
    taskId: dependency.fromTaskId,
    changes: { type: link(dependency.type), toTaskId: link(dependency.toTaskId) },
  });
}

export type AddDependencyInput = { fromTaskId: string; toTaskId: string; type: DependencyType };

/**
 * Links two live tasks of one organization. Adding an edge that already
 * exists (for `relates_to`, in either direction) returns the existing one:
 * the client gets the state it asked for.
 */
export function addTaskDependency(ctx: ServiceContext, input: AddDependencyInput): Promise<DependencyRow> {
  const viewer = requireViewer(ctx);
  if (input.fromTaskId === input.toTaskId) throw ValidationError.field('input.toTaskId', 'a task cannot depend on itself');
  return asViewer(ctx, async (tx, organizationIds) => {
    const found = await findLiveTasksByIds(tx, organizationIds, [input.fromTaskId, input.toTaskId]);
    const from = found.find((task) => task.id === input.fromTaskId);
    if (!from) throw new NotFoundError('Task', input.fromTaskId);
    // Only tasks of the same organization can be linked: any other task is "not found" (the foreign keys agree).
    const to = found.find((task) => task.id === input.toTaskId && task.organizationId === from.organizationId);
    if (!to) throw new NotFoundError('Task', input.toTaskId);
    await ensureCanEditTasks(tx, organizationIds, viewer, [from, to]);

    await lockDependenciesOf(tx, from.organizationId);
    const existing = await findEdge(tx, from.organizationId, from.id, to.id, input.type);
    if (existing) return existing;
    if (input.type === 'blocks' && (await blocksPathExists(tx, from.organizationId, to.id, from.id))) {
      throw ValidationError.field('input.toTaskId', 'this would create a cycle of blocking tasks');
    }
    const dependency = await insertDependency(tx, {
      organizationId: from.organizationId,
      fromTaskId: from.id,
      toTaskId: to.id,
      type: input.type,
      createdBy: viewer.userId,
    });
    await recordDependencyActivity(tx, dependency, from.projectId, 'added', viewer.userId);
    return dependency;
  });
}

/** Removes a link; returns it as it was. Links of deleted tasks can be removed too. */
export function removeTaskDependency(ctx: ServiceContext, id: string): Promise<DependencyRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const dependency = await findDependencyForUpdate(tx, organizationIds, id);
    if (!dependency) throw new NotFoundError('TaskDependency', id);
    const ends = await findTasksByIds(tx, [dependency.organizationId], [dependency.fromTaskId, dependency.toTaskId]);
    await ensureCanEditTasks(tx, organizationIds, viewer, ends);
    await deleteDependency(tx, dependency.organizationId, id);
    const from = ends.find((task) => task.id === dependency.fromTaskId);
    await recordDependencyActivity(tx, dependency, from?.projectId ?? null, 'removed', viewer.userId);
    return dependency;
  });
}
