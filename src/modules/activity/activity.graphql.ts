import { builder } from '../../graphql/builder';
import { idFrom } from '../../graphql/ids';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { Organization } from '../organizations/organization.types';
import { Project } from '../projects/project.graphql';
import { Task } from '../tasks/task.type';
import { User } from '../users/user.graphql';
import { ViewerRef } from '../viewer/viewer.graphql';
import type { PageArgs } from '../../shared/pagination';
import type { GraphQLContext } from '../../graphql/context';
import { activityCursor } from './activity-cursor';
import { findActivityByIds, type ActivityRow } from './activity.repository';
import { activityFeed, userActivityFeed } from './activity.service';
import { subjectGlobalId } from './activity-subject';

export const ActivityEvent = builder.loadableNode('ActivityEvent', {
  description: `Something that happened in an organization: who did what to which object, and what changed.
Verbs (\`subject.action\`):
- project.created / updated / archived / unarchived / deleted / restored
- task.created, task.updated, task.status_changed (the status is among the changes), task.assigned (the assignee changed, the status did not),
  task.moved, task.deleted, task.restored (one event per task of a deleted/restored subtree), task.labels_changed,
  task.dependency_added / task.dependency_removed (on the dependency's "from" task)
- milestone.created / updated / deleted / restored
- member.joined / role_changed / removed / left
- organization.created / updated / plan_changed / deleted
- comment.* and attachment.*: written by those modules
One mutation writes one event per object it changed (a bulk update: one per task), with every changed field in \`changes\`.`,
  id: { resolve: (event: ActivityRow) => event.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'verb' in value && 'subjectType' in value,
  load: (ids: string[], ctx) =>
    asViewer(ctx, async (tx, organizationIds) => inKeyOrder(ids, await findActivityByIds(tx, organizationIds, ids), (event) => event.id)),
  authScopes: (event) => ({ orgRole: { organizationId: event.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    verb: t.exposeString('verb', { description: '`subject.action`, e.g. `task.status_changed`: see the type description.' }),
    actor: t.field({ type: User, nullable: true, description: 'Who did it; null for the system or a deleted account.', resolve: (event) => event.actorId }),
    subjectType: t.exposeString('subjectType', { description: 'organization, member, project, milestone, label, task, dependency, comment, attachment …' }),
    subjectId: t.globalID({
      description: 'The global id of what the event is about (it may have been deleted since).',
      resolve: (event) => subjectGlobalId(event),
    }),
    organization: t.field({ type: Organization, resolve: (event) => event.organizationId }),
    project: t.field({ type: Project, nullable: true, resolve: (event) => event.projectId }),
    task: t.field({ type: Task, nullable: true, resolve: (event) => event.taskId }),
    changes: t.field({
      type: 'JSONObject',
      description: '`{ field: { from, to } }` for what changed; long texts (descriptions, metadata) are cut to their first 200 characters.',
      resolve: (event) => event.changes,
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    cursor: t.string({
      description: 'Opaque position of this event: `after` for the older events of a feed, or to resume a subscription.',
      resolve: (event) => activityCursor(event.seq!),
    }),
  }),
});

export const ActivityEventConnection = builder.connectionObject(
  { type: ActivityEvent, name: 'ActivityEventConnection' },
  { name: 'ActivityEventEdge' },
);

const FEED = 'Newest first, 50 per page by default, at most 100.';

builder.objectField(Organization, 'activity', (t) =>
  t.connection(
    {
      type: ActivityEvent,
      nullable: false,
      description: `Everything that happened in the organization. ${FEED}`,
      resolve: (org, args, ctx) => activityFeed(ctx, org.id, {}, args),
    },
    ActivityEventConnection,
  ),
);

builder.objectField(Project, 'activity', (t) =>
  t.connection(
    {
      type: ActivityEvent,
      nullable: false,
      description: `What happened in the project and its tasks. ${FEED}`,
      resolve: (project, args, ctx) => activityFeed(ctx, project.organizationId, { projectId: project.id }, args),
    },
    ActivityEventConnection,
  ),
);

builder.objectField(Task, 'activity', (t) =>
  t.connection(
    {
      type: ActivityEvent,
      nullable: false,
      description: `What happened to the task. ${FEED}`,
      resolve: (task, args, ctx) => activityFeed(ctx, task.organizationId, { taskId: task.id }, args),
    },
    ActivityEventConnection,
  ),
);

const PERSON_ACTIVITY =
  "What this person did, in one organization or (none given) in all of the viewer's. " +
  `Null for an organization the viewer is not in. ${FEED}`;

/** What a person did: the resolver behind User.activity and Viewer.activity. */
const personActivity = (ctx: GraphQLContext, userId: string, args: PageArgs & { organizationId?: { id: string } | null }) =>
  userActivityFeed(ctx, userId, args.organizationId ? idFrom(args.organizationId, 'organizationId') : null, args);

builder.objectField(User, 'activity', (t) =>
  t.connection(
    {
      type: ActivityEvent,
      nullable: true,
      description: PERSON_ACTIVITY,
      args: { organizationId: t.arg.globalID({ required: false, for: Organization }) },
      resolve: (user, args, ctx) => personActivity(ctx, user.id, args),
    },
    ActivityEventConnection,
  ),
);

builder.objectField(ViewerRef, 'activity', (t) =>
  t.connection(
    {
      type: ActivityEvent,
      nullable: true,
      description: PERSON_ACTIVITY,
      args: { organizationId: t.arg.globalID({ required: false, for: Organization }) },
      resolve: (viewer, args, ctx) => personActivity(ctx, viewer.userId, args),
    },
    ActivityEventConnection,
  ),
);
