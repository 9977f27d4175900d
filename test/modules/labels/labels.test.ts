import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';

const RESULT_FIELDS = /* GraphQL */ `
  __typename
  ... on Error { message code }
  ... on ValidationError { issues { path message } }
`;

const CREATE = /* GraphQL */ `
  mutation Create($input: CreateLabelInput!) {
    createLabel(input: $input) {
      ${RESULT_FIELDS}
      ... on CreateLabelSuccess { label { id name color deletedAt viewerCan { update delete } } }
    }
  }
`;
const UPDATE = /* GraphQL */ `
  mutation Update($id: ID!, $input: UpdateLabelInput!) {
    updateLabel(id: $id, input: $input) { ${RESULT_FIELDS} ... on UpdateLabelSuccess { label { id name color } } }
  }
`;
const DELETE = /* GraphQL */ `
  mutation Delete($id: ID!) { deleteLabel(id: $id) { ${RESULT_FIELDS} ... on DeleteLabelSuccess { label { id deletedAt } } } }
`;
const RESTORE = /* GraphQL */ `
  mutation Restore($id: ID!) { restoreLabel(id: $id) { ${RESULT_FIELDS} ... on RestoreLabelSuccess { label { id deletedAt } } } }
`;
const ORG_LABELS = /* GraphQL */ `
  query Labels($id: ID!, $includeDeleted: Boolean) {
    node(id: $id) { ... on Organization { labels(includeDeleted: $includeDeleted) { name color } } }
  }
`;

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let other: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  other = await createTeam(t);
});
afterAll(() => t?.close());

const labelsNamed = async (name: string) =>
  t.owner.db.execute<{ id: string; name: string; color: string; organization_id: string; deleted_at: Date | null }>(
    sql`select id, name, color, organization_id, deleted_at from labels where lower(name) = lower(${name})`,
  );
const countLabels = async () => {
  const [row] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from labels`);
  return row!.n;
};

async function create(input: Record<string, unknown>, token = team.member.token) {
  const res = await t.graphql(CREATE, { token, variables: { input: { organizationId: team.org.globalId, ...input } } });
  expect(res.errors).toBeUndefined();
  return res.data.createLabel;
}

describe('createLabel', () => {
  it('lets a member create a label, trimming the name and lower-casing the colour', async () => {
    const result = await create({ name: '  Bug  ', color: '#FF0000' });
    expect(result.__typename).toBe('CreateLabelSuccess');
    expect(result.label).toMatchObject({ name: 'Bug', color: '#ff0000', deletedAt: null, viewerCan: { update: true, delete: true } });
    const [row] = await labelsNamed('Bug');
    expect(row).toMatchObject({ name: 'Bug', color: '#ff0000', organization_id: team.org.id });
  });

  it('gives a neutral colour when none is chosen', async () => {
    const result = await create({ name: 'Plain' });
    expect(result.label.color).toBe('#888888');
  });

  it.each([
    ['a colour that is not #rrggbb', { name: 'Red', color: 'red' }, 'color'],
    ['a short colour', { name: 'Red', color: '#f00' }, 'color'],
    ['an empty name', { name: '   ', color: '#ff0000' }, 'name'],
    ['a name over 50 characters', { name: 'x'.repeat(51) }, 'name'],
  ])('refuses %s with a ValidationError on that field and writes nothing', async (_case, input, field) => {
    const before = await countLabels();
    const result = await create(input);
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues[0].path).toContain(field);
    expect(await countLabels()).toBe(before);
  });

  it('accepts a name of exactly 50 characters', async () => {
    expect((await create({ name: 'y'.repeat(50) })).__typename).toBe('CreateLabelSuccess');
  });

  it('refuses a name already used in the organization, whatever its case, naming input.name', async () => {
    await create({ name: 'Frontend' });
    const before = await countLabels();
    const result = await create({ name: 'FRONTEND' });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues).toEqual([{ path: ['input', 'name'], message: expect.stringContaining('already exists') }]);
    expect(await countLabels()).toBe(before);
  });

  it('allows the same name in another organization', async () => {
    await create({ name: 'Shared' });
    const res = await t.graphql(CREATE, { token: other.member.token, variables: { input: { organizationId: other.org.globalId, name: 'shared' } } });
    expect(res.data.createLabel.__typename).toBe('CreateLabelSuccess');
  });

  it('refuses a viewer with Forbidden and writes nothing', async () => {
    const before = await countLabels();
    const result = await create({ name: 'Viewer label' }, team.viewer.token);
    expect(result).toMatchObject({ __typename: 'ForbiddenError', code: 'FORBIDDEN' });
    expect(await countLabels()).toBe(before);
  });

  it('answers NotFound for an organization the viewer does not belong to', async () => {
    const before = await countLabels();
    const result = await create({ name: 'Sneaky' }, team.outsider.token);
    expect(result.__typename).toBe('NotFoundError');
    expect(await countLabels()).toBe(before);
  });

  it('returns the same label when a create is retried with the same client id', async () => {
    const id = '0190f5d2-2222-7000-8000-000000000001';
    const first = await create({ name: 'Retry', id });
    const second = await create({ name: 'Retry', id });
    expect(first.label.id).toBe(globalId('Label', id));
    expect(second.label.id).toBe(first.label.id);
    expect(await labelsNamed('Retry')).toHaveLength(1);
  });
});

describe('updateLabel, deleteLabel and restoreLabel', () => {
  it('renames and recolours a label', async () => {
    const { label } = await create({ name: 'Old name', color: '#000000' });
    const res = await t.graphql(UPDATE, { token: team.member.token, variables: { id: label.id, input: { name: 'New name', color: '#ABCDEF' } } });
    expect(res.data.updateLabel.label).toMatchObject({ name: 'New name', color: '#abcdef' });
    expect(await labelsNamed('Old name')).toHaveLength(0);
  });

  it('refuses renaming onto another label name (any case) and keeps the old name', async () => {
    await create({ name: 'Taken' });
    const { label } = await create({ name: 'Mine' });
    const res = await t.graphql(UPDATE, { token: team.member.token, variables: { id: label.id, input: { name: 'tAKEN' } } });
    expect(res.data.updateLabel.__typename).toBe('ValidationError');
    expect(res.data.updateLabel.issues[0].path).toEqual(['input', 'name']);
    expect(await labelsNamed('Mine')).toHaveLength(1);
  });

  it('lets a label keep its own name with a different case', async () => {
    const { label } = await create({ name: 'casing' });
    const res = await t.graphql(UPDATE, { token: team.member.token, variables: { id: label.id, input: { name: 'Casing' } } });
    expect(res.data.updateLabel.label.name).toBe('Casing');
  });

  it('refuses a viewer and changes nothing', async () => {
    const { label } = await create({ name: 'Stable', color: '#111111' });
    const res = await t.graphql(UPDATE, { token: team.viewer.token, variables: { id: label.id, input: { color: '#222222' } } });
    expect(res.data.updateLabel.__typename).toBe('ForbiddenError');
    const [row] = await labelsNamed('Stable');
    expect(row!.color).toBe('#111111');
  });

  it("answers NotFound for another organization's label and changes nothing", async () => {
    const { label } = await create({ name: 'Private', color: '#111111' });
    for (const mutation of [UPDATE, DELETE]) {
      const res = await t.graphql(mutation, { token: other.owner.token, variables: { id: label.id, input: { color: '#333333' } } });
      expect(Object.values(res.data)[0]).toMatchObject({ __typename: 'NotFoundError' });
    }
    const [row] = await labelsNamed('Private');
    expect(row).toMatchObject({ color: '#111111', deleted_at: null });
  });

  it('soft-deletes a label, frees its name, and hides it from the organization list', async () => {
    const { label } = await create({ name: 'Ephemeral' });
    const res = await t.graphql(DELETE, { token: team.member.token, variables: { id: label.id } });
    expect(res.data.deleteLabel.label.deletedAt).not.toBeNull();
    const [row] = await labelsNamed('Ephemeral');
    expect(row!.deleted_at).not.toBeNull();

    const list = await t.graphql(ORG_LABELS, { token: team.viewer.token, variables: { id: team.org.globalId } });
    expect(list.data.node.labels.map((l: { name: string }) => l.name)).not.toContain('Ephemeral');
    const withDeleted = await t.graphql(ORG_LABELS, { token: team.viewer.token, variables: { id: team.org.globalId, includeDeleted: true } });
    expect(withDeleted.data.node.labels.map((l: { name: string }) => l.name)).toContain('Ephemeral');

    // The name is free again while the old label is deleted...
    const again = await create({ name: 'ephemeral' });
    expect(again.__typename).toBe('CreateLabelSuccess');
    // ...so restoring the old one would clash: refused, and it stays deleted.
    const restore = await t.graphql(RESTORE, { token: team.member.token, variables: { id: label.id } });
    expect(restore.data.restoreLabel.__typename).toBe('ValidationError');
    expect(restore.data.restoreLabel.issues[0].path).toEqual(['id']);
    const rows = await labelsNamed('Ephemeral');
    expect(rows.filter((r) => r.deleted_at === null)).toHaveLength(1);
  });

  it('restores a deleted label', async () => {
    const { label } = await create({ name: 'Comeback' });
    await t.graphql(DELETE, { token: team.member.token, variables: { id: label.id } });
    const refused = await t.graphql(RESTORE, { token: team.viewer.token, variables: { id: label.id } });
    expect(refused.data.restoreLabel.__typename).toBe('ForbiddenError');
    const res = await t.graphql(RESTORE, { token: team.member.token, variables: { id: label.id } });
    expect(res.data.restoreLabel.label.deletedAt).toBeNull();
    const [row] = await labelsNamed('Comeback');
    expect(row!.deleted_at).toBeNull();
  });

  it('answers NotFound when updating a deleted label', async () => {
    const { label } = await create({ name: 'Gone' });
    await t.graphql(DELETE, { token: team.member.token, variables: { id: label.id } });
    const res = await t.graphql(UPDATE, { token: team.member.token, variables: { id: label.id, input: { name: 'Back' } } });
    expect(res.data.updateLabel.__typename).toBe('NotFoundError');
  });
});

describe('Organization.labels', () => {
  it('lists labels by name, case-insensitively', async () => {
    const fresh = await createTeam(t);
    for (const name of ['beta', 'Alpha', 'gamma', 'Delta']) {
      await t.graphql(CREATE, { token: fresh.member.token, variables: { input: { organizationId: fresh.org.globalId, name } } });
    }
    const res = await t.graphql(ORG_LABELS, { token: fresh.viewer.token, variables: { id: fresh.org.globalId } });
    expect(res.data.node.labels.map((l: { name: string }) => l.name)).toEqual(['Alpha', 'beta', 'Delta', 'gamma']);
  });

  it("does not show another organization's labels", async () => {
    const res = await t.graphql(ORG_LABELS, { token: other.owner.token, variables: { id: team.org.globalId } });
    expect(res.data?.node?.labels).toBeUndefined();
  });
});
