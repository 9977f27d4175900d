import { viewerHasRole } from '../../auth/roles';
import type { Viewer } from '../../auth/viewer';

type TaskRef = { organizationId: string; createdBy: string | null };
type ProjectRef = { organizationId: string; status: string; deletedAt: Date | null };

const isWritable = (project: ProjectRef) => project.status === 'active' && project.deletedAt === null;

/**
 * Who may do what with tasks:
 * - viewers (and up) read every task of their organization;
 * - members (and up) create, edit, move and bulk-edit tasks, in active projects only (archived ones are read-only);
 * - a task is deleted or restored by the member who created it, or by an admin or owner
 *   (deleting someone else's work is a moderation act).
 */
export const taskPolicy = {
  canView: (viewer: Viewer | null, task: { organizationId: string }) => viewerHasRole(viewer, task.organizationId, 'viewer'),
  canCreate: (viewer: Viewer | null, project: ProjectRef) => isWritable(project) && viewerHasRole(viewer, project.organizationId, 'member'),
  canUpdate: (viewer: Viewer | null, task: TaskRef, project: ProjectRef) =>
    isWritable(project) && viewerHasRole(viewer, task.organizationId, 'member'),
  canMove: (viewer: Viewer | null, task: TaskRef, project: ProjectRef) =>
    isWritable(project) && viewerHasRole(viewer, task.organizationId, 'member'),
  canDelete: (viewer: Viewer | null, task: TaskRef, project: ProjectRef) =>
    isWritable(project) &&
    (viewerHasRole(viewer, task.organizationId, 'admin') ||
      (viewerHasRole(viewer, task.organizationId, 'member') && task.createdBy === viewer?.userId)),
};
