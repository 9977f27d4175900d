import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../../src/realtime/cursor';
import { createTeam } from '../../support/factories';
import { startTestApp, type TestApp } from '../../support/harness';
import { createProjectRow, createTaskRow, type ProjectFixture } from '../../support/task-fixtures';
import { addComment, DELETE, REACT, UPDATE } from './operations';
import { subscribe } from './subscription-client';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let project: ProjectFixture;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.startRealtime();
  team = await createTeam(t);
  project = await createProjectRow(t, team.org.id, team.owner.id);
});
afterAll(() => t?.close());

const freshTask = () => createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });

const subscription = (name: 'commentAdded' | 'commentUpdated' | 'commentDeleted') => /* GraphQL */ `
  subscription($taskId: ID, $projectId: ID, $after: String) {
    ${name}(taskId: $taskId, projectId: $projectId, after: $after) { cursor comment { id body isDeleted reactions { emoji count } } }
  }
`;

/** Replays a thread from its very beginning. */
const FROM_THE_START = encodeCursor(0);

describe('commentAdded', () => {
  it('resumes after a disconnect with exactly the comments missed, in order, without duplicates', async () => {
    const task = await freshTask();
    await addComment(t, team.member.token, { taskId: task.globalId, body: 'first' });
    const before = await subscribe(t, subscription('commentAdded'), {
      token: team.viewer.token,
      variables: { taskId: task.globalId, after: FROM_THE_START },
    });
    const first = (await before.next()).commentAdded;
    expect(first.comment.body).toBe('first');
    await before.close();

    const posted: string[] = [];
    for (let i = 1; i <= 100; i++) {
      posted.push(`missed ${i}`);
      await addComment(t, team.member.token, { taskId: task.globalId, body: `missed ${i}` });
    }

    const resumed = await subscribe(t, subscription('commentAdded'), {
      token: team.viewer.token,
      variables: { taskId: task.globalId, after: first.cursor },
    });
    const received: { cursor: string; comment: { body: string } }[] = [];
    for (let i = 0; i < 100; i++) received.push((await resumed.next()).commentAdded);
    expect(received.map((event) => event.comment.body)).toEqual(posted);
    expect(new Set(received.map((event) => event.cursor)).size).toBe(100);

    // The stream then continues live, with nothing replayed twice in between.
    await addComment(t, team.member.token, { taskId: task.globalId, body: 'live' });
    expect((await resumed.next()).commentAdded.comment.body).toBe('live');
    await resumed.close();
  }, 90_000);

  it("follows a project's own comments only, not its tasks'", async () => {
    const other = await createProjectRow(t, team.org.id, team.owner.id);
    const task = await createTaskRow(t, { organizationId: team.org.id, projectId: other.id, createdBy: team.owner.id });
    await addComment(t, team.member.token, { taskId: task.globalId, body: 'on the task' });
    await addComment(t, team.member.token, { projectId: other.globalId, body: 'on the project' });
    const stream = await subscribe(t, subscription('commentAdded'), {
      token: team.viewer.token,
      variables: { projectId: other.globalId, after: FROM_THE_START },
    });
    expect((await stream.next()).commentAdded.comment.body).toBe('on the project');
    await addComment(t, team.member.token, { taskId: task.globalId, body: 'on the task, live' });
    await addComment(t, team.member.token, { projectId: other.globalId, body: 'on the project, live' });
    expect((await stream.next()).commentAdded.comment.body).toBe('on the project, live');
    await stream.close();
  });

  it("refuses another organization's task, and wants exactly one of taskId and projectId", async () => {
    const task = await freshTask();
    const stranger = await createTeam(t);
    const outside = await subscribe(t, subscription('commentAdded'), { token: stranger.owner.token, variables: { taskId: task.globalId } });
    await expect(outside.next()).rejects.toThrow(/NOT_FOUND|not found/);
    const both = await subscribe(t, subscription('commentAdded'), {
      token: team.viewer.token,
      variables: { taskId: task.globalId, projectId: project.globalId },
    });
    await expect(both.next()).rejects.toThrow(/exactly one/);
  });
});

describe('commentUpdated and commentDeleted', () => {
  it('deliver edits, reactions and deletes of the thread, a deleted comment without its body', async () => {
    const task = await freshTask();
    const comment = await addComment(t, team.member.token, { taskId: task.globalId, body: 'draft' });
    const updates = await subscribe(t, subscription('commentUpdated'), {
      token: team.viewer.token,
      variables: { taskId: task.globalId, after: FROM_THE_START },
    });
    const deletes = await subscribe(t, subscription('commentDeleted'), {
      token: team.viewer.token,
      variables: { taskId: task.globalId, after: FROM_THE_START },
    });
    await t.graphql(UPDATE, { token: team.member.token, variables: { id: comment.id, body: 'final' } });
    await t.graphql(REACT, { token: team.viewer.token, variables: { id: comment.id, emoji: '✅' } });
    await t.graphql(DELETE, { token: team.member.token, variables: { id: comment.id } });

    // Each event carries the comment as it is when delivered; replay and live may interleave, so only the order is asserted.
    const edited = (await updates.next()).commentUpdated;
    const reacted = (await updates.next()).commentUpdated;
    expect(edited.comment.id).toBe(comment.id);
    expect(reacted.comment.id).toBe(comment.id);
    expect(reacted.cursor).not.toBe(edited.cursor);
    const deleted = (await deletes.next()).commentDeleted;
    expect(deleted.comment).toMatchObject({ id: comment.id, isDeleted: true, body: null, reactions: [] });
    await updates.close();
    await deletes.close();
  });
});
