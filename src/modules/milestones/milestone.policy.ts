import { viewerHasRole } from '../../auth/roles';
import type { Viewer } from '../../auth/viewer';

type ProjectRef = { organizationId: string; status: string; deletedAt: Date | null };

/**
 * Milestones are planning inside a project, like tasks: members (and up) create,
 * change, delete and restore them, in active projects only; viewers read.
 */
export const milestonePolicy = {
  canView: (viewer: Viewer | null, milestone: { organizationId: string }) => viewerHasRole(viewer, milestone.organizationId, 'viewer'),
  canManage: (viewer: Viewer | null, project: ProjectRef) =>
    project.status === 'active' && project.deletedAt === null && viewerHasRole(viewer, project.organizationId, 'member'),
};
