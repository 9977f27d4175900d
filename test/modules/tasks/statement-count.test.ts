import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTeam } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createMilestoneRow, createProjectRow, createTaskRows } from '../../support/task-fixtures';
import { labels, taskLabels } from '../../../src/db/schema/index';
import { newId } from '../../../src/db/schema/columns';

const FROM_ORGANIZATION = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Organization {
        projects {
          edges { node { tasks(first: 100, filter: { topLevelOnly: true }) {
            edges { node { title assignee { name } labels { name } subtasks { title } } }
          } } }
        }
      }
    }
  }
`;

const FROM_PROJECT = /* GraphQL */ `
  query ($id: ID!) {
    node(id: $id) {
      ... on Project {
        tasks(first: 100, filter: { topLevelOnly: true }) {
          edges { node { title assignee { name } milestone { name } labels { name } subtasks { title } subtaskCount viewerCan { update } } }
        }
      }
    }
  }
`;

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

type Fixture = { team: Awaited<ReturnType<typeof createTeam>>; projectGlobalId: string };

/**
 * An organization with `projectCount` projects of `count` top-level tasks each; every task has two
 * subtasks, an assignee, a milestone and a label.
 */
async function organizationWithTasks(count: number, projectCount = 1): Promise<Fixture> {
  const team = await createTeam(t);
  let projectGlobalId = '';
  for (let p = 0; p < projectCount; p++) projectGlobalId = await projectWithTasks(team, count);
  return { team, projectGlobalId };
}

async function projectWithTasks(team: Fixture['team'], count: number): Promise<string> {
  const base = { organizationId: team.org.id, createdBy: team.member.id };
  const project = await createProjectRow(t, team.org.id, team.admin.id);
  const milestone = await createMilestoneRow(t, { ...base, projectId: project.id });
  const labelId = newId();
  await t.owner.db.insert(labels).values({ id: labelId, organizationId: team.org.id, name: `bug ${labelId.slice(-6)}` });
  const assignees = [team.member.id, team.admin.id, team.viewer.id];
  const tasks = await createTaskRows(t, { ...base, projectId: project.id }, count, (i) => ({
    assigneeId: assignees[i % assignees.length],
    milestoneId: milestone.id,
  }));
  for (const task of tasks) {
    await createTaskRows(t, { ...base, projectId: project.id, parentId: task.id }, 2, (i) => ({ assigneeId: assignees[i] }));
  }
  await t.owner.db.insert(taskLabels).values(tasks.map((task) => ({ organizationId: team.org.id, taskId: task.id, labelId })));
  return project.globalId;
}

/** Statements sent for one request, and its task edges. */
async function run(query: string, fixture: Fixture, id: string) {
  t.resetQueryCount();
  const res = await t.graphql(query, { token: fixture.team.owner.token, variables: { id } });
  const statements = t.queryCount();
  expect(res.errors).toBeUndefined();
  const connections = res.data.node.tasks ? [res.data.node.tasks] : res.data.node.projects.edges.map((edge: any) => edge.node.tasks);
  return { statements, tasks: connections.flatMap((connection: any) => connection.edges.map((edge: any) => edge.node)) };
}

describe('nested task queries', () => {
  let few: Fixture;
  let many: Fixture;
  beforeAll(async () => {
    few = await organizationWithTasks(5);
    many = await organizationWithTasks(100, 5);
    // Warm the pool: a new connection sends a few statements of its own (type lookups), which are not the query's.
    for (const query of [FROM_ORGANIZATION, FROM_PROJECT]) {
      await Promise.all(
        [few, many].flatMap((f) => [
          t.graphql(query, { token: f.team.owner.token, variables: { id: f.projectGlobalId } }),
          t.graphql(query, { token: f.team.owner.token, variables: { id: f.team.org.globalId } }),
        ]),
      );
    }
  });

  it('organization -> projects -> tasks -> assignee, labels, subtasks: as many statements for 500 tasks as for 5', async () => {
    const small = await run(FROM_ORGANIZATION, few, few.team.org.globalId);
    const large = await run(FROM_ORGANIZATION, many, many.team.org.globalId);
    expect(small.tasks).toHaveLength(5);
    expect(large.tasks).toHaveLength(500);
    expect(large.tasks.every((task: any) => task.subtasks.length === 2 && task.labels.length === 1 && task.assignee)).toBe(true);
    expect(large.statements).toBe(small.statements);
  });

  it('every task relation batched: as many statements for 100 tasks as for 5', async () => {
    const small = await run(FROM_PROJECT, few, few.projectGlobalId);
    const large = await run(FROM_PROJECT, many, many.projectGlobalId);
    expect(large.tasks).toHaveLength(100);
    expect(large.tasks[99]).toMatchObject({
      subtaskCount: 2,
      labels: [{ name: expect.stringMatching(/^bug/) }],
      milestone: { name: expect.any(String) },
      assignee: { name: expect.any(String) },
      viewerCan: { update: true },
    });
    expect(large.tasks[99].subtasks).toHaveLength(2);
    expect(large.statements).toBe(small.statements);
    // A handful of batches (each a short transaction), nowhere near one query per task.
    expect(large.statements).toBeLessThan(60);
  });
});
