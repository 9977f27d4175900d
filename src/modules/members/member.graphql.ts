import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { idFrom } from '../../graphql/ids';
import { MemberRoleEnum, Organization } from '../organizations/organization.types';
import { User } from '../users/user.graphql';
import { changeMemberRole, leaveOrganization, removeMember } from './member.service';
import { Member } from './member.types';
// Registers the Invitation type and the invitation mutations (graphql/schema.ts imports only this file).
import './invitation.graphql';

export { Member } from './member.types';
export { Invitation } from './invitation.types';

const ChangeMemberRoleInput = builder.inputType('ChangeMemberRoleInput', {
  fields: (t) => ({
    organizationId: t.globalID({ required: true, for: Organization }),
    userId: t.globalID({ required: true, for: User }),
    role: t.field({ type: MemberRoleEnum, required: true }),
  }),
});

const LeaveOrganizationSuccess = builder.objectRef<{ organizationId: string }>('LeaveOrganizationSuccess').implement({
  fields: (t) => ({
    organizationId: t.globalID({ nullable: false, resolve: (r) => ({ type: 'Organization', id: r.organizationId }) }),
  }),
});

builder.mutationFields((t) => ({
  changeMemberRole: t.field({
    type: Member,
    description: 'Admins change roles; only owners make or unmake owners; the last owner cannot be demoted.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'member' } },
    args: { input: t.arg({ type: ChangeMemberRoleInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      changeMemberRole(ctx, {
        organizationId: idFrom(input.organizationId, 'input.organizationId'),
        userId: idFrom(input.userId, 'input.userId'),
        role: input.role,
      }),
  }),
  removeMember: t.field({
    type: Member,
    description: 'Admins remove members; only owners remove owners; the last owner cannot be removed. Returns the ended membership.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'member' } },
    args: {
      organizationId: t.arg.globalID({ required: true, for: Organization }),
      userId: t.arg.globalID({ required: true, for: User }),
    },
    resolve: (_root, args, ctx) =>
      removeMember(ctx, { organizationId: idFrom(args.organizationId, 'organizationId'), userId: idFrom(args.userId, 'userId') }),
  }),
  leaveOrganization: t.field({
    type: LeaveOrganizationSuccess,
    description: "Ends the viewer's own membership; the last owner cannot leave.",
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { organizationId: t.arg.globalID({ required: true, for: Organization }) },
    resolve: (_root, args, ctx) => leaveOrganization(ctx, idFrom(args.organizationId, 'organizationId')),
  }),
}));
