import { builder } from '../../graphql/builder';
import { readSharedInDelivery } from '../../realtime/delivery-reads';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { findVisibleUsersByIds, type PublicUser } from './user.repository';

export const User = builder.loadableNode('User', {
  id: { resolve: (user: PublicUser) => user.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'email' in value && !('organizationId' in value),
  load: (ids: string[], ctx) =>
    // A subscription delivering an event shares the lookup with every other subscriber of it: the event's organization's people.
    readSharedInDelivery(ctx, 'users', ids, async (tx, organizationIds, keys) =>
      inKeyOrder(keys, await findVisibleUsersByIds(tx, null, organizationIds, keys), (u) => u.id),
    ) ??
    (ctx.viewer
      ? asViewer(ctx, async (tx, organizationIds) =>
          inKeyOrder(ids, await findVisibleUsersByIds(tx, ctx.viewer!.userId, organizationIds, ids), (u) => u.id),
        )
      : Promise.resolve(ids.map(() => null))),
  fields: (t) => ({
    name: t.exposeString('name'),
    email: t.expose('email', { type: 'EmailAddress' }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
  }),
});
