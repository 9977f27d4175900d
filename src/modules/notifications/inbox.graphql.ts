import { builder } from '../../graphql/builder';
import { optionalIdFrom } from '../../graphql/ids';
import { Organization } from '../organizations/organization.types';
import { ViewerRef } from '../viewer/viewer.graphql';
import { Notification, NotificationConnection } from './notification.graphql';
import { listNotifications, unreadNotificationCount } from './notification.service';

// The viewer's inbox. These belong on `Viewer` (viewer.notifications, viewer.unreadNotificationCount), but
// viewer.graphql.ts does not export its type ref yet: until it does, they are root fields that need a viewer.
builder.objectFields(ViewerRef, (t) => ({
  notifications: t.connection(
    {
      type: Notification,
      description: "The viewer's notifications, newest first (50 per page by default, at most 100).",
      authScopes: { authenticated: true },
      args: {
        unreadOnly: t.arg.boolean({ required: false, defaultValue: false }),
        includeArchived: t.arg.boolean({ required: false, defaultValue: false }),
        organizationId: t.arg.globalID({ required: false, for: Organization, description: 'Only this organization’s notifications.' }),
      },
      resolve: (_root, args, ctx) =>
        listNotifications(
          ctx,
          {
            unreadOnly: args.unreadOnly ?? false,
            includeArchived: args.includeArchived ?? false,
            organizationId: optionalIdFrom(args.organizationId, 'organizationId'),
          },
          args,
        ),
    },
    NotificationConnection,
  ),
  unreadNotificationCount: t.int({
    description: 'Unread notifications still in the inbox (not archived).',
    authScopes: { authenticated: true },
    args: { organizationId: t.arg.globalID({ required: false, for: Organization }) },
    resolve: (_root, args, ctx) => unreadNotificationCount(ctx, optionalIdFrom(args.organizationId, 'organizationId')),
  }),
}));
