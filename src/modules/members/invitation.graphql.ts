import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { idFrom } from '../../graphql/ids';
import { MemberRoleEnum, Organization } from '../organizations/organization.types';
import { Invitation } from './invitation.types';
import { acceptInvitation, invitationEmail, invitationToken, inviteMember, revokeInvitation } from './invitation.service';
import type { InvitationRow } from './invitation.repository';
import { Member } from './member.types';

const InviteMemberInput = builder.inputType('InviteMemberInput', {
  fields: (t) => ({
    organizationId: t.globalID({ required: true, for: Organization }),
    // A String, not the EmailAddress scalar, so that a bad address is a ValidationError on input.email.
    email: t.string({ required: true, validate: invitationEmail }),
    role: t.field({ type: MemberRoleEnum, required: true }),
  }),
});

const InviteMemberSuccess = builder.objectRef<{ invitation: InvitationRow; token: string }>('InviteMemberSuccess').implement({
  fields: (t) => ({
    invitation: t.field({ type: Invitation, nullable: false, resolve: (r) => r.invitation }),
    token: t.exposeString('token', {
      nullable: false,
      description: 'The secret to pass on to the invitee (for acceptInvitation). Shown only here: the server keeps only its hash.',
    }),
  }),
});

builder.mutationFields((t) => ({
  inviteMember: t.field({
    type: InviteMemberSuccess,
    description: "Admins invite (owners, to invite an owner). Pending invitations count against the plan's member limit; they expire after 7 days.",
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { input: t.arg({ type: InviteMemberInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      inviteMember(ctx, { organizationId: idFrom(input.organizationId, 'input.organizationId'), email: input.email, role: input.role }),
  }),
  acceptInvitation: t.field({
    type: Member,
    description: 'Joins the organization as the signed-in user, whose email must be the one invited.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'member' } },
    args: { token: t.arg.string({ required: true, validate: invitationToken }) },
    resolve: (_root, { token }, ctx) => acceptInvitation(ctx, token),
  }),
  revokeInvitation: t.field({
    type: Invitation,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'invitation' } },
    args: { id: t.arg.globalID({ required: true, for: Invitation }) },
    resolve: (_root, { id }, ctx) => revokeInvitation(ctx, idFrom(id, 'id')),
  }),
}));
