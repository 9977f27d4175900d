import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createOrganization, createTeam, createUser, globalId } from '../../support/factories';
import { countRows } from '../../support/org-fixtures';
import { createProjectRow, createTaskRow, type TaskFixture } from '../../support/task-fixtures';
import { startAttachmentsApp, type AttachmentsApp } from './attachments-app';
import { ATTACHMENT, CONFIRM_UPLOAD, DELETE_ATTACHMENT, REQUEST_UPLOAD, TASK_ATTACHMENTS } from './operations';

let a: AttachmentsApp;
let team: Awaited<ReturnType<typeof createTeam>>;
let task: TaskFixture;

beforeAll(async () => {
  a = await startAttachmentsApp();
  team = await createTeam(a.t);
  const project = await createProjectRow(a.t, team.org.id, team.admin.id);
  task = await createTaskRow(a.t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
});
afterAll(() => a?.close());

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');

const countAttachments = () => countRows(a.t, sql`select 1 from attachments`);

async function requestUpload(token: string, input: Record<string, unknown>) {
  const res = await a.graphql(REQUEST_UPLOAD, { token, variables: { input } });
  expect(res.errors).toBeUndefined();
  return res.data.requestAttachmentUpload;
}

/** Request, PUT the bytes, confirm: a ready attachment. */
async function attach(token: string, target: Record<string, unknown>, filename = 'screenshot.png', bytes = PNG) {
  const result = await requestUpload(token, { ...target, filename, contentType: 'image/png', sizeBytes: bytes.length });
  expect(result.__typename).toBe('RequestAttachmentUploadSuccess');
  const put = await a.fetchFile(result.upload.url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: bytes });
  expect(put.status).toBe(200);
  const confirmed = await a.graphql(CONFIRM_UPLOAD, { token, variables: { id: result.upload.attachment.id } });
  expect(confirmed.data.confirmAttachmentUpload.__typename).toBe('ConfirmAttachmentUploadSuccess');
  return confirmed.data.confirmAttachmentUpload.attachment as { id: string; downloadUrl: string };
}

describe('the local upload flow', () => {
  it('requests, uploads, confirms and downloads a file with its type and name, and logs it in the task feed', async () => {
    const result = await requestUpload(team.member.token, { taskId: task.globalId, filename: 'Quarterly report (final).png', contentType: 'Image/PNG', sizeBytes: PNG.length });
    expect(result.__typename).toBe('RequestAttachmentUploadSuccess');
    const { upload } = result;
    expect(upload.attachment).toMatchObject({ status: 'PENDING', contentType: 'image/png', sizeBytes: PNG.length, downloadUrl: null });
    expect(upload.method).toBe('PUT');
    expect(upload.headers).toEqual([{ name: 'Content-Type', value: 'image/png' }]);
    expect(new Date(upload.expiresAt).getTime()).toBeGreaterThan(Date.now() + 60_000);

    // Not listed before it is confirmed.
    const before = await a.graphql(TASK_ATTACHMENTS, { token: team.viewer.token, variables: { id: task.globalId } });
    expect(before.data.node.attachments).toEqual([]);

    const put = await a.fetchFile(upload.url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: PNG });
    expect(put.status).toBe(200);

    const confirmed = await a.graphql(CONFIRM_UPLOAD, { token: team.member.token, variables: { id: upload.attachment.id } });
    expect(confirmed.data.confirmAttachmentUpload.attachment).toMatchObject({ status: 'READY', uploadedBy: { id: globalId('User', team.member.id) } });

    const listed = await a.graphql(TASK_ATTACHMENTS, { token: team.viewer.token, variables: { id: task.globalId } });
    const [attachment] = listed.data.node.attachments;
    expect(attachment).toMatchObject({ id: upload.attachment.id, filename: 'Quarterly report (final).png', status: 'READY' });

    const download = await a.fetchFile(attachment.downloadUrl);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('image/png');
    expect(download.headers.get('content-disposition')).toBe(
      `attachment; filename="Quarterly report (final).png"; filename*=UTF-8''Quarterly%20report%20%28final%29.png`,
    );
    expect(download.headers.get('x-content-type-options')).toBe('nosniff');
    expect(Buffer.from(await download.arrayBuffer())).toEqual(PNG);

    const rawId = Buffer.from(upload.attachment.id, 'base64').toString().split(':')[1];
    const events = await a.t.owner.db.execute<{ verb: string; task_id: string; project_id: string; actor_id: string }>(
      sql`select verb, task_id, project_id, actor_id from activity_events where subject_id = ${rawId}`,
    );
    expect([...events]).toEqual([{ verb: 'attachment.added', task_id: task.id, project_id: task.projectId, actor_id: team.member.id }]);
  });

  it('refuses to confirm before the file arrives, and keeps the attachment pending', async () => {
    const result = await requestUpload(team.member.token, { taskId: task.globalId, filename: '  a.txt ', contentType: 'text/plain', sizeBytes: 5 });
    expect(result.upload.attachment.filename).toBe('a.txt');
    const id = result.upload.attachment.id;
    const res = await a.graphql(CONFIRM_UPLOAD, { token: team.member.token, variables: { id } });
    expect(res.data.confirmAttachmentUpload).toMatchObject({ __typename: 'ConflictError' });
    const node = await a.graphql(ATTACHMENT, { token: team.member.token, variables: { id } });
    expect(node.data.node).toMatchObject({ status: 'PENDING', downloadUrl: null });
  });

  it('lets only the uploader confirm', async () => {
    const result = await requestUpload(team.member.token, { taskId: task.globalId, filename: 'b.txt', contentType: 'text/plain', sizeBytes: 3 });
    await a.fetchFile(result.upload.url, { method: 'PUT', headers: { 'Content-Type': 'text/plain' }, body: 'abc' });
    const res = await a.graphql(CONFIRM_UPLOAD, { token: team.admin.token, variables: { id: result.upload.attachment.id } });
    expect(res.data.confirmAttachmentUpload.__typename).toBe('ForbiddenError');
  });
});

describe('requestAttachmentUpload refusals', () => {
  const refused = async (token: string, input: Record<string, unknown>) => {
    const before = await countAttachments();
    const result = await requestUpload(token, { taskId: task.globalId, filename: 'f.pdf', contentType: 'application/pdf', sizeBytes: 10, ...input });
    expect(await countAttachments()).toBe(before);
    return result;
  };

  it('refuses a file over the configured maximum on input.sizeBytes', async () => {
    const result = await refused(team.member.token, { sizeBytes: a.config.storage.maxAttachmentBytes + 1 });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues[0].path).toEqual(['input', 'sizeBytes']);
  });

  it('refuses an empty file', async () => {
    const result = await refused(team.member.token, { sizeBytes: 0 });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues[0].path).toContain('sizeBytes');
  });

  it.each(['text/html', 'application/x-msdownload', 'image/svg+xml', 'application/javascript', ''])('refuses the type %j on input.contentType', async (contentType) => {
    const result = await refused(team.member.token, { contentType });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues[0].path).toEqual(['input', 'contentType']);
  });

  it.each(['../etc/passwd', 'a\\b.txt', '', 'x'.repeat(256), 'bad\u0000name'])('refuses the filename %j', async (filename) => {
    const result = await refused(team.member.token, { filename });
    expect(result.__typename).toBe('ValidationError');
    expect(result.issues[0].path).toContain('filename');
  });

  it('wants exactly one of taskId and commentId', async () => {
    const result = await refused(team.member.token, { taskId: undefined });
    expect(result).toMatchObject({ __typename: 'ValidationError', issues: [{ path: ['input'] }] });
  });

  it("answers NotFound for another organization's task", async () => {
    const stranger = await createUser(a.t);
    const otherOrg = await createOrganization(a.t, stranger);
    const otherProject = await createProjectRow(a.t, otherOrg.id, stranger.id);
    const otherTask = await createTaskRow(a.t, { organizationId: otherOrg.id, projectId: otherProject.id, createdBy: stranger.id });
    expect((await refused(team.member.token, { taskId: otherTask.globalId })).__typename).toBe('NotFoundError');
    expect((await refused(team.outsider.token, { taskId: task.globalId })).__typename).toBe('NotFoundError');
  });

  it('refuses viewers', async () => {
    expect((await refused(team.viewer.token, {})).__typename).toBe('ForbiddenError');
  });

  it('refuses tasks of archived projects', async () => {
    const archived = await createProjectRow(a.t, team.org.id, team.admin.id, { status: 'archived' });
    const archivedTask = await createTaskRow(a.t, { organizationId: team.org.id, projectId: archived.id, createdBy: team.member.id });
    expect((await refused(team.member.token, { taskId: archivedTask.globalId })).__typename).toBe('ForbiddenError');
  });
});

describe('deleting', () => {
  it('hides the attachments of a deleted task: no list, no download link', async () => {
    const project = await createProjectRow(a.t, team.org.id, team.admin.id);
    const doomed = await createTaskRow(a.t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
    const attachment = await attach(team.member.token, { taskId: doomed.globalId });
    expect(attachment.downloadUrl).toMatch(/^\/files\/download\//);

    const deleted = await a.graphql(`mutation($id: ID!) { deleteTask(id: $id) { __typename } }`, { token: team.member.token, variables: { id: doomed.globalId } });
    expect(deleted.data.deleteTask.__typename).toBe('DeleteTaskSuccess');

    const listed = await a.graphql(TASK_ATTACHMENTS, { token: team.member.token, variables: { id: doomed.globalId } });
    expect(listed.data.node.attachments).toEqual([]);
    const node = await a.graphql(ATTACHMENT, { token: team.member.token, variables: { id: attachment.id } });
    expect(node.data.node).toMatchObject({ status: 'READY', downloadUrl: null });
    const refusedDelete = await a.graphql(DELETE_ATTACHMENT, { token: team.member.token, variables: { id: attachment.id } });
    expect(refusedDelete.data.deleteAttachment.__typename).toBe('NotFoundError');
  });

  it('lets the uploader or an admin delete an attachment (softly, logged), not another member', async () => {
    const mine = await attach(team.member.token, { taskId: task.globalId }, 'mine.png');
    const other = await createUser(a.t);
    await a.t.owner.db.execute(sql`insert into organization_members (organization_id, user_id, role) values (${team.org.id}, ${other.id}, 'member')`);

    const byOther = await a.graphql(DELETE_ATTACHMENT, { token: other.token, variables: { id: mine.id } });
    expect(byOther.data.deleteAttachment.__typename).toBe('ForbiddenError');
    const byViewer = await a.graphql(DELETE_ATTACHMENT, { token: team.viewer.token, variables: { id: mine.id } });
    expect(byViewer.data.deleteAttachment.__typename).toBe('ForbiddenError');

    const byUploader = await a.graphql(DELETE_ATTACHMENT, { token: team.member.token, variables: { id: mine.id } });
    expect(byUploader.data.deleteAttachment.attachment).toMatchObject({ id: mine.id, downloadUrl: null });
    expect(byUploader.data.deleteAttachment.attachment.deletedAt).not.toBeNull();
    const listed = await a.graphql(TASK_ATTACHMENTS, { token: team.member.token, variables: { id: task.globalId } });
    expect(listed.data.node.attachments.map((x: { id: string }) => x.id)).not.toContain(mine.id);

    const rawId = Buffer.from(mine.id, 'base64').toString().split(':')[1];
    expect(await countRows(a.t, sql`select 1 from attachments where id = ${rawId} and deleted_at is not null`)).toBe(1);
    expect(await countRows(a.t, sql`select 1 from activity_events where subject_id = ${rawId} and verb = 'attachment.deleted'`)).toBe(1);

    const theirs = await attach(other.token, { taskId: task.globalId }, 'theirs.png');
    const byAdmin = await a.graphql(DELETE_ATTACHMENT, { token: team.admin.token, variables: { id: theirs.id } });
    expect(byAdmin.data.deleteAttachment.__typename).toBe('DeleteAttachmentSuccess');
  });
});

describe('Task.attachments', () => {
  it('loads the attachments of many tasks with as many statements as for one', async () => {
    const project = await createProjectRow(a.t, team.org.id, team.admin.id);
    const tasks = await Promise.all(
      [1, 2, 3].map(() => createTaskRow(a.t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id })),
    );
    for (const each of tasks) await attach(team.member.token, { taskId: each.globalId }, `for-${each.id}.png`);
    const query = `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Task { id attachments { filename downloadUrl } } } }`;
    const statementsFor = async (ids: string[]) => {
      a.resetQueryCount();
      const res = await a.graphql(query, { token: team.viewer.token, variables: { ids } });
      expect(res.errors).toBeUndefined();
      return { res, statements: a.queryCount() };
    };
    const one = await statementsFor([tasks[0]!.globalId]);
    const all = await statementsFor(tasks.map((x) => x.globalId));
    expect(all.res.data.nodes.map((n: any) => n.attachments.map((x: any) => x.filename))).toEqual(tasks.map((x) => [`for-${x.id}.png`]));
    expect(all.statements).toBe(one.statements);
  });
});
