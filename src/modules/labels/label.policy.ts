import type { Viewer } from '../../auth/viewer';
import { organizationPolicy } from '../organizations/organization.policy';

type InOrganization = { organizationId: string };

/** Members manage the organization's labels; viewers only read. (Tagging a task is editing it: taskPolicy.) */
export const labelPolicy = {
  canCreate: (viewer: Viewer | null, organizationId: string) => organizationPolicy.canManageLabels(viewer, organizationId),
  canUpdate: (viewer: Viewer | null, label: InOrganization) => organizationPolicy.canManageLabels(viewer, label.organizationId),
  canDelete: (viewer: Viewer | null, label: InOrganization) => organizationPolicy.canManageLabels(viewer, label.organizationId),
};
