import { builder } from '../../graphql/builder';
import { isUuid } from '../../graphql/ids';
import { toConnection } from '../../shared/pagination';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { MemberRoleEnum, Organization } from '../organizations/organization.types';
import { User } from '../users/user.graphql';
import { memberPolicy } from './member.policy';
import { findMembersByKeys, listMembers, type MemberKey, type MemberRow } from './member.repository';
import { readTimeKeysetPage, timeKeyOf } from '../../shared/time-keyset';

/** A membership has no id of its own: its node id is "organizationId:userId". */
const memberId = (key: MemberKey) => `${key.organizationId}:${key.userId}`;

function parseMemberId(id: string): MemberKey | null {
  const [organizationId, userId, ...rest] = id.split(':');
  return organizationId && userId && rest.length === 0 && isUuid(organizationId) && isUuid(userId)
    ? { organizationId: organizationId.toLowerCase(), userId: userId.toLowerCase() }
    : null;
}

export const Member = builder.loadableNode('Member', {
  description: "A person's membership of an organization.",
  id: { resolve: (member: MemberRow) => memberId(member) },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'joinedAt' in value && 'userId' in value && 'role' in value,
  load: (ids: string[], ctx) =>
    asViewer(ctx, async (tx, organizationIds) => {
      const keys = ids.map(parseMemberId).filter((key): key is MemberKey => key !== null);
      const rows = await findMembersByKeys(tx, organizationIds, keys);
      return inKeyOrder(ids, rows, memberId);
    }),
  authScopes: (member) => ({ orgRole: { organizationId: member.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    user: t.field({ type: User, resolve: (member) => member.userId }),
    organization: t.field({ type: Organization, resolve: (member) => member.organizationId }),
    role: t.expose('role', { type: MemberRoleEnum }),
    joinedAt: t.expose('joinedAt', { type: 'DateTime' }),
    invitedBy: t.field({ type: User, nullable: true, resolve: (member) => member.invitedBy }),
    viewerCan: t.field({ type: MemberPermissions, resolve: (member) => member }),
  }),
});

const MemberPermissions = builder.objectRef<MemberRow>('MemberPermissions').implement({
  description: 'What the viewer may do with this membership. The last owner is protected on top of this.',
  fields: (t) => ({
    changeRole: t.boolean({ resolve: (member, _a, ctx) => memberPolicy.canChangeRole(ctx.viewer, member) }),
    remove: t.boolean({ resolve: (member, _a, ctx) => memberPolicy.canRemove(ctx.viewer, member) }),
  }),
});

builder.objectField(Organization, 'members', (t) =>
  t.connection({
    type: Member,
    description: 'Current members, in the order they joined.',
    resolve: async (org, args, ctx) => {
      const page = readTimeKeysetPage(args);
      const rows = await asViewer(ctx, (tx) => listMembers(tx, org.id, page));
      return toConnection(rows, page, (m) => timeKeyOf(m.joinedAt, m.userId));
    },
  }),
);
