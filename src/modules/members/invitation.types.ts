import { builder } from '../../graphql/builder';
import { isUuid } from '../../graphql/ids';
import { toConnection } from '../../shared/pagination';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { MemberRoleEnum, Organization } from '../organizations/organization.types';
import { User } from '../users/user.graphql';
import { invitationPolicy } from './member.policy';
import { findInvitationsByIds, listPendingInvitations, type InvitationRow } from './invitation.repository';
import { readTimeKeysetPage, timeKeyOf } from '../../shared/time-keyset';

type InvitationStatus = 'pending' | 'accepted' | 'revoked' | 'expired';

export const InvitationStatusEnum = builder.enumType('InvitationStatus', {
  values: {
    PENDING: { value: 'pending' },
    ACCEPTED: { value: 'accepted' },
    REVOKED: { value: 'revoked' },
    EXPIRED: { value: 'expired' },
  } as const,
});

function statusOf(invitation: InvitationRow): InvitationStatus {
  if (invitation.acceptedAt) return 'accepted';
  if (invitation.revoked || invitation.deletedAt) return 'revoked';
  return invitation.expiresAt <= new Date() ? 'expired' : 'pending';
}

/** Only admins see invitations (their emails are not for every member): others get null, or Forbidden on the list. */
export const Invitation = builder.loadableNode('Invitation', {
  id: { resolve: (invitation: InvitationRow) => invitation.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'tokenHash' in value,
  load: (ids: string[], ctx) =>
    asViewer(ctx, async (tx) => {
      const rows = await findInvitationsByIds(tx, invitationPolicy.visibleOrganizationIds(ctx.viewer), ids.filter(isUuid));
      return inKeyOrder(ids, rows, (i) => i.id);
    }),
  authScopes: (invitation) => ({ orgRole: { organizationId: invitation.organizationId, role: 'admin' } }),
  fields: (t) => ({
    email: t.expose('email', { type: 'EmailAddress' }),
    role: t.expose('role', { type: MemberRoleEnum }),
    status: t.field({ type: InvitationStatusEnum, resolve: statusOf }),
    organization: t.field({ type: Organization, resolve: (invitation) => invitation.organizationId }),
    invitedBy: t.field({ type: User, nullable: true, resolve: (invitation) => invitation.createdBy }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    expiresAt: t.expose('expiresAt', { type: 'DateTime' }),
    acceptedAt: t.expose('acceptedAt', { type: 'DateTime', nullable: true }),
    acceptedBy: t.field({ type: User, nullable: true, resolve: (invitation) => invitation.acceptedBy }),
  }),
});

builder.objectField(Organization, 'pendingInvitations', (t) =>
  t.connection({
    type: Invitation,
    description: 'Invitations neither accepted, revoked nor expired, oldest first. Admins only: others get a Forbidden error.',
    authScopes: (org) => ({ orgRole: { organizationId: org.id, role: 'admin' } }),
    resolve: async (org, args, ctx) => {
      const page = readTimeKeysetPage(args);
      const rows = await asViewer(ctx, (tx) => listPendingInvitations(tx, org.id, page));
      return toConnection(rows, page, (i) => timeKeyOf(i.createdAt, i.id));
    },
  }),
);
