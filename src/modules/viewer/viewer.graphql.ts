import type { Viewer } from '../../auth/viewer';
import { builder } from '../../graphql/builder';
import { ApiToken } from '../auth/api-token.graphql';
import { listApiTokens } from '../auth/api-token.service';
import type { OrganizationRow } from '../organizations/organization.repository';
import { Organization } from '../organizations/organization.graphql';
import { User } from '../users/user.graphql';

export const ViewerRef = builder.objectRef<Viewer>('Viewer').implement({
  description: 'The person making the request.',
  fields: (t) => ({
    user: t.field({ type: User, resolve: (viewer) => viewer.userId }),
    organizations: t.field({
      type: [Organization],
      description: 'The organizations the viewer belongs to, by name.',
      resolve: async (viewer, _args, ctx) => {
        // Through the Organization loader (one batch); an organization deleted since is left out.
        const loaded = await Organization.getDataloader(ctx).loadMany([...viewer.organizationIds]);
        const failed = loaded.find((item): item is Error => item instanceof Error);
        if (failed) throw failed;
        return loaded
          .filter((item): item is OrganizationRow => item !== null)
          .sort((a, b) => a.name.localeCompare(b.name));
      },
    }),
    apiTokens: t.field({
      type: [ApiToken],
      description: 'Personal API tokens that were not revoked, newest first.',
      resolve: (_viewer, _args, ctx) => listApiTokens(ctx),
    }),
  }),
});

builder.queryField('viewer', (t) =>
  t.field({
    type: ViewerRef,
    nullable: true,
    description: 'Who is asking: null when the request carries no valid credentials.',
    resolve: (_root, _args, ctx) => ctx.viewer,
  }),
);
