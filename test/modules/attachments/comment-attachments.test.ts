import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { newId } from '../../../src/db/schema/columns';
import { comments } from '../../../src/db/schema/index';
import { createTeam, globalId } from '../../support/factories';
import { countRows } from '../../support/org-fixtures';
import { createProjectRow, createTaskRow } from '../../support/task-fixtures';
import { startAttachmentsApp, type AttachmentsApp } from './attachments-app';
import { ATTACHMENT, CONFIRM_UPLOAD, REQUEST_UPLOAD } from './operations';

let a: AttachmentsApp;
let team: Awaited<ReturnType<typeof createTeam>>;

beforeAll(async () => {
  a = await startAttachmentsApp();
  team = await createTeam(a.t);
});
afterAll(() => a?.close());

const COMMENT_ATTACHMENTS = `query($id: ID!) { node(id: $id) { ... on Comment { attachments { id filename downloadUrl } } } }`;

async function commentOnNewTask(authorId: string) {
  const project = await createProjectRow(a.t, team.org.id, team.admin.id);
  const task = await createTaskRow(a.t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
  const id = newId();
  await a.t.owner.db.insert(comments).values({ id, organizationId: team.org.id, taskId: task.id, authorId, body: 'See the file' });
  return { task, commentId: id, commentGlobalId: globalId('Comment', id) };
}

async function attachToComment(token: string, commentGlobalId: string) {
  const res = await a.graphql(REQUEST_UPLOAD, {
    token,
    variables: { input: { commentId: commentGlobalId, filename: 'log.txt', contentType: 'text/plain', sizeBytes: 4 } },
  });
  return res.data.requestAttachmentUpload;
}

describe('attachments on comments', () => {
  it("lets the comment's author attach a file, listed on the comment and logged in the task's feed", async () => {
    const { task, commentGlobalId } = await commentOnNewTask(team.member.id);
    const requested = await attachToComment(team.member.token, commentGlobalId);
    expect(requested.__typename).toBe('RequestAttachmentUploadSuccess');
    const { upload } = requested;
    expect((await a.fetchFile(upload.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'ok!\n' })).status).toBe(200);
    const confirmed = await a.graphql(CONFIRM_UPLOAD, { token: team.member.token, variables: { id: upload.attachment.id } });
    expect(confirmed.data.confirmAttachmentUpload.attachment.status).toBe('READY');

    const listed = await a.graphql(COMMENT_ATTACHMENTS, { token: team.viewer.token, variables: { id: commentGlobalId } });
    expect(listed.data.node.attachments).toHaveLength(1);
    expect(await (await a.fetchFile(listed.data.node.attachments[0].downloadUrl)).text()).toBe('ok!\n');

    const rawId = Buffer.from(upload.attachment.id, 'base64').toString().split(':')[1];
    const [event] = await a.t.owner.db.execute<{ task_id: string; project_id: string }>(
      sql`select task_id, project_id from activity_events where subject_id = ${rawId} and verb = 'attachment.added'`,
    );
    expect(event).toEqual({ task_id: task.id, project_id: task.projectId });

    // Deleting the comment's task hides it, and stops its download links.
    await a.t.owner.db.execute(sql`update tasks set deleted_at = now() where id = ${task.id}`);
    const hidden = await a.graphql(COMMENT_ATTACHMENTS, { token: team.viewer.token, variables: { id: commentGlobalId } });
    expect(hidden.data.node.attachments).toEqual([]);
    const node = await a.graphql(ATTACHMENT, { token: team.viewer.token, variables: { id: upload.attachment.id } });
    expect(node.data.node.downloadUrl).toBeNull();
  });

  it("refuses other members on someone else's comment, and deleted comments, writing nothing", async () => {
    const { commentGlobalId, commentId } = await commentOnNewTask(team.member.id);
    const before = await countRows(a.t, sql`select 1 from attachments`);
    expect((await attachToComment(team.admin.token, commentGlobalId)).__typename).toBe('ForbiddenError');
    await a.t.owner.db.execute(sql`update comments set deleted_at = now() where id = ${commentId}`);
    expect((await attachToComment(team.member.token, commentGlobalId)).__typename).toBe('NotFoundError');
    expect(await countRows(a.t, sql`select 1 from attachments`)).toBe(before);
  });
});
