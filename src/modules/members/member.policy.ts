import { roleAtLeast, roleIn, viewerHasRole } from '../../auth/roles';
import type { Role, Viewer } from '../../auth/viewer';

type Membership = { organizationId: string; role: Role };

/**
 * Admins manage members; only owners make, unmake or remove owners (so an
 * admin can never take the organization over or lock its owners out).
 * Whether the last owner would be lost depends on data: the service checks that.
 */
export const memberPolicy = {
  canManage: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'admin'),
  /** Granting `role` to someone (by invitation or role change). */
  canGrant: (viewer: Viewer | null, organizationId: string, role: Role) =>
    viewerHasRole(viewer, organizationId, role === 'owner' ? 'owner' : 'admin'),
  canChangeRole: (viewer: Viewer | null, member: Membership, newRole?: Role) =>
    memberPolicy.canGrant(viewer, member.organizationId, member.role) &&
    (newRole === undefined || memberPolicy.canGrant(viewer, member.organizationId, newRole)),
  /** Not oneself: that is leaving. */
  canRemove: (viewer: Viewer | null, member: Membership & { userId: string }) =>
    viewer?.userId !== member.userId && memberPolicy.canGrant(viewer, member.organizationId, member.role),
  /** Any member may leave (the last owner is refused by the service). */
  canLeave: (viewer: Viewer | null, organizationId: string) => roleIn(viewer, organizationId) !== undefined,
};

/** Invitations are the admins' business; an owner invitation (or its revocation) needs an owner. */
export const invitationPolicy = {
  canInvite: (viewer: Viewer | null, organizationId: string, role: Role) => memberPolicy.canGrant(viewer, organizationId, role),
  canRevoke: (viewer: Viewer | null, invitation: Membership) => memberPolicy.canGrant(viewer, invitation.organizationId, invitation.role),
  /** The organizations whose invitations the viewer may see. */
  visibleOrganizationIds: (viewer: Viewer | null): string[] =>
    viewer ? viewer.organizationIds.filter((id) => roleAtLeast(roleIn(viewer, id), 'admin')) : [],
};
