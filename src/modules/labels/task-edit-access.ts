import { viewerHasRole } from '../../auth/roles';
import type { Viewer } from '../../auth/viewer';
import type { Executor } from '../../db/client';
import { ForbiddenError } from '../../shared/errors';
import { findProjectsByIds } from '../projects/project.repository';
import { taskPolicy } from '../tasks/task.policy';
import type { TaskRow } from '../tasks/task.repository';

/**
 * Labels and dependencies are part of a task, so changing them follows the
 * task's own rule (taskPolicy.canUpdate: members, active projects only).
 * Throws Forbidden unless the viewer may change every task given.
 */
export async function ensureCanEditTasks(
  tx: Executor,
  organizationIds: readonly string[],
  viewer: Viewer,
  tasks: readonly TaskRow[],
): Promise<void> {
  const projects = await findProjectsByIds(tx, organizationIds, [...new Set(tasks.map((task) => task.projectId))]);
  const projectById = new Map(projects.map((project) => [project.id, project]));
  for (const task of tasks) {
    const project = projectById.get(task.projectId);
    if (project && taskPolicy.canUpdate(viewer, task, project)) continue;
    throw new ForbiddenError(
      viewerHasRole(viewer, task.organizationId, 'member') ? 'Tasks of archived projects cannot be changed' : 'Only members can change tasks',
    );
  }
}
