import { z } from 'zod';
import type { Role } from '../../auth/viewer';
import type { ServiceContext } from '../../graphql/context';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { recordActivity } from '../../realtime/record-activity';
import { memberActivity } from '../activity/organization-events';
import { findOrganizationsByIds } from '../organizations/organization.repository';
import { requireOrganizationAccess } from '../organizations/organization-access';
import { ensureBelowPlanLimit } from '../organizations/plan-limits';
import { findVisibleUsersByIds } from '../users/user.repository';
import { createInvitationToken, INVITATION_LIFETIME_MS, readInvitationToken } from './invitation-token';
import {
  findInvitationByTokenForUpdate,
  findInvitationForUpdate,
  findOpenInvitationByEmail,
  insertInvitation,
  updateInvitation,
  type InvitationRow,
} from './invitation.repository';
import { invitationPolicy } from './member.policy';
import { findMembershipForUpdate, insertMember, isMemberByEmail, updateMember, type MemberRow } from './member.repository';
import { countSeats } from './seats';
import { rememberOwnMembership } from './viewer-membership';

export const invitationEmail = z.string().trim().max(254, 'must be at most 254 characters').email('is not a valid email address');
/** Only bounds the size; what a token looks like is checked by readInvitationToken (NotFound, like an unknown one). */
export const invitationToken = z.string().max(200, 'is not an invitation token');

const ALREADY_INVITED = () => ValidationError.field('input.email', 'already has a pending invitation');
const constraints = { invitations_pending_email_key: ALREADY_INVITED };

export type InviteMemberInput = { organizationId: string; email: string; role: Role };

/**
 * Admins invite (owners, to invite an owner). The plan's member limit counts
 * pending invitations too. The plaintext token is returned here, once: only
 * its hash is stored, and there is no email to carry it.
 */
export async function inviteMember(ctx: ServiceContext, input: InviteMemberInput): Promise<{ invitation: InvitationRow; token: string }> {
  const { organizationId } = input;
  const viewer = requireOrganizationAccess(
    ctx,
    organizationId,
    (viewer) => invitationPolicy.canInvite(viewer, organizationId, input.role),
    input.role === 'owner' ? 'Only owners can invite owners' : 'Only admins can invite members',
  );
  const email = input.email.trim().toLowerCase();
  return asViewer(
    ctx,
    async (tx) => {
      if (await isMemberByEmail(tx, organizationId, email)) throw ValidationError.field('input.email', 'is already a member');
      const open = await findOpenInvitationByEmail(tx, organizationId, email);
      if (open && open.expiresAt > new Date()) throw ALREADY_INVITED();
      // An expired invitation still holds the email's place in invitations_pending_email_key: retire it.
      if (open) await updateInvitation(tx, organizationId, open.id, { deletedAt: new Date() });
      await ensureBelowPlanLimit(tx, organizationId, 'members', () => countSeats(tx, organizationId));
      const { token, tokenHash } = createInvitationToken(organizationId);
      const invitation = await insertInvitation(tx, {
        organizationId,
        email,
        role: input.role,
        tokenHash,
        expiresAt: new Date(Date.now() + INVITATION_LIFETIME_MS),
        createdBy: viewer.userId,
      });
      return { invitation, token };
    },
    constraints,
  );
}

const INVITATION_NOT_FOUND = () => new NotFoundError('Invitation');

/**
 * Joins the organization the token names, as the signed-in user whose email
 * the invitation was sent to. A soft-deleted membership is restored with the
 * invited role. A token that is malformed, unknown, revoked, or for a deleted
 * organization is NotFound, whatever the organization: nothing about it leaks.
 */
export async function acceptInvitation(ctx: ServiceContext, token: string): Promise<MemberRow> {
  const viewer = requireViewer(ctx);
  const parsed = readInvitationToken(token);
  if (!parsed) throw INVITATION_NOT_FOUND();
  const { organizationId } = parsed;
  const member = await asViewer(
    ctx,
    async (tx) => {
      const invitation = await findInvitationByTokenForUpdate(tx, organizationId, parsed.tokenHash);
      if (!invitation || invitation.revoked || invitation.deletedAt) throw INVITATION_NOT_FOUND();
      const [organization] = await findOrganizationsByIds(tx, [organizationId], [organizationId]);
      if (!organization) throw INVITATION_NOT_FOUND();
      if (invitation.acceptedAt) throw ValidationError.field('token', 'This invitation has already been used');
      if (invitation.expiresAt <= new Date()) throw ValidationError.field('token', 'This invitation has expired');
      const [me] = await findVisibleUsersByIds(tx, viewer.userId, [], [viewer.userId]);
      if (!me || me.email.toLowerCase() !== invitation.email.toLowerCase()) {
        throw new ForbiddenError('This invitation was sent to a different email address');
      }
      const existing = await findMembershipForUpdate(tx, organizationId, viewer.userId);
      if (existing && !existing.deletedAt) throw ValidationError.field('token', 'You are already a member of this organization');
      const joined = { role: invitation.role, invitedBy: invitation.createdBy, joinedAt: new Date(), createdBy: viewer.userId };
      const member = existing
        ? await updateMember(tx, existing, { ...joined, deletedAt: null })
        : await insertMember(tx, { organizationId, userId: viewer.userId, ...joined });
      await updateInvitation(tx, organizationId, invitation.id, { acceptedAt: new Date(), acceptedBy: viewer.userId });
      await recordActivity(tx, memberActivity(member, 'member.joined', viewer.userId, { role: { from: null, to: member.role } }));
      return member;
    },
    undefined,
    // Not a member yet: the token's organization is let through row-level security for this transaction only.
    { actingOrganizationId: organizationId },
  );
  rememberOwnMembership(ctx, organizationId, member.role);
  return member;
}

/** Admins revoke pending invitations (owner invitations need an owner). */
export function revokeInvitation(ctx: ServiceContext, id: string): Promise<InvitationRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const invitation = await findInvitationForUpdate(tx, organizationIds, id);
    if (!invitation || invitation.deletedAt) throw new NotFoundError('Invitation', id);
    if (!invitationPolicy.canRevoke(viewer, invitation)) throw new ForbiddenError('Only admins can revoke invitations');
    if (invitation.acceptedAt || invitation.revoked) throw ValidationError.field('id', 'This invitation is no longer pending');
    return updateInvitation(tx, invitation.organizationId, id, { revoked: true });
  });
}
