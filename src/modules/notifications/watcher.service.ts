import type { ServiceContext } from '../../graphql/context';
import { ForbiddenError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { peekLiveTask } from '../tasks/services/task-access';
import type { TaskRow } from '../tasks/task.repository';
import { watcherPolicy } from './watcher.policy';
import { unwatchTask, watchTask } from './watchers';

/**
 * The viewer starts (watching = true, a manual watch that overrides an earlier
 * unwatch) or stops following a live task; returns the task.
 */
export function setViewerWatching(ctx: ServiceContext, taskId: string, watching: boolean): Promise<TaskRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const task = await peekLiveTask(tx, organizationIds, taskId);
    if (!watcherPolicy.canWatch(viewer, task)) throw new ForbiddenError('You cannot watch this task');
    if (watching) await watchTask(tx, task.organizationId, task.id, viewer.userId, 'manual');
    else await unwatchTask(tx, task.organizationId, task.id, viewer.userId);
    return task;
  });
}
