import { mkdirSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTeam } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';
import { createProjectRow, createTaskRow, type TaskFixture } from '../support/task-fixtures';
import { keepPageOffline, launchChromium } from './graphiql-page';

const SCREENSHOT = 'test-results/graphiql-live-comment.png';
const ADD_COMMENT = `mutation ($input: AddCommentInput!) {
  addComment(input: $input) { __typename ... on AddCommentSuccess { comment { body } } }
}`;

let t: TestApp;
let url: string;
let team: Awaited<ReturnType<typeof createTeam>>;
let task: TaskFixture;
let browser: Browser | undefined;

beforeAll(async () => {
  t = await startTestApp();
  ({ url } = await t.app.start(0, '127.0.0.1'));
  team = await createTeam(t);
  const project = await createProjectRow(t, team.org.id, team.owner.id);
  task = await createTaskRow(t, { organizationId: team.org.id, projectId: project.id, createdBy: team.owner.id });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Replaces the headers editor's text the way a person would: open it, focus, select all, type. */
async function fillHeadersEditor(page: Page, text: string) {
  await page.getByRole('button', { name: /headers/i }).click();
  await page.locator('.monaco-editor[data-uri$="-headers.json"]').click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Delete');
  // insertText types it in one go, without Monaco's auto-closed brackets doubling ours.
  await page.keyboard.insertText(text);
}

/** Resolves once the page has sent a graphql-ws `subscribe` message. */
function subscribeFrameSent(page: Page): Promise<unknown> {
  return new Promise((resolve) => {
    page.on('websocket', (socket) =>
      socket.on('framesent', ({ payload }) => {
        const message = typeof payload === 'string' ? JSON.parse(payload) : null;
        if (message?.type === 'subscribe') resolve(message);
      }),
    );
  });
}

/** The result pane's text (Monaco renders spaces as no-break spaces). */
const responseText = async (page: Page) => (await page.locator('.graphiql-response').innerText()).replace(/\u00a0/g, ' ');

/** Waits up to 1.5 s for the result pane to show `text`; false if not, and at once if it shows an error. */
async function paneShows(page: Page, text: string): Promise<boolean> {
  const deadline = Date.now() + 1500;
  while (Date.now() < deadline) {
    const pane = await responseText(page);
    if (pane.includes(text)) return true;
    if (pane.includes('"errors"')) return false;
    await page.waitForTimeout(100);
  }
  return false;
}

it('GraphiQL shows a comment posted over HTTP while its commentAdded subscription runs', async () => {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  const network = await keepPageOffline(page);
  const subscription = `subscription {\n  commentAdded(taskId: "${task.globalId}") {\n    comment { body }\n    cursor\n  }\n}`;
  // GraphiQL takes the initial query from ?query= (Yoga's GraphiQL keeps it in the URL).
  await page.goto(`${url}?query=${encodeURIComponent(subscription)}`, { waitUntil: 'domcontentloaded' });
  try {
    await page.locator('.graphiql-execute-button').waitFor({ timeout: 15_000 });
  } catch (error) {
    throw new Error(`GraphiQL did not render; refused off-machine requests: ${network.refused.join(', ') || 'none'}`, { cause: error });
  }
  // Served entirely by the API: GraphiQL must work on a machine with no internet.
  expect(network.refused).toEqual([]);

  // The viewer's credential goes into the headers editor, as a person would paste it.
  await fillHeadersEditor(page, JSON.stringify({ Authorization: `Bearer ${team.member.token}` }));
  const subscribed = subscribeFrameSent(page);
  await page.locator('.graphiql-execute-button').click();
  await subscribed;

  let body = '';
  try {
    // A live-only subscription sees what is published once the server has subscribed, a moment after the
    // subscribe message: post until one shows (as a person would), each comment with its own body.
    for (let attempt = 1; attempt <= 5; attempt++) {
      body = `Live from the API, comment ${attempt}`;
      const posted = await t.graphql(ADD_COMMENT, { variables: { input: { taskId: task.globalId, body } }, token: team.owner.token });
      expect(posted.data?.addComment).toEqual({ __typename: 'AddCommentSuccess', comment: { body } });
      if ((await paneShows(page, body)) || (await responseText(page)).includes('"errors"')) break;
    }
  } finally {
    // Kept also when it fails: the picture shows what GraphiQL showed.
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
  }
  const result = JSON.parse(await responseText(page));
  expect(result.errors, 'errors in GraphiQL’s result pane').toBeUndefined();
  expect(result.data.commentAdded.comment.body).toBe(body);
  expect(result.data.commentAdded.cursor).toEqual(expect.any(String));
});
