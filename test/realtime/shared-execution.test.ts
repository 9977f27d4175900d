import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/realtime/cursor';
import { createTeam, type TestUser } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { createProjectRow, createTaskRow, type TaskFixture } from '../support/task-fixtures';
import { subscribe, type Subscription } from '../modules/comments/subscription-client';

let t: TestApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let projectId: string;

beforeAll(async () => {
  t = await startTestApp();
  await t.app.startRealtime();
  team = await createTeam(t);
  projectId = (await createProjectRow(t, team.org.id, team.owner.id)).id;
});
afterAll(() => t?.close());

const freshTask = () => createTaskRow(t, { organizationId: team.org.id, projectId, createdBy: team.owner.id });

// Reactions are loaded per execution (a loader of the subscription's own context): one statement each time it runs.
const COMMENT_ADDED = /* GraphQL */ `
  subscription ($taskId: ID!, $after: String, $withAuthor: Boolean = true) {
    commentAdded(taskId: $taskId, after: $after) {
      cursor
      comment { body author @include(if: $withAuthor) { name } reactions { emoji } viewerCan { update delete } }
    }
  }
`;

type Received = { commentAdded: { cursor: string; comment: { body: string; author?: { name: string }; viewerCan: { update: boolean; delete: boolean } } } };

async function latestCursor(): Promise<string> {
  const [row] = await t.owner.sql<{ seq: string }[]>`select coalesce(max(seq), 0) as seq from activity_events`;
  return encodeCursor(Number(row!.seq));
}

/** Opens the subscriptions, posts one comment as the owner, and returns what each received and the reaction loads it cost. */
async function fanOut(task: TaskFixture, subscribers: { user: TestUser; variables?: Record<string, unknown> }[]) {
  const after = await latestCursor();
  const subscriptions: Subscription<Received>[] = [];
  for (const { user, variables } of subscribers) {
    subscriptions.push(await subscribe<Received>(t, COMMENT_ADDED, { token: user.token, variables: { taskId: task.globalId, after, ...variables } }));
  }
  try {
    t.resetQueryCount();
    // Asks for nothing back, so every reaction load counted is a subscription's.
    const posted = await t.graphql(`mutation ($input: AddCommentInput!) { addComment(input: $input) { __typename } }`, {
      token: team.owner.token,
      variables: { input: { taskId: task.globalId, body: `to ${subscribers.length}` } },
    });
    expect(posted.data?.addComment.__typename).toBe('AddCommentSuccess');
    const received = await Promise.all(subscriptions.map((subscription) => subscription.next()));
    const reactionLoads = t.queries().filter((text) => text.includes('"comment_reactions"')).length;
    return { received: received.map((data) => data.commentAdded), reactionLoads };
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  }
}

describe('subscriptions sharing one execution per event', () => {
  it('executes once for every subscription of one credential with the same operation, whatever their resume cursors', async () => {
    const one = await fanOut(await freshTask(), [{ user: team.member }]);
    expect(one.reactionLoads).toBe(1);

    // Four tabs of one session: two resume from a cursor, two do not (the cursor only says where a stream starts).
    const tabs = await fanOut(await freshTask(), [
      { user: team.member },
      { user: team.member },
      { user: team.member, variables: { after: null } },
      { user: team.member, variables: { after: null } },
    ]);
    expect(tabs.reactionLoads).toBe(1);
    expect(tabs.received.map((event) => event.comment.body)).toEqual(['to 4', 'to 4', 'to 4', 'to 4']);
    expect(new Set(tabs.received.map((event) => event.cursor)).size).toBe(1);
  });

  it('executes per viewer: each sees what they may do, never what another may', async () => {
    const { received, reactionLoads } = await fanOut(await freshTask(), [{ user: team.member }, { user: team.owner }, { user: team.viewer }]);
    expect(reactionLoads).toBe(3);
    // The owner wrote the comment: only they may edit it; they and no one else here may delete it (the admin is not subscribed).
    expect(received.map((event) => event.comment.viewerCan)).toEqual([
      { update: false, delete: false },
      { update: true, delete: true },
      { update: false, delete: false },
    ]);
  });

  it('executes per set of variables the selection uses', async () => {
    const { received, reactionLoads } = await fanOut(await freshTask(), [
      { user: team.member, variables: { withAuthor: true } },
      { user: team.member, variables: { withAuthor: false } },
      { user: team.member },
    ]);
    // `withAuthor: true` and the default are different variables, so three executions.
    expect(reactionLoads).toBe(3);
    expect(received.map((event) => event.comment.author?.name ?? null)).toEqual([team.owner.name, null, team.owner.name]);
  });

  it('refuses variables that do not fit the operation before anything starts, coded as bad input', async () => {
    const response = await t.app.yoga.fetch('http://test/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/event-stream', authorization: `Bearer ${team.member.token}` },
      body: JSON.stringify({ query: COMMENT_ADDED, variables: { taskId: 'x', withAuthor: 'not a boolean' } }),
    });
    const text = await response.text();
    const data = JSON.parse(/^data: (.*)$/m.exec(text)![1]!);
    expect(data.errors[0].message).toContain('$withAuthor');
    expect(data.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
