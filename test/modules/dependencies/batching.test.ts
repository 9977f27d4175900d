import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/db/schema/columns';
import { labels, taskDependencies, taskLabels } from '../../../src/db/schema/index';
import { createTeam } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRows, type TaskFixture } from '../../support/task-fixtures';

const PAGE = /* GraphQL */ `
  query Page($ids: [ID!]!) {
    nodes(ids: $ids) {
      ... on Task {
        id
        labels { name }
        blockedBy { id title }
        blocking { id }
        related { id }
        duplicates { id }
        duplicatedBy { id }
        dependencies { id type fromTask { id } toTask { id } }
      }
    }
  }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let tasks: TaskFixture[];

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  const project = await createProjectRow(t, team.org.id, team.owner.id);
  const base = { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id };
  tasks = await createTaskRows(t, base, 51);
  const labelRows = ['a', 'b', 'c'].map((name) => ({ id: newId(), organizationId: team.org.id, name }));
  await t.owner.db.insert(labels).values(labelRows);
  // Every task has two labels, is blocked by the previous one and relates to the next one.
  await t.owner.db.insert(taskLabels).values(
    tasks.flatMap((task, i) => [labelRows[i % 3]!, labelRows[(i + 1) % 3]!].map((label) => ({ organizationId: team.org.id, taskId: task.id, labelId: label.id }))),
  );
  await t.owner.db.insert(taskDependencies).values(
    tasks.slice(1).flatMap((task, i) => [
      { organizationId: team.org.id, fromTaskId: tasks[i]!.id, toTaskId: task.id, type: 'blocks' as const },
      ...(i + 2 < tasks.length ? [{ organizationId: team.org.id, fromTaskId: task.id, toTaskId: tasks[i + 2]!.id, type: 'relates_to' as const }] : []),
    ]),
  );
});
afterAll(() => t?.close());

async function statementsFor(count: number) {
  const page = tasks.slice(1, count + 1);
  t.resetQueryCount();
  const res = await t.graphql(PAGE, { token: team.viewer.token, variables: { ids: page.map((task) => task.globalId) } });
  const statements = t.queryCount();
  expect(res.errors).toBeUndefined();
  expect(res.data.nodes).toHaveLength(count);
  for (const node of res.data.nodes) {
    expect(node.labels).toHaveLength(2);
    expect(node.blockedBy).toHaveLength(1);
  }
  return statements;
}

describe('Task labels and links on a page of tasks', () => {
  it('take the same number of statements for 5 tasks as for 50', async () => {
    // Warm-up: the first statements on new pool connections include the driver fetching type information.
    await statementsFor(5);
    const five = await statementsFor(5);
    const fifty = await statementsFor(50);
    expect(fifty).toBe(five);
    // One batch per field (plus the tasks themselves and the tasks the links point to), not one per task.
    expect(five).toBeLessThan(50);
  });

  it('give each task its own links', async () => {
    const res = await t.graphql(PAGE, { token: team.viewer.token, variables: { ids: [tasks[1]!.globalId, tasks[2]!.globalId] } });
    const [first, second] = res.data.nodes;
    expect(first.blockedBy).toEqual([{ id: tasks[0]!.globalId, title: tasks[0]!.title }]);
    expect(first.blocking).toEqual([{ id: tasks[2]!.globalId }]);
    expect(second.blockedBy.map((x: { id: string }) => x.id)).toEqual([tasks[1]!.globalId]);
    expect(first.related).toEqual([{ id: tasks[2]!.globalId }]);
    expect(second.related.map((x: { id: string }) => x.id)).toEqual([tasks[1]!.globalId, tasks[3]!.globalId]);
    expect(first.labels).toEqual([{ name: 'b' }, { name: 'c' }]);
  });
});
