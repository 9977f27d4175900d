import { builder } from '../../graphql/builder';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { Organization } from '../organizations/organization.graphql';
import { labelPolicy } from './label.policy';
import { findLabelsByIds, type LabelRow } from './label.repository';

export const Label = builder.loadableNode('Label', {
  id: { resolve: (label: LabelRow) => label.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'color' in value && 'organizationId' in value,
  load: (ids: string[], ctx) =>
    asViewer(ctx, async (tx, organizationIds) => inKeyOrder(ids, await findLabelsByIds(tx, organizationIds, ids), (l) => l.id)),
  authScopes: (label) => ({ orgRole: { organizationId: label.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    color: t.exposeString('color', { description: 'A hex colour, #rrggbb in lower case.' }),
    organization: t.field({ type: Organization, resolve: (label) => label.organizationId }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    viewerCan: t.field({ type: LabelPermissions, resolve: (label) => label }),
  }),
});

const LabelPermissions = builder.objectRef<LabelRow>('LabelPermissions').implement({
  description: 'What the viewer may do with this label.',
  fields: (t) => ({
    update: t.boolean({ resolve: (l, _a, ctx) => labelPolicy.canUpdate(ctx.viewer, l) }),
    delete: t.boolean({ resolve: (l, _a, ctx) => labelPolicy.canDelete(ctx.viewer, l) }),
  }),
});
