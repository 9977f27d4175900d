import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newId } from '../../../src/db/schema/columns';
import { recordActivity, type ActivityInput } from '../../../src/realtime/record-activity';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, type ProjectFixture, type TaskFixture } from '../../support/task-fixtures';
import { sequenceEvents } from './activity-support';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let otherTeam: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;
let otherProject: ProjectFixture;
let task: TaskFixture;
/** Ids of the team's numbered events, oldest first. */
let teamEvents: string[];

const EVENT_FIELDS = `id verb cursor subjectType subjectId changes createdAt actor { id } project { id } task { id } organization { id }`;
const CONNECTION = `edges { cursor node { ${EVENT_FIELDS} } } pageInfo { hasNextPage hasPreviousPage endCursor }`;
const NODE_FEED = `query ($id: ID!, $first: Int, $after: String) {
  node(id: $id) {
    ... on Organization { activity(first: $first, after: $after) { ${CONNECTION} } }
    ... on Project { activity(first: $first, after: $after) { ${CONNECTION} } }
    ... on Task { activity(first: $first, after: $after) { ${CONNECTION} } }
  }
}`;
const USER_FEED = `query ($id: ID!, $org: ID, $first: Int, $after: String) {
  node(id: $id) { ... on User { activity(organizationId: $org, first: $first, after: $after) { ${CONNECTION} } } }
}`;

async function record(events: Omit<ActivityInput, 'subjectType' | 'subjectId'>[]): Promise<string[]> {
  const ids: string[] = [];
  // One statement each: created_at (the sequencer's order) follows the order written.
  for (const event of events) ids.push(...(await recordActivity(t.owner.db, { subjectType: 'task', subjectId: event.taskId ?? newId(), ...event })));
  return ids;
}

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  otherTeam = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
  otherProject = await createProjectRow(t, team.org.id, team.owner.id);
  task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
  const actors = [team.owner.id, team.admin.id, team.member.id];
  teamEvents = await record(
    Array.from({ length: 12 }, (_, i) => ({
      organizationId: team.org.id,
      actorId: actors[i % 3]!,
      verb: `test.event_${i}`,
      projectId: i % 2 === 0 ? project.id : otherProject.id,
      taskId: i % 4 === 0 ? task.id : null,
      changes: { n: { from: i, to: i + 1 } },
    })),
  );
  await record([{ organizationId: otherTeam.org.id, actorId: otherTeam.owner.id, verb: 'test.elsewhere' }]);
  await sequenceEvents(t);
  // Written after numbering: not visible until the sequencer numbers it.
  await record([{ organizationId: team.org.id, actorId: team.owner.id, verb: 'test.pending', projectId: project.id }]);
});
afterAll(() => t?.close());

type Feed = { edges: { cursor: string; node: Record<string, any> }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

async function readAll(query: string, variables: Record<string, unknown>, pick: (data: any) => Feed, first = 5, as = team.member) {
  const nodes: Record<string, any>[] = [];
  let after: string | null = null;
  for (let pages = 0; pages < 20; pages++) {
    const res = await t.graphql(query, { token: as.token, variables: { ...variables, first, after } });
    expect(res.errors).toBeUndefined();
    const feed = pick(res.data);
    for (const edge of feed.edges) expect(edge.cursor).toBe(edge.node.cursor);
    nodes.push(...feed.edges.map((edge) => edge.node));
    if (!feed.pageInfo.hasNextPage) return nodes;
    after = feed.pageInfo.endCursor;
  }
  throw new Error('too many pages');
}

const rawIds = (nodes: Record<string, any>[]) => nodes.map((node) => Buffer.from(node.id, 'base64').toString().split(':')[1]);

describe('activity feeds', () => {
  it('the organization feed pages newest first, without gaps or repeats, numbered events only', async () => {
    const nodes = await readAll(NODE_FEED, { id: team.org.globalId }, (data) => data.node.activity, 5);
    expect(rawIds(nodes)).toEqual([...teamEvents].reverse());
    expect(nodes.map((node) => node.verb)).not.toContain('test.pending');
    const newest = nodes[0]!;
    expect(newest).toMatchObject({
      verb: 'test.event_11',
      subjectType: 'task',
      actor: { id: globalId('User', team.member.id) },
      project: { id: otherProject.globalId },
      task: null,
      organization: { id: team.org.globalId },
      changes: { n: { from: 11, to: 12 } },
    });
    expect(nodes[3]).toMatchObject({ task: { id: task.globalId }, subjectId: task.globalId });
  });

  it('project and task feeds hold only their events', async () => {
    const projectNodes = await readAll(NODE_FEED, { id: project.globalId }, (data) => data.node.activity, 4);
    expect(rawIds(projectNodes)).toEqual(teamEvents.filter((_, i) => i % 2 === 0).reverse());
    const taskNodes = await readAll(NODE_FEED, { id: task.globalId }, (data) => data.node.activity, 2);
    expect(rawIds(taskNodes)).toEqual(teamEvents.filter((_, i) => i % 4 === 0).reverse());
  });

  it('User.activity shows what one person did, in one organization or all of the viewer’s', async () => {
    const expected = teamEvents.filter((_, i) => i % 3 === 1).reverse();
    const inOrg = await readAll(USER_FEED, { id: globalId('User', team.admin.id), org: team.org.globalId }, (data) => data.node.activity, 3);
    expect(rawIds(inOrg)).toEqual(expected);
    const everywhere = await readAll(USER_FEED, { id: globalId('User', team.admin.id) }, (data) => data.node.activity, 50, team.admin);
    expect(rawIds(everywhere)).toEqual(expected);
  });

  it('another organization’s feed is not visible', async () => {
    const org = await t.graphql(NODE_FEED, { token: otherTeam.owner.token, variables: { id: team.org.globalId, first: 5 } });
    expect(org.data?.node ?? null).toBeNull();
    const projectFeed = await t.graphql(NODE_FEED, { token: otherTeam.owner.token, variables: { id: project.globalId, first: 5 } });
    expect(projectFeed.data?.node ?? null).toBeNull();
    const theirs = await t.graphql(USER_FEED, {
      token: otherTeam.owner.token,
      variables: { id: globalId('User', otherTeam.owner.id), org: team.org.globalId, first: 5 },
    });
    expect(theirs.errors).toBeUndefined();
    expect(theirs.data.node.activity).toBeNull();
    const own = await readAll(USER_FEED, { id: globalId('User', otherTeam.owner.id) }, (data) => data.node.activity, 5, otherTeam.owner);
    expect(own.map((node) => node.verb)).toEqual(['test.elsewhere']);
  });

  it('rejects a cursor that is not an activity cursor', async () => {
    const res = await t.graphql(NODE_FEED, { token: team.member.token, variables: { id: team.org.globalId, first: 5, after: 'bm90LWEtY3Vyc29y' } });
    expect(res.errors?.[0]?.message ?? '').toMatch(/cursor/i);
  });

  it('a page of 50 costs the same statements as a page of 5 (actors, projects and tasks are batched)', async () => {
    const many = Array.from({ length: 50 }, (_, i) => ({
      organizationId: team.org.id,
      actorId: [team.owner.id, team.admin.id, team.member.id, team.viewer.id][i % 4]!,
      verb: `test.bulk_${i}`,
      projectId: i % 2 ? project.id : otherProject.id,
      taskId: i % 5 ? null : task.id,
    }));
    await record(many);
    await sequenceEvents(t);
    const count = async (first: number) => {
      t.resetQueryCount();
      const res = await t.graphql(NODE_FEED, { token: team.member.token, variables: { id: team.org.globalId, first } });
      expect(res.errors).toBeUndefined();
      expect(res.data.node.activity.edges).toHaveLength(first);
      return t.queryCount();
    };
    expect(await count(50)).toBe(await count(5));
  });
});
