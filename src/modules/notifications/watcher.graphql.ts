import { createContextCache } from '@pothos/core';
import DataLoader from 'dataloader';
import { builder } from '../../graphql/builder';
import type { ServiceContext } from '../../graphql/context';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { idFrom } from '../../graphql/ids';
import { asViewer, groupedInKeyOrder } from '../../shared/unit-of-work';
import { Task } from '../tasks/task.type';
import { User } from '../users/user.graphql';
import type { PublicUser } from '../users/user.repository';
import { setViewerWatching } from './watcher.service';
import { watchedTaskIdsAmong, watchersOfTasks } from './watchers';

/** Per request: the watchers of every task on a page in one statement. */
const watcherIdsOfTask = createContextCache(
  (ctx: ServiceContext) =>
    new DataLoader<string, string[]>((taskIds) =>
      asViewer(ctx, async (tx, organizationIds) =>
        groupedInKeyOrder(taskIds, await watchersOfTasks(tx, organizationIds, taskIds), (row) => row.taskId).map((rows) =>
          rows.map((row) => row.userId),
        ),
      ),
    ),
);

builder.objectFields(Task, (t) => ({
  viewerIsWatching: t.loadable({
    type: 'Boolean',
    description: 'Whether you get notified about comments on this task.',
    load: (taskIds: string[], ctx) => {
      const viewer = ctx.viewer;
      if (!viewer) return Promise.resolve(taskIds.map(() => false));
      return asViewer(ctx, async (tx, organizationIds) => {
        const watched = new Set(await watchedTaskIdsAmong(tx, organizationIds, viewer.userId, taskIds));
        return taskIds.map((id) => watched.has(id));
      });
    },
    resolve: (task) => task.id,
  }),
  watchers: t.field({
    type: [User],
    description: 'Members following the task, in the order they started.',
    resolve: async (task, _args, ctx) => {
      const userIds = await watcherIdsOfTask(ctx).load(task.id);
      // Through the User loader: one batch for every watcher of every task on the page.
      const users = await User.getDataloader(ctx).loadMany(userIds);
      return users.filter((user): user is PublicUser => user !== null && !(user instanceof Error));
    },
  }),
}));

builder.mutationFields((t) => {
  const setWatching = (watching: boolean, description: string) =>
    t.field({
      type: Task,
      description,
      errors: { types: MUTATION_ERRORS, dataField: { name: 'task' } },
      args: { taskId: t.arg.globalID({ required: true, for: Task }) },
      resolve: (_root, { taskId }, ctx) => setViewerWatching(ctx, idFrom(taskId, 'taskId'), watching),
    });
  return {
    watchTask: setWatching(true, 'Follow a task: get notified about its comments (also after an earlier unwatch).'),
    unwatchTask: setWatching(false, 'Stop following a task; being assigned or commenting later does not re-add you.'),
  };
});
