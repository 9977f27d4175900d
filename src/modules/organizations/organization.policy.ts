import { roleIn, viewerHasRole } from '../../auth/roles';
import type { Viewer } from '../../auth/viewer';

/** Who may do what to an organization; also feeds `Organization.viewerCan`. */
export const organizationPolicy = {
  canView: (viewer: Viewer | null, organizationId: string) => roleIn(viewer, organizationId) !== undefined,
  canUpdateSettings: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'admin'),
  canManageMembers: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'admin'),
  canManageBilling: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'owner'),
  canDelete: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'owner'),
  canCreateProjects: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'admin'),
  canManageLabels: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'member'),
};
