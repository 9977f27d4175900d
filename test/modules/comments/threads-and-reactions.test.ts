import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { newId } from '../../../src/db/schema/columns';
import { commentMentions, commentReactions, comments } from '../../../src/db/schema/index';
import { createTeam, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { countRows } from '../../support/org-fixtures';
import { createProjectRow, createTaskRow, type ProjectFixture } from '../../support/task-fixtures';
import { addComment, REACT, TASK_THREAD, UNREACT, writeCounts } from './operations';

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

describe('reactions', () => {
  it('counts one reaction per user per emoji; adding twice changes nothing', async () => {
    const comment = await addComment(t, team.member.token, { taskId: (await freshTask()).globalId, body: 'React to me' });
    const first = await t.graphql(REACT, { token: team.viewer.token, variables: { id: comment.id, emoji: '👍' } });
    const again = await t.graphql(REACT, { token: team.viewer.token, variables: { id: comment.id, emoji: '👍' } });
    await t.graphql(REACT, { token: team.admin.token, variables: { id: comment.id, emoji: '👍' } });
    const last = await t.graphql(REACT, { token: team.viewer.token, variables: { id: comment.id, emoji: ':rocket:' } });
    expect(first.data.addReaction.__typename).toBe('AddReactionSuccess');
    // A viewer may react but not edit or delete.
    expect(first.data.addReaction.comment.viewerCan).toEqual({ update: false, delete: false, react: true });
    expect(again.data.addReaction.comment.reactions).toEqual([
      { emoji: '👍', count: 1, viewerReacted: true, users: [{ id: globalId('User', team.viewer.id) }] },
    ]);
    expect(last.data.addReaction.comment.reactions).toEqual([
      { emoji: '👍', count: 2, viewerReacted: true, users: [{ id: globalId('User', team.viewer.id) }, { id: globalId('User', team.admin.id) }] },
      { emoji: ':rocket:', count: 1, viewerReacted: true, users: [{ id: globalId('User', team.viewer.id) }] },
    ]);
    const id = Buffer.from(comment.id, 'base64').toString().split(':')[1]!;
    expect(await countRows(t, sql`select 1 from comment_reactions where comment_id = ${id}`)).toBe(3);
    expect(await countRows(t, sql`select 1 from activity_events where subject_id = ${id} and verb = 'comment.reaction_added'`)).toBe(3);
  });

  it('names only the first few reactors but counts them all, and tells each viewer whether they reacted', async () => {
    const comment = await addComment(t, team.member.token, { taskId: (await freshTask()).globalId, body: 'Popular' });
    for (const user of [team.owner, team.admin, team.member, team.viewer]) {
      await t.graphql(REACT, { token: user.token, variables: { id: comment.id, emoji: '🎉' } });
    }
    const removed = await t.graphql(UNREACT, { token: team.member.token, variables: { id: comment.id, emoji: '🎉' } });
    const [summary] = removed.data.removeReaction.comment.reactions;
    expect(summary).toMatchObject({ emoji: '🎉', count: 3, viewerReacted: false });
    expect(summary.users).toHaveLength(3);
    const removedAgain = await t.graphql(UNREACT, { token: team.member.token, variables: { id: comment.id, emoji: '🎉' } });
    expect(removedAgain.data.removeReaction.comment.reactions[0].count).toBe(3);
  });

  it.each([
    ['whitespace', 'thumbs up'],
    ['an empty emoji', ''],
    ['more than 32 characters', 'x'.repeat(33)],
  ])('refuses %s with a ValidationError and writes nothing', async (_case, emoji) => {
    const comment = await addComment(t, team.member.token, { taskId: (await freshTask()).globalId, body: 'Strict' });
    const before = await writeCounts(t);
    const res = await t.graphql(REACT, { token: team.member.token, variables: { id: comment.id, emoji } });
    expect(res.data.addReaction.__typename).toBe('ValidationError');
    expect(res.data.addReaction.issues[0].path).toEqual(['emoji']);
    expect(await writeCounts(t)).toEqual(before);
  });

  it('refuses reactions on a deleted comment or from another organization', async () => {
    const comment = await addComment(t, team.member.token, { taskId: (await freshTask()).globalId, body: 'Soon gone' });
    const stranger = await createTeam(t);
    const before = await writeCounts(t);
    const outside = await t.graphql(REACT, { token: stranger.owner.token, variables: { id: comment.id, emoji: '👀' } });
    expect(outside.data.addReaction.__typename).toBe('NotFoundError');
    expect(await writeCounts(t)).toEqual(before);
    await t.owner.db.execute(sql`update comments set deleted_at = now() where id = ${Buffer.from(comment.id, 'base64').toString().split(':')[1]!}`);
    const deleted = await t.graphql(REACT, { token: team.member.token, variables: { id: comment.id, emoji: '👀' } });
    expect(deleted.data.addReaction.__typename).toBe('NotFoundError');
  });
});

/** Writes `count` comments (one per millisecond, so the order is known) with a reaction and a mention each, as the owner. */
async function seedThread(taskId: string, count: number) {
  const base = Date.now() - 1_000_000;
  const rows = Array.from({ length: count }, (_, i) => ({
    id: newId(),
    organizationId: team.org.id,
    taskId,
    authorId: [team.owner, team.admin, team.member][i % 3]!.id,
    body: `Comment ${i + 1}`,
    createdAt: new Date(base + i),
  }));
  await t.owner.db.insert(comments).values(rows);
  await t.owner.db
    .insert(commentReactions)
    .values(rows.flatMap((row) => [team.viewer, team.member].map((user) => ({ organizationId: team.org.id, commentId: row.id, userId: user.id, emoji: '👍' }))));
  await t.owner.db.insert(commentMentions).values(rows.map((row) => ({ organizationId: team.org.id, commentId: row.id, userId: team.admin.id })));
  return rows;
}

async function readThread(taskGlobalId: string, order: 'OLDEST_FIRST' | 'NEWEST_FIRST', first: number) {
  const bodies: string[] = [];
  let after: string | null = null;
  for (let guard = 0; guard < 50; guard++) {
    const res: any = await t.graphql(TASK_THREAD, { token: team.viewer.token, variables: { id: taskGlobalId, first, after, order } });
    expect(res.errors).toBeUndefined();
    const connection = res.data.node.comments;
    bodies.push(...connection.edges.map((e: any) => e.node.body));
    if (!connection.pageInfo.hasNextPage) return bodies;
    after = connection.pageInfo.endCursor;
  }
  throw new Error('the thread did not end');
}

describe('Task.comments', () => {
  it('pages through every comment exactly once, oldest first or newest first', async () => {
    const task = await freshTask();
    const rows = await seedThread(task.id, 7);
    const oldestFirst = rows.map((row) => row.body);
    expect(await readThread(task.globalId, 'OLDEST_FIRST', 3)).toEqual(oldestFirst);
    expect(await readThread(task.globalId, 'NEWEST_FIRST', 3)).toEqual([...oldestFirst].reverse());
    expect(await readThread(task.globalId, 'NEWEST_FIRST', 100)).toEqual([...oldestFirst].reverse());
  });

  it('orders comments created in the same millisecond by id, without skipping any', async () => {
    const task = await freshTask();
    const at = new Date();
    const ids = [newId(), newId(), newId()].sort();
    await t.owner.db
      .insert(comments)
      .values(ids.map((id, i) => ({ id, organizationId: team.org.id, taskId: task.id, authorId: team.member.id, body: `Same ${i}`, createdAt: at })));
    expect(await readThread(task.globalId, 'OLDEST_FIRST', 1)).toEqual(['Same 0', 'Same 1', 'Same 2']);
    expect(await readThread(task.globalId, 'NEWEST_FIRST', 1)).toEqual(['Same 2', 'Same 1', 'Same 0']);
  });

  it('refuses a page size over the maximum and a malformed cursor', async () => {
    const task = await freshTask();
    const big = await t.graphql(TASK_THREAD, { token: team.viewer.token, variables: { id: task.globalId, first: 101 } });
    const bad = await t.graphql(TASK_THREAD, { token: team.viewer.token, variables: { id: task.globalId, after: 'nonsense' } });
    expect(big.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(bad.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
  });

  it('reads a thread page with the same number of statements for 5 and for 50 comments', async () => {
    const statementsFor = async (count: number) => {
      const task = await freshTask();
      await seedThread(task.id, count);
      t.resetQueryCount();
      const res = await t.graphql(TASK_THREAD, { token: team.viewer.token, variables: { id: task.globalId, first: 50 } });
      expect(res.errors).toBeUndefined();
      const edges = res.data.node.comments.edges;
      expect(edges).toHaveLength(count);
      expect(edges[0].node).toMatchObject({ author: { id: expect.any(String) }, mentions: [{ id: globalId('User', team.admin.id) }] });
      expect(edges[0].node.reactions).toEqual([expect.objectContaining({ emoji: '👍', count: 2, viewerReacted: true })]);
      return t.queryCount();
    };
    expect(await statementsFor(50)).toBe(await statementsFor(5));
  });
});
