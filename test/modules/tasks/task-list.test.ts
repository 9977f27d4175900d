import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createMilestoneRow, createProjectRow, createTaskRow, type ProjectFixture, type TaskFixture } from '../../support/task-fixtures';
import { labels, taskLabels } from '../../../src/db/schema/index';
import { newId } from '../../../src/db/schema/columns';

const LIST = /* GraphQL */ `
  query ($id: ID!, $first: Int, $after: String, $filter: TaskFilter, $sort: TaskSort, $includeDeleted: Boolean) {
    node(id: $id) {
      ... on Project { tasks(first: $first, after: $after, filter: $filter, sort: $sort, includeDeleted: $includeDeleted) { ...page } }
      ... on Milestone { tasks(first: $first, after: $after, filter: $filter, sort: $sort) { ...page } }
    }
  }
  fragment page on TaskConnection { pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { id } } }
`;

const PRIORITIES = ['none', 'low', 'medium', 'high', 'urgent'] as const;

type Spec = {
  priority: (typeof PRIORITIES)[number];
  due: string | null;
  status: 'backlog' | 'todo' | 'in_progress' | 'done' | 'canceled';
  assignee: 'member' | 'admin' | null;
  milestone: 'm1' | 'm2' | null;
  labels: ('l1' | 'l2')[];
  parent?: number;
  deleted?: boolean;
};

const SPECS: Spec[] = [
  { priority: 'high', due: '2030-01-05', status: 'todo', assignee: 'member', milestone: 'm1', labels: ['l1'] },
  { priority: 'none', due: null, status: 'backlog', assignee: null, milestone: null, labels: [] },
  { priority: 'urgent', due: '2030-01-01', status: 'in_progress', assignee: 'admin', milestone: 'm1', labels: ['l1', 'l2'] },
  { priority: 'low', due: '2030-01-05', status: 'done', assignee: 'member', milestone: null, labels: ['l2'] },
  { priority: 'medium', due: null, status: 'todo', assignee: null, milestone: 'm2', labels: [] },
  { priority: 'high', due: '2030-02-01', status: 'canceled', assignee: 'admin', milestone: null, labels: ['l1'] },
  { priority: 'none', due: '2030-01-03', status: 'todo', assignee: 'member', milestone: 'm2', labels: [] },
  { priority: 'urgent', due: null, status: 'todo', assignee: 'admin', milestone: null, labels: ['l2'] },
  { priority: 'low', due: '2030-01-01', status: 'in_progress', assignee: null, milestone: 'm1', labels: [] },
  { priority: 'medium', due: '2030-03-01', status: 'todo', assignee: 'member', milestone: null, labels: [] },
  { priority: 'high', due: null, status: 'todo', assignee: null, milestone: null, labels: [], parent: 0 },
  { priority: 'low', due: '2030-01-02', status: 'todo', assignee: 'member', milestone: null, labels: [], parent: 0 },
  { priority: 'urgent', due: '2030-01-01', status: 'todo', assignee: 'member', milestone: null, labels: [], deleted: true },
];

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;
let rows: (TaskFixture & { spec: Spec; updatedKey: number })[];
const refs: Record<string, string> = {};

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.admin.id);
  for (const name of ['m1', 'm2'] as const) {
    refs[name] = (await createMilestoneRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.admin.id })).id;
  }
  for (const name of ['l1', 'l2']) {
    refs[name] = newId();
    await t.owner.db.insert(labels).values({ id: refs[name]!, organizationId: team.org.id, name });
  }
  refs.member = team.member.id;
  refs.admin = team.admin.id;
  rows = [];
  for (const [i, spec] of SPECS.entries()) {
    const row = await createTaskRow(t, {
      organizationId: team.org.id,
      projectId: project.id,
      createdBy: team.member.id,
      parentId: spec.parent === undefined ? null : rows[spec.parent]!.id,
      priority: spec.priority,
      dueDate: spec.due,
      status: spec.status,
      assigneeId: spec.assignee && refs[spec.assignee],
      milestoneId: spec.milestone && refs[spec.milestone],
      deletedAt: spec.deleted ? new Date() : null,
    });
    for (const label of spec.labels) await t.owner.db.insert(taskLabels).values({ organizationId: team.org.id, taskId: row.id, labelId: refs[label]! });
    // Timestamps a millisecond apart, some equal: ties must page by id without skipping or repeating rows.
    const updatedKey = i % 5;
    await t.owner.db.execute(sql`update tasks set updated_at = '2030-06-01 10:00:00.123+00'::timestamptz + ${updatedKey} * interval '1 millisecond' where id = ${row.id}`);
    rows.push({ ...row, spec, updatedKey });
  }
});
afterAll(() => t?.close());

type Query = { filter?: unknown; sort?: unknown; includeDeleted?: boolean; first?: number; after?: string; id?: string };

async function page(q: Query) {
  const res = await t.graphql(LIST, { token: team.viewer.token, variables: { id: project.globalId, ...q } });
  return res;
}

/** Every id of a list, walking it `size` at a time. */
async function walk(q: Query, size = 4): Promise<string[]> {
  const ids: string[] = [];
  let after: string | undefined;
  for (let pages = 0; pages < 20; pages++) {
    const res = await page({ ...q, first: size, after });
    expect(res.errors).toBeUndefined();
    const connection = res.data.node.tasks;
    expect(connection.pageInfo.hasPreviousPage).toBe(after !== undefined);
    ids.push(...connection.edges.map((edge: any) => edge.node.id));
    if (!connection.pageInfo.hasNextPage) return ids;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('did not end');
}

const live = () => rows.filter((row) => !row.spec.deleted);
const ids = (list: typeof rows) => list.map((row) => row.globalId);
const byKey = <K>(key: (row: (typeof rows)[number]) => K, direction: 'asc' | 'desc' = 'asc') => {
  const sign = direction === 'asc' ? 1 : -1;
  return (a: (typeof rows)[number], b: (typeof rows)[number]) => {
    const [ka, kb] = [key(a), key(b)];
    if (ka === null && kb !== null) return 1;
    if (kb === null && ka !== null) return -1;
    if (ka !== kb) return (ka! < kb! ? -1 : 1) * sign;
    return (a.id < b.id ? -1 : 1) * sign;
  };
};

describe('Project.tasks sorting and paging', () => {
  const cases = [
    ['RANK', (r: (typeof rows)[number]) => r.rank],
    ['PRIORITY', (r: (typeof rows)[number]) => PRIORITIES.indexOf(r.spec.priority)],
    ['DUE_DATE', (r: (typeof rows)[number]) => r.spec.due],
    ['UPDATED_AT', (r: (typeof rows)[number]) => r.updatedKey],
  ] as const;
  for (const [field, key] of cases) {
    for (const direction of ['ASC', 'DESC'] as const) {
      it(`pages through ${field} ${direction} without gaps or repeats (undated tasks last)`, async () => {
        const expected = ids([...live()].sort(byKey<unknown>(key, direction.toLowerCase() as 'asc' | 'desc')));
        expect(await walk({ sort: { field, direction } }, 3)).toEqual(expected);
        expect(await walk({ sort: { field, direction } }, 100)).toEqual(expected);
      });
    }
  }

  it('defaults to rank order, 50 per page, and caps pages at 100', async () => {
    const res = await page({});
    expect(res.data.node.tasks.edges.map((e: any) => e.node.id)).toEqual(ids([...live()].sort(byKey((r) => r.rank))));
    const tooMany = await page({ first: 101 });
    expect(tooMany.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('refuses a cursor made for another sort', async () => {
    const first = await page({ first: 2, sort: { field: 'DUE_DATE', direction: 'ASC' } });
    const res = await page({ first: 2, after: first.data.node.tasks.pageInfo.endCursor, sort: { field: 'PRIORITY', direction: 'ASC' } });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    const garbage = await page({ first: 2, after: 'bm9wZQ' });
    expect(garbage.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('includes deleted tasks only when asked', async () => {
    const all = await walk({ includeDeleted: true });
    expect(all).toHaveLength(rows.length);
  });

  it('counts all matches when totalCount is asked for', async () => {
    const res = await t.graphql(
      `query ($id: ID!) { node(id: $id) { ... on Project { tasks(first: 2, filter: { status: { eq: TODO } }) { totalCount edges { node { id } } } } } }`,
      { token: team.viewer.token, variables: { id: project.globalId } },
    );
    expect(res.data.node.tasks.edges).toHaveLength(2);
    expect(res.data.node.tasks.totalCount).toBe(live().filter((r) => r.spec.status === 'todo').length);
  });
});

describe('Project.tasks filters', () => {
  const TYPES: Record<string, string> = { m1: 'Milestone', m2: 'Milestone', l1: 'Label', l2: 'Label', member: 'User', admin: 'User' };
  const g = (name: string) => globalId(TYPES[name]!, refs[name]!);
  const cases: [string, () => unknown, (s: Spec, i: number) => boolean][] = [
    ['status eq', () => ({ status: { eq: 'TODO' } }), (s) => s.status === 'todo'],
    ['status in', () => ({ status: { in: ['DONE', 'CANCELED'] } }), (s) => ['done', 'canceled'].includes(s.status)],
    ['status notIn', () => ({ status: { notIn: ['TODO', 'BACKLOG'] } }), (s) => !['todo', 'backlog'].includes(s.status)],
    ['priority gte', () => ({ priority: { gte: 'HIGH' } }), (s) => PRIORITIES.indexOf(s.priority) >= 3],
    ['priority lt + notIn', () => ({ priority: { lt: 'HIGH', notIn: ['NONE'] } }), (s) => ['low', 'medium'].includes(s.priority)],
    ['assignee eq', () => ({ assigneeId: { eq: g('member') } }), (s) => s.assignee === 'member'],
    ['assignee isNull', () => ({ assigneeId: { isNull: true } }), (s) => s.assignee === null],
    ['assignee in', () => ({ assigneeId: { in: [g('member'), g('admin')] } }), (s) => s.assignee !== null],
    ['milestone eq', () => ({ milestoneId: { eq: g('m1') } }), (s) => s.milestone === 'm1'],
    ['milestone set', () => ({ milestoneId: { isNull: false } }), (s) => s.milestone !== null],
    ['label eq', () => ({ labelId: { eq: g('l1') } }), (s) => s.labels.includes('l1')],
    ['label in', () => ({ labelId: { in: [g('l1'), g('l2')] } }), (s) => s.labels.length > 0],
    ['due lt', () => ({ dueDate: { lt: '2030-01-05' } }), (s) => s.due !== null && s.due < '2030-01-05'],
    ['due range', () => ({ dueDate: { gte: '2030-01-02', lte: '2030-01-05' } }), (s) => s.due !== null && s.due >= '2030-01-02' && s.due <= '2030-01-05'],
    ['due eq', () => ({ dueDate: { eq: '2030-01-05' } }), (s) => s.due === '2030-01-05'],
    ['undated', () => ({ dueDate: { isNull: true } }), (s) => s.due === null],
    ['top level', () => ({ topLevelOnly: true }), (s) => s.parent === undefined],
    ['parent eq', () => ({ parentId: { eq: rows[0]!.globalId } }), (s) => s.parent === 0],
    ['or', () => ({ or: [{ status: { eq: 'DONE' } }, { priority: { eq: 'URGENT' } }] }), (s) => s.status === 'done' || s.priority === 'urgent'],
    ['empty or', () => ({ or: [] }), () => false],
    [
      'nested and/or',
      () => ({ and: [{ or: [{ assigneeId: { eq: g('admin') } }, { labelId: { eq: g('l2') } }] }, { dueDate: { isNull: false } }] }),
      (s) => (s.assignee === 'admin' || s.labels.includes('l2')) && s.due !== null,
    ],
  ];
  for (const [name, filter, predicate] of cases) {
    it(`filters by ${name}`, async () => {
      const expected = ids(live().filter((row) => predicate(row.spec, rows.indexOf(row))).sort(byKey((r) => r.rank)));
      expect(await walk({ filter: filter() }, 5)).toEqual(expected);
    });
  }

  it('lists a milestone’s tasks through Milestone.tasks', async () => {
    const res = await page({ id: globalId('Milestone', refs.m1!), first: 50 });
    expect(res.data.node.tasks.edges.map((e: any) => e.node.id)).toEqual(
      ids(live().filter((r) => r.spec.milestone === 'm1').sort(byKey((r) => r.rank))),
    );
  });

  it('refuses filters nested deeper than 5 levels, naming where', async () => {
    let filter: Record<string, unknown> = { status: { eq: 'TODO' } };
    for (let i = 0; i < 5; i++) filter = { and: [filter] };
    const res = await page({ filter });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toContain('filter.and.0.and.0.and.0.and.0.and.0');
    const ok = await page({ filter: (filter.and as unknown[])[0] });
    expect(ok.errors).toBeUndefined();
  });

  it('refuses an id of the wrong type in a filter', async () => {
    const res = await page({ filter: { assigneeId: { eq: project.globalId } } });
    expect(res.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(res.errors?.[0]?.message).toContain('filter.assigneeId.eq');
  });
});
