import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { addMember, createTeam, createUser, globalId } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { countRows } from '../../support/org-fixtures';
import { createProjectRow, createTaskRow, type ProjectFixture, type TaskFixture } from '../../support/task-fixtures';
import { ADD, addComment, DELETE, mention, PROJECT_THREAD, TASK_THREAD, UPDATE, writeCounts } from './operations';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;
let task: TaskFixture;

beforeAll(async () => {
  t = await startTestApp();
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
  task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
});
afterAll(() => t?.close());

async function freshTask() {
  return createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
}

const activityOf = (commentGlobalId: string) => {
  const id = Buffer.from(commentGlobalId, 'base64').toString().split(':')[1]!;
  return t.owner.db.execute<{ verb: string; task_id: string | null; project_id: string | null; actor_id: string; changes: unknown }>(
    sql`select verb, task_id, project_id, actor_id, changes from activity_events where subject_id = ${id} order by created_at, verb`,
  );
};

const notificationsOf = (commentGlobalId: string) => {
  const id = Buffer.from(commentGlobalId, 'base64').toString().split(':')[1]!;
  return t.owner.db.execute<{ recipient_id: string; kind: string }>(
    sql`select recipient_id, kind from notifications where comment_id = ${id} order by kind, recipient_id`,
  );
};

describe('addComment', () => {
  it('lets a member comment on a task, trimmed, and records activity on the task and project feeds', async () => {
    const comment = await addComment(t, team.member.token, { taskId: task.globalId, body: '  Looks good to me  ' });
    expect(comment).toMatchObject({
      body: 'Looks good to me',
      isDeleted: false,
      editedAt: null,
      author: { id: globalId('User', team.member.id) },
      task: { id: task.globalId },
      project: null,
      viewerCan: { update: true, delete: true, react: true },
    });
    const activity = await activityOf(comment.id);
    expect(activity).toEqual([{ verb: 'comment.created', task_id: task.id, project_id: project.id, actor_id: team.member.id, changes: {} }]);
    const [watch] = await t.owner.db.execute<{ reason: string; watching: boolean }>(
      sql`select reason, watching from task_watchers where task_id = ${task.id} and user_id = ${team.member.id}`,
    );
    expect(watch).toEqual({ reason: 'commenter', watching: true });
  });

  it('comments on a project: only the project thread shows it, and its activity has no task', async () => {
    const other = await createProjectRow(t, team.org.id, team.owner.id);
    const otherTask = await createTaskRow(t, { organizationId: team.org.id, projectId: other.id, createdBy: team.owner.id });
    const comment = await addComment(t, team.member.token, { projectId: other.globalId, body: 'Kick-off notes' });
    await addComment(t, team.member.token, { taskId: otherTask.globalId, body: 'On a task of the project' });
    expect(comment).toMatchObject({ project: { id: other.globalId }, task: null });
    const thread = await t.graphql(PROJECT_THREAD, { token: team.viewer.token, variables: { id: other.globalId } });
    expect(thread.data.node.comments.edges.map((e: any) => e.node.body)).toEqual(['Kick-off notes']);
    expect(await activityOf(comment.id)).toMatchObject([{ verb: 'comment.created', task_id: null, project_id: other.id }]);
  });

  it('refuses a viewer (they read and react, but do not comment) and writes nothing', async () => {
    const before = await writeCounts(t);
    const res = await t.graphql(ADD, { token: team.viewer.token, variables: { input: { taskId: task.globalId, body: 'Hi' } } });
    expect(res.data.addComment).toMatchObject({ __typename: 'ForbiddenError' });
    expect(await writeCounts(t)).toEqual(before);
  });

  it.each([
    ['an empty body', ''],
    ['a blank body', ' \n\t '],
    ['a body over 20000 characters', 'x'.repeat(20_001)],
  ])('refuses %s with a ValidationError on input.body and writes nothing', async (_case, body) => {
    const before = await writeCounts(t);
    const res = await t.graphql(ADD, { token: team.member.token, variables: { input: { taskId: task.globalId, body } } });
    expect(res.data.addComment.__typename).toBe('ValidationError');
    expect(res.data.addComment.issues[0].path).toEqual(['input', 'body']);
    expect(await writeCounts(t)).toEqual(before);
  });

  it('accepts a body of exactly 20000 characters', async () => {
    const comment = await addComment(t, team.member.token, { taskId: task.globalId, body: 'y'.repeat(20_000) });
    expect(comment.body).toHaveLength(20_000);
  });

  it('wants exactly one of taskId and projectId', async () => {
    const both = await t.graphql(ADD, {
      token: team.member.token,
      variables: { input: { taskId: task.globalId, projectId: project.globalId, body: 'Both' } },
    });
    const neither = await t.graphql(ADD, { token: team.member.token, variables: { input: { body: 'Neither' } } });
    expect(both.data.addComment.__typename).toBe('ValidationError');
    expect(neither.data.addComment.__typename).toBe('ValidationError');
  });

  it("answers NotFound for another organization's task or project, and writes nothing", async () => {
    const stranger = await createTeam(t);
    const before = await writeCounts(t);
    for (const input of [{ taskId: task.globalId }, { projectId: project.globalId }]) {
      const res = await t.graphql(ADD, { token: stranger.member.token, variables: { input: { ...input, body: 'Sneaky' } } });
      expect(res.data.addComment.__typename).toBe('NotFoundError');
    }
    expect(await writeCounts(t)).toEqual(before);
  });

  it('answers NotFound for a deleted task', async () => {
    const gone = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id, deletedAt: new Date() });
    const res = await t.graphql(ADD, { token: team.member.token, variables: { input: { taskId: gone.globalId, body: 'Hello?' } } });
    expect(res.data.addComment.__typename).toBe('NotFoundError');
  });

  it('returns the same comment when retried with the same client id, with one row and one activity', async () => {
    const id = '0190f5d2-2222-7000-8000-000000000001';
    const input = { taskId: task.globalId, body: 'Once only', id };
    const first = await addComment(t, team.member.token, input);
    const second = await addComment(t, team.member.token, input);
    expect(second.id).toBe(first.id);
    expect(first.id).toBe(globalId('Comment', id));
    expect(await countRows(t, sql`select 1 from comments where id = ${id}`)).toBe(1);
    expect(await activityOf(first.id)).toHaveLength(1);
    const taken = await t.graphql(ADD, { token: team.admin.token, variables: { input } });
    expect(taken.data.addComment.__typename).toBe('ConflictError');
  });
});

describe('mentions', () => {
  it('records mentions by global id or UUID, notifies them once, and tells the other watchers', async () => {
    const thread = await freshTask();
    // The owner and the admin watch the task; the admin is also mentioned, so gets only 'mentioned'.
    await t.owner.db.execute(
      sql`insert into task_watchers (organization_id, task_id, user_id, reason) values
          (${team.org.id}, ${thread.id}, ${team.owner.id}, 'manual'), (${team.org.id}, ${thread.id}, ${team.admin.id}, 'manual')`,
    );
    const body = `Ping ${mention(team.admin)} and ${mention(team.viewer, 'uuid')} (again ${mention(team.admin, 'uuid')})`;
    const comment = await addComment(t, team.member.token, { taskId: thread.globalId, body });
    expect(comment.body).toBe(body);
    expect(comment.mentions.map((u: any) => u.id).sort()).toEqual([globalId('User', team.admin.id), globalId('User', team.viewer.id)].sort());
    const byKindThenRecipient = (a: { kind: string; recipient_id: string }, b: { kind: string; recipient_id: string }) =>
      a.kind.localeCompare(b.kind) || a.recipient_id.localeCompare(b.recipient_id);
    expect([...(await notificationsOf(comment.id))].sort(byKindThenRecipient)).toEqual(
      [
        { recipient_id: team.owner.id, kind: 'commented' },
        { recipient_id: team.admin.id, kind: 'mentioned' },
        { recipient_id: team.viewer.id, kind: 'mentioned' },
      ].sort(byKindThenRecipient),
    );
  });

  it('does not notify the commenter who mentions themselves', async () => {
    const comment = await addComment(t, team.member.token, { taskId: (await freshTask()).globalId, body: `Note to ${mention(team.member)}` });
    expect(comment.mentions).toHaveLength(1);
    expect(await notificationsOf(comment.id)).toEqual([]);
  });

  it('refuses a mention of a non-member, naming it, and writes nothing', async () => {
    const before = await writeCounts(t);
    const token = mention(team.outsider);
    const res = await t.graphql(ADD, { token: team.member.token, variables: { input: { taskId: task.globalId, body: `Hey ${token}` } } });
    expect(res.data.addComment.__typename).toBe('ValidationError');
    expect(res.data.addComment.issues[0]).toMatchObject({ path: ['input', 'body'] });
    expect(res.data.addComment.issues[0].message).toContain(token);
    expect(await writeCounts(t)).toEqual(before);
  });

  it('refuses a mention of a removed member', async () => {
    const leaver = await createUser(t);
    await addMember(t, team.org.id, leaver, 'member');
    await t.owner.db.execute(sql`update organization_members set deleted_at = now() where user_id = ${leaver.id}`);
    const res = await t.graphql(ADD, { token: team.member.token, variables: { input: { taskId: task.globalId, body: mention(leaver) } } });
    expect(res.data.addComment.__typename).toBe('ValidationError');
  });

  it('refuses a mention whose id is not a user id', async () => {
    const res = await t.graphql(ADD, {
      token: team.member.token,
      variables: { input: { taskId: task.globalId, body: `See @[the task](user:${task.globalId})` } },
    });
    expect(res.data.addComment.__typename).toBe('ValidationError');
    expect(res.data.addComment.issues[0].message).toContain('does not name a user');
  });
});

describe('updateComment', () => {
  it('lets the author edit, keeping earlier bodies newest last, and notifies only new mentions', async () => {
    const comment = await addComment(t, team.member.token, { taskId: (await freshTask()).globalId, body: `v1 ${mention(team.admin)}` });
    const second = await t.graphql(UPDATE, { token: team.member.token, variables: { id: comment.id, body: `v2 ${mention(team.admin)}` } });
    const third = await t.graphql(UPDATE, {
      token: team.member.token,
      variables: { id: comment.id, body: `  v3 ${mention(team.owner)}  ` },
    });
    expect(second.data.updateComment.__typename).toBe('UpdateCommentSuccess');
    const edited = third.data.updateComment.comment;
    expect(edited.body).toBe(`v3 ${mention(team.owner)}`);
    expect(edited.editedAt).not.toBeNull();
    expect(edited.revisions.map((r: any) => r.body)).toEqual([`v1 ${mention(team.admin)}`, `v2 ${mention(team.admin)}`]);
    expect(edited.mentions).toEqual([{ id: globalId('User', team.owner.id) }]);
    const notified = await notificationsOf(comment.id);
    expect(notified.map((n) => `${n.kind}:${n.recipient_id}`).sort()).toEqual([`mentioned:${team.admin.id}`, `mentioned:${team.owner.id}`].sort());
    expect((await activityOf(comment.id)).map((a) => a.verb)).toEqual(['comment.created', 'comment.updated', 'comment.updated']);
  });

  it('refuses anyone but the author (an admin too) and writes nothing', async () => {
    const comment = await addComment(t, team.member.token, { taskId: task.globalId, body: 'Mine' });
    const before = await writeCounts(t);
    for (const user of [team.admin, team.owner, team.viewer]) {
      const res = await t.graphql(UPDATE, { token: user.token, variables: { id: comment.id, body: 'Theirs' } });
      expect(res.data.updateComment.__typename).toBe('ForbiddenError');
    }
    const stranger = await createTeam(t);
    const res = await t.graphql(UPDATE, { token: stranger.owner.token, variables: { id: comment.id, body: 'Theirs' } });
    expect(res.data.updateComment.__typename).toBe('NotFoundError');
    expect(await writeCounts(t)).toEqual(before);
  });

  it('refuses an invalid body or a non-member mention without keeping a revision', async () => {
    const comment = await addComment(t, team.member.token, { taskId: task.globalId, body: 'Stable' });
    const before = await writeCounts(t);
    const empty = await t.graphql(UPDATE, { token: team.member.token, variables: { id: comment.id, body: '   ' } });
    const stranger = await t.graphql(UPDATE, { token: team.member.token, variables: { id: comment.id, body: mention(team.outsider) } });
    expect(empty.data.updateComment.__typename).toBe('ValidationError');
    expect(stranger.data.updateComment.__typename).toBe('ValidationError');
    expect(await writeCounts(t)).toEqual(before);
  });

  it('keeps no revision when the body does not change', async () => {
    const comment = await addComment(t, team.member.token, { taskId: task.globalId, body: 'Same' });
    const res = await t.graphql(UPDATE, { token: team.member.token, variables: { id: comment.id, body: 'Same ' } });
    expect(res.data.updateComment.comment).toMatchObject({ editedAt: null, revisions: [] });
  });
});

describe('deleteComment', () => {
  it('lets the author delete; the thread still shows the comment, as deleted and without its content', async () => {
    const thread = await freshTask();
    const comment = await addComment(t, team.member.token, { taskId: thread.globalId, body: `Secret ${mention(team.admin)}` });
    await t.graphql(UPDATE, { token: team.member.token, variables: { id: comment.id, body: 'Secret, edited' } });
    const res = await t.graphql(DELETE, { token: team.member.token, variables: { id: comment.id } });
    expect(res.data.deleteComment.comment).toMatchObject({ isDeleted: true, body: null });
    const page = await t.graphql(TASK_THREAD, { token: team.viewer.token, variables: { id: thread.globalId } });
    const [edge] = page.data.node.comments.edges;
    expect(edge.node).toMatchObject({
      id: comment.id,
      isDeleted: true,
      body: null,
      revisions: [],
      mentions: [],
      reactions: [],
      viewerCan: { update: false, delete: false, react: false },
    });
    expect(edge.node.deletedAt).not.toBeNull();
    expect((await activityOf(comment.id)).map((a) => a.verb)).toContain('comment.deleted');
  });

  it("lets an admin delete someone else's comment but not another member", async () => {
    const comment = await addComment(t, team.member.token, { taskId: task.globalId, body: 'Moderate me' });
    const other = await createUser(t);
    await addMember(t, team.org.id, other, 'member');
    const before = await writeCounts(t);
    const refused = await t.graphql(DELETE, { token: other.token, variables: { id: comment.id } });
    expect(refused.data.deleteComment.__typename).toBe('ForbiddenError');
    expect(await writeCounts(t)).toEqual(before);
    const done = await t.graphql(DELETE, { token: team.admin.token, variables: { id: comment.id } });
    expect(done.data.deleteComment.comment.isDeleted).toBe(true);
  });

  it('takes no edits once deleted', async () => {
    const comment = await addComment(t, team.member.token, { taskId: task.globalId, body: 'Short-lived' });
    await t.graphql(DELETE, { token: team.member.token, variables: { id: comment.id } });
    const edit = await t.graphql(UPDATE, { token: team.member.token, variables: { id: comment.id, body: 'Back' } });
    const again = await t.graphql(DELETE, { token: team.member.token, variables: { id: comment.id } });
    expect(edit.data.updateComment.__typename).toBe('NotFoundError');
    expect(again.data.deleteComment.__typename).toBe('NotFoundError');
  });
});
