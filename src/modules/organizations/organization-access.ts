import type { Viewer } from '../../auth/viewer';
import type { ServiceContext } from '../../graphql/context';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import { requireViewer } from '../../shared/unit-of-work';

/**
 * The guard in front of organization-level writes, checked before any query:
 * outsiders get NotFound (whether the organization exists is not revealed),
 * members without the right get Forbidden, and neither writes anything.
 */
export function requireOrganizationAccess(
  ctx: ServiceContext,
  organizationId: string,
  allowed: (viewer: Viewer) => boolean,
  refusal: string,
): Viewer {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.has(organizationId)) throw new NotFoundError('Organization', organizationId);
  if (!allowed(viewer)) throw new ForbiddenError(refusal);
  return viewer;
}
