import { builder } from '../../graphql/builder';
import type { GraphQLContext } from '../../graphql/context';
import { idFrom } from '../../graphql/ids';
import type { TaskRow } from '../tasks/task.repository';
import { Task } from '../tasks/task.type';
import { User } from '../users/user.graphql';
import type { PublicUser } from '../users/user.repository';
import { listTaskViewers, openPresence, type PresenceUpdate } from './presence.service';

/** Users by id through the loader; one who is no longer visible to the viewer (left the organization) is skipped. */
async function visibleUsers(ctx: GraphQLContext, ids: string[]): Promise<PublicUser[]> {
  const users = await User.getDataloader(ctx).loadMany(ids);
  return users.filter((user): user is PublicUser => user !== null && !(user instanceof Error));
}

async function visibleUser(ctx: GraphQLContext, id: string | null): Promise<PublicUser | null> {
  if (!id) return null;
  const [user] = await visibleUsers(ctx, [id]);
  return user ?? null;
}

const PresenceUpdateRef = builder.objectRef<PresenceUpdate>('PresenceUpdate').implement({
  description: 'Who is viewing the task now; joined or left names who changed it (neither on the first update).',
  fields: (t) => ({
    viewers: t.field({ type: [User], nullable: false, resolve: (update, _args, ctx) => visibleUsers(ctx, update.viewerIds) }),
    joined: t.field({ type: User, nullable: true, resolve: (update, _args, ctx) => visibleUser(ctx, update.joined) }),
    left: t.field({ type: User, nullable: true, resolve: (update, _args, ctx) => visibleUser(ctx, update.left) }),
  }),
});

builder.subscriptionField('presence', (t) =>
  t.field({
    type: PresenceUpdateRef,
    description:
      'Subscribing is viewing the task: the first update lists its viewers (you included), then one follows whenever someone ' +
      'starts or stops viewing it. Ends when you lose access to the task.',
    authScopes: { authenticated: true },
    args: { taskId: t.arg.globalID({ required: true, for: Task }) },
    subscribe: (_root, args, ctx) => openPresence(ctx, idFrom(args.taskId, 'taskId')),
    resolve: (update) => update,
  }),
);

builder.objectField(Task, 'viewers', (t) =>
  t.loadableList({
    type: User,
    nullable: false,
    description: 'Who has the task open right now (subscribed to its presence).',
    // One store round trip for all the tasks of a response, then one user batch.
    load: async (tasks: TaskRow[], ctx) => {
      const viewerLists = await listTaskViewers(ctx, tasks);
      return Promise.all(viewerLists.map((ids) => visibleUsers(ctx, ids)));
    },
    loaderOptions: { cacheKeyFn: (task: TaskRow) => task.id },
    resolve: (task) => task,
  }),
);
