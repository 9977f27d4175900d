import type { Role } from '../../auth/viewer';
import type { Transaction } from '../../db/client';
import type { ServiceContext } from '../../graphql/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import { asViewer } from '../../shared/unit-of-work';
import { recordActivity } from '../../realtime/record-activity';
import { memberActivity } from '../activity/organization-events';
import { requireOrganizationAccess } from '../organizations/organization-access';
import { memberPolicy } from './member.policy';
import { findMembershipForUpdate, lockOwners, updateMember, type MemberKey, type MemberRow } from './member.repository';
import { rememberOwnMembership } from './viewer-membership';

const requireMemberManager = (ctx: ServiceContext, organizationId: string) =>
  requireOrganizationAccess(ctx, organizationId, (viewer) => memberPolicy.canManage(viewer, organizationId), 'Only admins can manage members');

/**
 * Locks the owners, then the membership: the same order everywhere, so
 * concurrent changes queue up instead of deadlocking, and the owner count read
 * here stays true until the transaction commits.
 */
async function lockMembership(tx: Transaction, key: MemberKey) {
  const owners = await lockOwners(tx, key.organizationId);
  const member = await findMembershipForUpdate(tx, key.organizationId, key.userId);
  if (!member || member.deletedAt) throw new NotFoundError('Member', key.userId);
  const isLastOwner = member.role === 'owner' && owners.every((o) => o.userId === member.userId);
  return { member, isLastOwner };
}

export type ChangeMemberRoleInput = MemberKey & { role: Role };

export async function changeMemberRole(ctx: ServiceContext, input: ChangeMemberRoleInput): Promise<MemberRow> {
  const viewer = requireMemberManager(ctx, input.organizationId);
  if (!memberPolicy.canGrant(viewer, input.organizationId, input.role)) throw new ForbiddenError('Only owners can make owners');
  const member = await asViewer(ctx, async (tx) => {
    const { member, isLastOwner } = await lockMembership(tx, input);
    if (!memberPolicy.canChangeRole(viewer, member, input.role)) throw new ForbiddenError("Only owners can change an owner's role");
    if (member.role === input.role) return member;
    if (isLastOwner) throw ValidationError.field('input.role', 'The last owner cannot be demoted: make someone else an owner first');
    const updated = await updateMember(tx, input, { role: input.role });
    await recordActivity(tx, memberActivity(updated, 'member.role_changed', viewer.userId, { role: { from: member.role, to: updated.role } }));
    return updated;
  });
  if (member.userId === viewer.userId) rememberOwnMembership(ctx, member.organizationId, member.role);
  return member;
}

/** Ends someone's membership; returns it as it was. Admins cannot remove owners; nobody removes the last owner. */
export async function removeMember(ctx: ServiceContext, key: MemberKey): Promise<MemberRow> {
  const viewer = requireMemberManager(ctx, key.organizationId);
  // Leaving has its own payload: afterwards the viewer can no longer see the membership.
  if (key.userId === viewer.userId) throw ValidationError.field('userId', 'To remove yourself, use leaveOrganization');
  return asViewer(ctx, async (tx) => {
    const { member, isLastOwner } = await lockMembership(tx, key);
    if (!memberPolicy.canRemove(viewer, member)) throw new ForbiddenError('Only owners can remove owners');
    if (isLastOwner) throw ValidationError.field('userId', 'The last owner cannot be removed');
    const removed = await updateMember(tx, key, { deletedAt: new Date() });
    await recordActivity(tx, memberActivity(member, 'member.removed', viewer.userId, { role: { from: member.role, to: null } }));
    return removed;
  });
}

/** Any member may leave, except the last owner (who must hand over or delete the organization). */
export async function leaveOrganization(ctx: ServiceContext, organizationId: string): Promise<{ organizationId: string }> {
  const viewer = requireOrganizationAccess(ctx, organizationId, (viewer) => memberPolicy.canLeave(viewer, organizationId), 'Only members can leave');
  await asViewer(ctx, async (tx) => {
    const key = { organizationId, userId: viewer.userId };
    const { isLastOwner } = await lockMembership(tx, key);
    if (isLastOwner) {
      throw ValidationError.field('organizationId', 'The last owner cannot leave: make someone else an owner or delete the organization');
    }
    await updateMember(tx, key, { deletedAt: new Date() });
    await recordActivity(tx, memberActivity(key, 'member.left', viewer.userId));
  });
  rememberOwnMembership(ctx, organizationId, null);
  return { organizationId };
}
