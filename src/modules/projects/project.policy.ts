import { viewerHasRole } from '../../auth/roles';
import type { Viewer } from '../../auth/viewer';

type ProjectRef = { organizationId: string };

/** Admins manage projects; members write tasks in them; viewers read. */
export const projectPolicy = {
  canView: (viewer: Viewer | null, project: ProjectRef) => viewerHasRole(viewer, project.organizationId, 'viewer'),
  canCreate: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'admin'),
  canUpdate: (viewer: Viewer | null, project: ProjectRef) => viewerHasRole(viewer, project.organizationId, 'admin'),
  canArchive: (viewer: Viewer | null, project: ProjectRef) => viewerHasRole(viewer, project.organizationId, 'admin'),
  canDelete: (viewer: Viewer | null, project: ProjectRef) => viewerHasRole(viewer, project.organizationId, 'admin'),
  canCreateTasks: (viewer: Viewer | null, project: ProjectRef & { status: string }) =>
    project.status === 'active' && viewerHasRole(viewer, project.organizationId, 'member'),
};
