import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Random } from '../scale/random';
import type { Sample, SampleOrganization, SampleUser } from './dataset';
import type { Features } from './features';
import type { GraphQLBody } from './http-client';

export const SCENARIO_NAMES = ['baseline', 'dashboard', 'project-view', 'task-detail', 'create-task', 'update-task', 'add-comment'] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

/** One request to send: as whom, what, and which mutation field's result must be a success. */
export type BenchRequest = { user: SampleUser; body: GraphQLBody; mutationField?: string };

export type Scenario = {
  name: ScenarioName;
  /** The numbering: 1 dashboard, 2 project view, 3 task detail, 6 mutations (0: the fixed cost of any request). */
  label: string;
  kind: 'read' | 'write';
  /** Why it is not measured, when it is not. */
  unavailable: string | null;
  /** What was measured in place of something the API does not offer, and what is not there yet. */
  notes: string[];
  /** `rng` is the client's own stream; `sequence` numbers its requests (unique titles). */
  next(rng: Random, sequence: number): BenchRequest;
};

const OPEN = '[BACKLOG, TODO, IN_PROGRESS]';
const STATUSES = ['BACKLOG', 'TODO', 'IN_PROGRESS', 'DONE', 'CANCELED'] as const;
const gid = (type: string, id: string) => encodeGlobalID(type, id);
const BASELINE = 'query BenchBaseline { viewer { user { id name } } }';

/** Half the requests come from large organizations, half from small ones, whatever their counts in the sample. */
function pickOrganization(sample: Sample, rng: Random): SampleOrganization {
  const size = rng.chance(0.5) ? 'large' : 'small';
  const pool = sample.organizations.filter((o) => o.size === size);
  return rng.pick(pool.length > 0 ? pool : sample.organizations);
}

const notYet = (what: string, present: string | null) => (present ? [] : [`${what}: not yet available`]);

export function buildScenarios(sample: Sample, features: Features): Scenario[] {
  const dashboardDocument = `query BenchDashboard($me: ID!) {
  viewer {
    user { id name }
    organizations { id name viewerRole
      projects(first: 5, status: ACTIVE) { edges { node { id name
        tasks(first: 10, filter: { assigneeId: { eq: $me }, status: { in: ${OPEN} } }, sort: { field: UPDATED_AT, direction: DESC }) {
          edges { node { id title status priority dueDate updatedAt project { id name } labels { id name color } } } } } } } }
    ${features.unreadCount ?? ''}
  }
}`;
  const projectDocument = `query BenchProjectView($id: ID!) {
  node(id: $id) { ... on Project { id name status viewerCan { createTask update }
    tasks(first: 50, filter: { topLevelOnly: true, status: { in: ${OPEN} } }) {
      edges { cursor node { id title status priority dueDate rank version assignee { id name } labels { id name color } subtaskCount ${features.commentCount ?? ''} } }
      pageInfo { hasNextPage endCursor } } } }
}`;
  const taskDocument = `query BenchTaskDetail($id: ID!) {
  node(id: $id) { ... on Task { id title description status priority dueDate estimateMinutes version createdAt updatedAt completedAt
    project { id name } milestone { id name dueDate } parent { id title }
    assignee { id name } createdBy { id name } viewerCan { update move delete }
    labels { id name color }
    subtasks { id title status priority assignee { id name } }
    blockedBy { id title status } blocking { id title status }
    ${features.latestComments ?? ''} ${features.attachments ?? ''} ${features.loggedTime ?? ''} } }
}`;
  const createDocument = `mutation BenchCreateTask($input: CreateTaskInput!) {
  createTask(input: $input) { __typename ... on CreateTaskSuccess { task { id rank version } } ... on Error { message } }
}`;
  const updateDocument = `mutation BenchUpdateTask($id: ID!, $input: UpdateTaskInput!) {
  updateTask(id: $id, input: $input) { __typename ... on UpdateTaskSuccess { task { id status version updatedAt } } ... on Error { message } }
}`;

  const scenarios: Scenario[] = [
    {
      name: 'baseline',
      label: '0',
      kind: 'read',
      unavailable: null,
      notes: ['viewer { user { id name } }: what every authenticated request pays (token check, session and memberships) and nothing else'],
      next: (rng) => ({ user: rng.pick(pickOrganization(sample, rng).users), body: { query: BASELINE } }),
    },
    {
      name: 'dashboard',
      label: '1',
      kind: 'read',
      unavailable: null,
      notes: [
        features.myTasks
          ? `Viewer.${features.myTasks} exists but is not used yet: measured per project as below`
          : 'no cross-project "my tasks" field: measured viewer.organizations -> first 5 active projects -> each one\'s 10 most recently updated open tasks assigned to the viewer (with project and labels)',
        ...notYet('unread notification count', features.unreadCount),
      ],
      next: (rng) => {
        const organization = pickOrganization(sample, rng);
        const user = rng.pick(organization.users);
        return { user, body: { query: dashboardDocument, variables: { me: gid('User', user.userId) } } };
      },
    },
    {
      name: 'project-view',
      label: '2',
      kind: 'read',
      unavailable: null,
      notes: ['first 50 open top-level tasks in rank order', ...notYet('comment count', features.commentCount)],
      next: (rng) => {
        const organization = pickOrganization(sample, rng);
        return {
          user: rng.pick(organization.users),
          body: { query: projectDocument, variables: { id: gid('Project', rng.pick(organization.projectIds)) } },
        };
      },
    },
    {
      name: 'task-detail',
      label: '3',
      kind: 'read',
      unavailable: null,
      notes: [
        ...notYet('20 latest comments', features.latestComments),
        ...notYet('attachments', features.attachments),
        ...notYet('logged time', features.loggedTime),
      ],
      next: (rng) => {
        const organization = pickOrganization(sample, rng);
        return {
          user: rng.pick(organization.users),
          body: { query: taskDocument, variables: { id: gid('Task', rng.pick(organization.tasks).id) } },
        };
      },
    },
    {
      name: 'create-task',
      label: '6',
      kind: 'write',
      unavailable: null,
      notes: ['at the end of a random active project, assigned to the viewer'],
      next: (rng, sequence) => {
        const organization = pickOrganization(sample, rng);
        const user = rng.pick(organization.users);
        const input = {
          projectId: gid('Project', rng.pick(organization.projectIds)),
          title: `bench task ${sequence}`,
          status: 'TODO',
          priority: rng.pick(['NONE', 'LOW', 'MEDIUM', 'HIGH']),
          assigneeId: gid('User', user.userId),
        };
        return { user, body: { query: createDocument, variables: { input } }, mutationField: 'createTask' };
      },
    },
    {
      name: 'update-task',
      label: '6',
      kind: 'write',
      unavailable: null,
      notes: ['status of a random task, without expectedVersion (clients race on the same tasks)'],
      next: (rng) => {
        const organization = pickOrganization(sample, rng);
        return {
          user: rng.pick(organization.users),
          body: {
            query: updateDocument,
            variables: { id: gid('Task', rng.pick(organization.tasks).id), input: { status: rng.pick(STATUSES) } },
          },
          mutationField: 'updateTask',
        };
      },
    },
  ];
  const comment = features.addComment;
  scenarios.push({
    name: 'add-comment',
    label: '6',
    kind: 'write',
    unavailable: comment ? null : 'not yet available (no addComment mutation in the schema)',
    notes: [],
    next: (rng, sequence) => {
      if (!comment) throw new Error('add-comment is not available');
      const organization = pickOrganization(sample, rng);
      return {
        user: rng.pick(organization.users),
        body: { query: comment.document, variables: comment.variables(gid('Task', rng.pick(organization.tasks).id), `bench comment ${sequence}`) },
        mutationField: comment.field,
      };
    },
  });
  return scenarios;
}
