import { roleIn } from '../../auth/roles';
import { builder } from '../../graphql/builder';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { organizationPolicy } from './organization.policy';
import { findOrganizationsByIds, type OrganizationRow } from './organization.repository';

export const MemberRoleEnum = builder.enumType('MemberRole', {
  values: { OWNER: { value: 'owner' }, ADMIN: { value: 'admin' }, MEMBER: { value: 'member' }, VIEWER: { value: 'viewer' } } as const,
});

export const Organization = builder.loadableNode('Organization', {
  id: { resolve: (org: OrganizationRow) => org.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'slug' in value && 'planId' in value,
  load: (ids: string[], ctx) =>
    asViewer(ctx, async (tx, organizationIds) => inKeyOrder(ids, await findOrganizationsByIds(tx, organizationIds, ids), (o) => o.id)),
  authScopes: (org) => ({ orgRole: { organizationId: org.id, role: 'viewer' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    slug: t.exposeString('slug'),
    plan: t.exposeString('planId'),
    settings: t.field({ type: 'JSONObject', resolve: (org) => org.settings }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    viewerRole: t.field({ type: MemberRoleEnum, nullable: true, resolve: (org, _args, ctx) => roleIn(ctx.viewer, org.id) ?? null }),
    viewerCan: t.field({ type: OrganizationPermissions, resolve: (org) => org }),
  }),
});

const OrganizationPermissions = builder.objectRef<OrganizationRow>('OrganizationPermissions').implement({
  description: 'What the viewer may do with this organization, so clients can shape their UI.',
  fields: (t) => ({
    update: t.boolean({ resolve: (org, _a, ctx) => organizationPolicy.canUpdateSettings(ctx.viewer, org.id) }),
    manageMembers: t.boolean({ resolve: (org, _a, ctx) => organizationPolicy.canManageMembers(ctx.viewer, org.id) }),
    manageBilling: t.boolean({ resolve: (org, _a, ctx) => organizationPolicy.canManageBilling(ctx.viewer, org.id) }),
    createProject: t.boolean({ resolve: (org, _a, ctx) => organizationPolicy.canCreateProjects(ctx.viewer, org.id) }),
    delete: t.boolean({ resolve: (org, _a, ctx) => organizationPolicy.canDelete(ctx.viewer, org.id) }),
  }),
});
