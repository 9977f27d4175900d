import type { Role } from '../../auth/viewer';
import type { ServiceContext } from '../../graphql/context';

/**
 * The viewer is resolved once, when the request starts. When a mutation
 * changes the viewer's own membership (creates an organization, joins one,
 * changes their own role, leaves), the rest of the request must see the new
 * role: the payload's authorization checks, `viewerCan`, and any later
 * mutation in the same document. Call it after the transaction committed.
 */
export function rememberOwnMembership(ctx: ServiceContext, organizationId: string, role: Role | null): void {
  const viewer = ctx.viewer;
  if (!viewer) return;
  const roles = new Map(viewer.roles);
  if (role) roles.set(organizationId, role);
  else roles.delete(organizationId);
  ctx.viewer = Object.freeze({ ...viewer, roles, organizationIds: [...roles.keys()] });
}
