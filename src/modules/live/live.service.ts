import type { GraphQLContext } from '../../graphql/context';
import type { RealtimeEvent } from '../../realtime/events';
import { streamEvents } from '../../realtime/stream';
import { topics } from '../../realtime/topics';
import { NotFoundError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { findActivityByIds, type ActivityRow } from '../activity/activity.repository';
import { projectPolicy } from '../projects/project.policy';
import { taskPolicy } from '../tasks/task.policy';
import { findTasksByIds, type TaskRow } from '../tasks/task.repository';
import { findVisibleProject } from '../tasks/services/task-access';
import { findActivityEventsAfter, type ActivityReplayScope } from '../../realtime/activity-replay.repository';
import { loadForEvent, visibleTo } from '../../realtime/event-loads';
import { organizationPolicy } from '../organizations/organization.policy';

export type TaskChange = { verb: string; seq: number; task: TaskRow };

const TASK_VERBS = 'task.';

/** A project the viewer may read, in any state: outsiders and other tenants get NotFound. */
async function requireVisibleProject(ctx: GraphQLContext, projectId: string) {
  const viewer = requireViewer(ctx);
  const project = await asViewer(ctx, (tx, organizationIds) => findVisibleProject(tx, organizationIds, projectId));
  if (!projectPolicy.canView(viewer, project)) throw new NotFoundError('Project', projectId);
  return project;
}

const replayOf = (ctx: GraphQLContext, scope: ActivityReplayScope) => (afterSeq: number, limit: number) =>
  asViewer(ctx, (tx, organizationIds) => findActivityEventsAfter(tx, organizationIds, scope, afterSeq, limit));

/**
 * Board updates: every task event of a project, with the task as it was when the
 * event reached this instance (loaded once for all its subscribers here).
 */
export async function openTaskChanges(ctx: GraphQLContext, projectId: string, after: number | null): Promise<AsyncIterable<TaskChange>> {
  const project = await requireVisibleProject(ctx, projectId);
  const organizationId = project.organizationId;
  return streamEvents<TaskChange>(ctx, {
    topic: topics.project(organizationId, projectId),
    after,
    organizationId,
    replay: replayOf(ctx, { organizationId, projectId, verbPrefix: TASK_VERBS }),
    async deliver(event: RealtimeEvent) {
      if (!event.verb.startsWith(TASK_VERBS) || !event.taskId) return null;
      const taskId = event.taskId;
      const task = await loadForEvent(ctx.db, event, {
        purpose: 'task',
        load: (tx, organizationIds) => findTasksByIds(tx, organizationIds, [taskId]).then((rows) => rows[0] ?? null),
      });
      if (!visibleTo(ctx.viewer, task, taskPolicy.canView)) return null;
      return { verb: event.verb, seq: event.seq, task };
    },
  });
}

/** An organization's (or one of its projects') activity as it happens. */
export async function openActivityStream(
  ctx: GraphQLContext,
  organizationId: string,
  projectId: string | null,
  after: number | null,
): Promise<AsyncIterable<ActivityRow>> {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.has(organizationId)) throw new NotFoundError('Organization', organizationId);
  if (projectId) {
    const project = await requireVisibleProject(ctx, projectId);
    if (project.organizationId !== organizationId) throw new NotFoundError('Project', projectId);
  }
  return streamEvents<ActivityRow>(ctx, {
    topic: projectId ? topics.project(organizationId, projectId) : topics.organizationActivity(organizationId),
    after,
    organizationId,
    replay: replayOf(ctx, { organizationId, projectId }),
    async deliver(event: RealtimeEvent) {
      if (event.stream !== 'activity') return null;
      const row = await loadForEvent(ctx.db, event, {
        purpose: 'activity',
        load: async (tx, organizationIds) => (await findActivityByIds(tx, organizationIds, [event.id]))[0] ?? null,
      });
      return visibleTo(ctx.viewer, row, (viewer, { organizationId }) => organizationPolicy.canView(viewer, organizationId)) ? row : null;
    },
  });
}
