import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeCursor } from '../../src/realtime/cursor';
import { newId } from '../../src/db/schema/columns';
import { labels, taskLabels } from '../../src/db/schema/index';
import { createTeam, globalId, type TestUser } from '../support/factories';
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

// A task's attachments are read by each execution (not among the reads subscribers share): one statement each time
// it runs. Author, reactions, mentions, the task and its subtask count are read once per event for every subscriber
// (delivery-reads.ts).
const COMMENT_ADDED = /* GraphQL */ `
  subscription ($taskId: ID!, $after: String, $withAuthor: Boolean = true) {
    commentAdded(taskId: $taskId, after: $after) {
      cursor
      comment {
        body author @include(if: $withAuthor) { name } reactions { emoji count viewerReacted users { id } } mentions { id }
        viewerCan { update delete } task { title subtaskCount attachments { id } }
      }
    }
  }
`;

type Received = {
  commentAdded: {
    cursor: string;
    comment: {
      body: string;
      author?: { name: string };
      reactions: { emoji: string; count: number; viewerReacted: boolean; users: { id: string }[] }[];
      viewerCan: { update: boolean; delete: boolean };
      task: { title: string; subtaskCount: number };
    };
  };
};

const countMatching = (texts: readonly string[], needle: string) => texts.filter((text) => text.includes(needle)).length;

async function latestCursor(): Promise<string> {
  const [row] = await t.owner.sql<{ seq: string }[]>`select coalesce(max(seq), 0) as seq from activity_events`;
  return encodeCursor(Number(row!.seq));
}

/**
 * Opens the subscriptions, then `act` (by default: posts one comment as the owner), and returns what each received,
 * how many executions it took (subtask counts read) and the statements sent meanwhile.
 */
async function fanOut(
  task: TaskFixture,
  subscribers: { user: TestUser; variables?: Record<string, unknown> }[],
  act: () => Promise<void> = () => postComment(task, `to ${subscribers.length}`),
) {
  const after = await latestCursor();
  const subscriptions: Subscription<Received>[] = [];
  for (const { user, variables } of subscribers) {
    subscriptions.push(await subscribe<Received>(t, COMMENT_ADDED, { token: user.token, variables: { taskId: task.globalId, after, ...variables } }));
  }
  try {
    t.resetQueryCount();
    await act();
    const received = await Promise.all(subscriptions.map((subscription) => subscription.next()));
    const queries = [...t.queries()];
    return { received: received.map((data) => data.commentAdded), executions: countMatching(queries, 'from "attachments"'), queries };
  } finally {
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
  }
}

/** Asks for nothing back, so every statement counted after it is the fan-out's. */
async function postComment(task: TaskFixture, body: string, token = team.owner.token) {
  const posted = await t.graphql(`mutation ($input: AddCommentInput!) { addComment(input: $input) { __typename } }`, {
    token,
    variables: { input: { taskId: task.globalId, body } },
  });
  expect(posted.data?.addComment.__typename).toBe('AddCommentSuccess');
}

describe('subscriptions sharing one execution per event', () => {
  it('executes once for every subscription of one credential with the same operation, whatever their resume cursors', async () => {
    const one = await fanOut(await freshTask(), [{ user: team.member }]);
    expect(one.executions).toBe(1);

    // Four tabs of one session: two resume from a cursor, two do not (the cursor only says where a stream starts).
    const tabs = await fanOut(await freshTask(), [
      { user: team.member },
      { user: team.member },
      { user: team.member, variables: { after: null } },
      { user: team.member, variables: { after: null } },
    ]);
    expect(tabs.executions).toBe(1);
    expect(tabs.received.map((event) => event.comment.body)).toEqual(['to 4', 'to 4', 'to 4', 'to 4']);
    expect(new Set(tabs.received.map((event) => event.cursor)).size).toBe(1);
  });

  it('executes per viewer: each sees what they may do, never what another may', async () => {
    const { received, executions } = await fanOut(await freshTask(), [{ user: team.member }, { user: team.owner }, { user: team.viewer }]);
    expect(executions).toBe(3);
    // The owner wrote the comment: only they may edit it; they and no one else here may delete it (the admin is not subscribed).
    expect(received.map((event) => event.comment.viewerCan)).toEqual([
      { update: false, delete: false },
      { update: true, delete: true },
      { update: false, delete: false },
    ]);
  });

  it('executes per set of variables the selection uses', async () => {
    const { received, executions } = await fanOut(await freshTask(), [
      { user: team.member, variables: { withAuthor: true } },
      { user: team.member, variables: { withAuthor: false } },
      { user: team.member },
    ]);
    // `withAuthor: true` and the default are different variables, so three executions.
    expect(executions).toBe(3);
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

describe('reads shared by the subscribers of one event', () => {
  const REACT = `mutation ($id: ID!, $emoji: String!) { addReaction(commentId: $id, emoji: $emoji) { __typename } }`;
  const COMMENT_UPDATED = COMMENT_ADDED.replace('commentAdded', 'commentUpdated');

  it('reads author, reactions, mentions and subtask counts once per event, however many viewers, each seeing their own', async () => {
    const task = await freshTask();
    const [two, four] = [
      await fanOut(task, [{ user: team.member }, { user: team.viewer }]),
      await fanOut(task, [{ user: team.member }, { user: team.viewer }, { user: team.admin }, { user: team.owner }]),
    ];
    expect(two.executions).toBe(2);
    expect(four.executions).toBe(4);
    for (const table of ['"users"', '"comment_reactions"', '"comment_mentions"', 'as parent(id)']) {
      expect(countMatching(two.queries, table)).toBe(countMatching(four.queries, table));
    }
    expect(countMatching(four.queries, '"comment_reactions"')).toBe(1);
    expect(four.received.map((event) => event.comment.author?.name)).toEqual(Array(4).fill(team.owner.name));
    expect(four.received.map((event) => event.comment.task.title)).toEqual(Array(4).fill(task.title));

    // A reaction by the member: every subscriber gets the same counts, and only the member has reacted.
    const commentId = await t.owner.sql<{ id: string }[]>`select id from comments where task_id = ${task.id} order by created_at limit 1`;
    const { received } = await fanOutUpdated(task, [team.member, team.viewer, team.admin], async () => {
      const reacted = await t.graphql(REACT, { token: team.member.token, variables: { id: globalId('Comment', commentId[0]!.id), emoji: '🎉' } });
      expect(reacted.data?.addReaction.__typename).toBe('AddReactionSuccess');
    });
    expect(received.map((event) => event.comment.reactions)).toEqual([
      [{ emoji: '🎉', count: 1, viewerReacted: true, users: [{ id: globalId('User', team.member.id) }] }],
      [{ emoji: '🎉', count: 1, viewerReacted: false, users: [{ id: globalId('User', team.member.id) }] }],
      [{ emoji: '🎉', count: 1, viewerReacted: false, users: [{ id: globalId('User', team.member.id) }] }],
    ]);
  });

  it('board updates read labels and subtasks once per event, and each viewer still gets them', async () => {
    const parent = await freshTask();
    const child = await createTaskRow(t, { organizationId: team.org.id, projectId, createdBy: team.owner.id, parentId: parent.id });
    const labelId = newId();
    await t.owner.db.insert(labels).values({ id: labelId, organizationId: team.org.id, name: 'urgent' });
    await t.owner.db.insert(taskLabels).values({ organizationId: team.org.id, taskId: parent.id, labelId });
    const BOARD = `subscription ($projectId: ID!, $after: String) {
      taskChanged(projectId: $projectId, after: $after) { task { title labels { name } subtasks { id } subtaskCount } }
    }`;
    const boardFanOut = async (users: TestUser[], title: string) => {
      const after = await latestCursor();
      const subscriptions = await Promise.all(
        users.map((user) => subscribe<{ taskChanged: { task: { title: string; labels: { name: string }[]; subtasks: { id: string }[] } } }>(
          t, BOARD, { token: user.token, variables: { projectId: globalId('Project', projectId), after } },
        )),
      );
      try {
        t.resetQueryCount();
        const renamed = await t.graphql(`mutation ($id: ID!, $title: String!) { updateTask(id: $id, input: { title: $title }) { __typename } }`, {
          token: team.owner.token,
          variables: { id: parent.globalId, title },
        });
        expect(renamed.data?.updateTask.__typename).toBe('UpdateTaskSuccess');
        const received = await Promise.all(subscriptions.map((subscription) => subscription.next()));
        return { tasks: received.map((data) => data.taskChanged.task), queries: [...t.queries()] };
      } finally {
        await Promise.all(subscriptions.map((subscription) => subscription.close()));
      }
    };
    const two = await boardFanOut([team.member, team.viewer], 'renamed for two');
    const four = await boardFanOut([team.member, team.viewer, team.admin, team.owner], 'renamed for four');
    // Labels, subtasks and subtask counts: one statement each per event, for two viewers as for four.
    for (const read of ['"task_labels"', 'order by "tasks"."parent_id"', 'as parent(id)']) {
      expect(countMatching(two.queries, read)).toBe(1);
      expect(countMatching(four.queries, read)).toBe(1);
    }
    expect(four.tasks).toEqual(
      Array(4).fill({ title: 'renamed for four', labels: [{ name: 'urgent' }], subtasks: [{ id: child.globalId }], subtaskCount: 1 }),
    );
  });

  /** As fanOut, for commentUpdated. */
  async function fanOutUpdated(task: TaskFixture, users: TestUser[], act: () => Promise<void>) {
    const after = await latestCursor();
    const subscriptions = await Promise.all(
      users.map((user) => subscribe<{ commentUpdated: Received['commentAdded'] }>(t, COMMENT_UPDATED, { token: user.token, variables: { taskId: task.globalId, after } })),
    );
    try {
      await act();
      const received = await Promise.all(subscriptions.map((subscription) => subscription.next()));
      return { received: received.map((data) => data.commentUpdated) };
    } finally {
      await Promise.all(subscriptions.map((subscription) => subscription.close()));
    }
  }
});
