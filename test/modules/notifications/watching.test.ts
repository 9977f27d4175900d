import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { taskWatchers } from '../../../src/db/schema/index';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, createTaskRows, type ProjectFixture } from '../../support/task-fixtures';

const WATCH = (name: 'watchTask' | 'unwatchTask') => /* GraphQL */ `
  mutation($taskId: ID!) {
    ${name}(taskId: $taskId) {
      __typename
      ... on ${name === 'watchTask' ? 'WatchTaskSuccess' : 'UnwatchTaskSuccess'} { task { id viewerIsWatching watchers { id } } }
      ... on Error { code }
    }
  }
`;

const TASKS = /* GraphQL */ `
  query($ids: [ID!]!) { nodes(ids: $ids) { ... on Task { id viewerIsWatching watchers { id name } } } }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
});
afterAll(() => t?.close());

const freshTask = () => createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
const watcherRow = async (taskId: string, userId: string) =>
  (await t.owner.db.select().from(taskWatchers).where(and(eq(taskWatchers.taskId, taskId), eq(taskWatchers.userId, userId))))[0];

describe('watchTask / unwatchTask', () => {
  it('lets any member, even a viewer, follow a task and stop again', async () => {
    const task = await freshTask();
    const watched = await t.graphql(WATCH('watchTask'), { token: team.viewer.token, variables: { taskId: task.globalId } });
    expect(watched.data.watchTask).toMatchObject({
      __typename: 'WatchTaskSuccess',
      task: { id: task.globalId, viewerIsWatching: true, watchers: [{ id: globalId('User', team.viewer.id) }] },
    });
    const unwatched = await t.graphql(WATCH('unwatchTask'), { token: team.viewer.token, variables: { taskId: task.globalId } });
    expect(unwatched.data.unwatchTask.task).toMatchObject({ viewerIsWatching: false, watchers: [] });
    expect(await watcherRow(task.id, team.viewer.id)).toMatchObject({ watching: false, reason: 'manual' });
  });

  it('answers NotFound for another organization’s task or a deleted one, writing nothing', async () => {
    const task = await freshTask();
    const outsider = await t.graphql(WATCH('watchTask'), { token: team.outsider.token, variables: { taskId: task.globalId } });
    expect(outsider.data.watchTask.__typename).toBe('NotFoundError');
    expect(await watcherRow(task.id, team.outsider.id)).toBeUndefined();

    const deleted = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id, deletedAt: new Date() });
    const res = await t.graphql(WATCH('watchTask'), { token: team.member.token, variables: { taskId: deleted.globalId } });
    expect(res.data.watchTask.__typename).toBe('NotFoundError');
    expect(await watcherRow(deleted.id, team.member.id)).toBeUndefined();
  });

  it('needs a signed-in viewer', async () => {
    const task = await freshTask();
    const res = await t.graphql(WATCH('watchTask'), { variables: { taskId: task.globalId } });
    expect(res.data.watchTask.__typename).toBe('UnauthenticatedError');
  });
});

describe('Task.watchers and Task.viewerIsWatching', () => {
  it('load for a whole page in a constant number of statements', async () => {
    const tasks = await createTaskRows(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id }, 6);
    for (const [i, task] of tasks.entries()) {
      const users = [team.admin, team.member, team.viewer].slice(0, i % 4);
      for (const user of users) await t.graphql(WATCH('watchTask'), { token: user.token, variables: { taskId: task.globalId } });
    }
    const ids = tasks.map((task) => task.globalId);
    const count = async (n: number) => {
      t.resetQueryCount();
      const res = await t.graphql(TASKS, { token: team.member.token, variables: { ids: ids.slice(0, n) } });
      expect(res.errors).toBeUndefined();
      return { statements: t.queryCount(), nodes: res.data.nodes };
    };
    const small = await count(2);
    const large = await count(6);
    expect(large.statements).toBe(small.statements);
    expect(large.nodes.map((n: any) => n.watchers.length)).toEqual([0, 1, 2, 3, 0, 1]);
    expect(large.nodes.map((n: any) => n.viewerIsWatching)).toEqual([false, false, true, true, false, false]);
  });
});
