import { builder } from '../../graphql/builder';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { findVisibleUsersByIds, type PublicUser } from './user.repository';

export const User = builder.loadableNode('User', {
  id: { resolve: (user: PublicUser) => user.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'email' in value && !('organizationId' in value),
  load: (ids: string[], ctx) =>
    ctx.viewer
      ? asViewer(ctx, async (tx, organizationIds) =>
          inKeyOrder(ids, await findVisibleUsersByIds(tx, ctx.viewer!.userId, organizationIds, ids), (u) => u.id),
        )
      : Promise.resolve(ids.map(() => null)),
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.expose('email', { type: 'EmailAddress' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
