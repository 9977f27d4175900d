import { access } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import pino from 'pino';
import { createDatabase, type DatabaseHandle } from '../../../src/db/client';
import { activityEvents, attachments } from '../../../src/db/schema/index';
import { inTenantTransaction } from '../../../src/db/tenant-transaction';
import { abandonedUploadCutoff, sweepAbandonedUploads } from '../../../src/modules/attachments/abandoned-uploads';
import { startUploadSweepJob } from '../../../src/modules/attachments/abandoned-uploads-job';
import { localStorageFor } from '../../../src/storage/index';
import { createTeam } from '../../support/factories';
import { waitFor } from '../../support/realtime-clients';
import { createProjectRow, createTaskRow, type TaskFixture } from '../../support/task-fixtures';
import { startAttachmentsApp, type AttachmentsApp } from './attachments-app';
import { CONFIRM_UPLOAD, DELETE_ATTACHMENT, REQUEST_UPLOAD } from './operations';

type Team = Awaited<ReturnType<typeof createTeam>>;

let a: AttachmentsApp;
/** The app role's connection, which the sweep runs on; each statement is recorded with its parameters. */
let app: DatabaseHandle;
let statements: { query: string; parameters: readonly unknown[] }[] = [];
let first: Team;
let second: Team;
let firstTask: TaskFixture;
let secondTask: TaskFixture;

const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489', 'hex');
/** ATTACHMENT_URL_TTL_SECONDS of the test configuration (the default, 900): abandoned after twice that. */
const ttlSeconds = () => a.config.storage.urlTtlSeconds;

beforeAll(async () => {
  a = await startAttachmentsApp();
  app = createDatabase(a.t.appUrl, { max: 2, onQuery: (query, parameters) => statements.push({ query, parameters }) });
  first = await createTeam(a.t);
  second = await createTeam(a.t);
  firstTask = await taskIn(first);
  secondTask = await taskIn(second);
});
afterAll(async () => {
  await app?.close();
  await a?.close();
});

async function taskIn(team: Team): Promise<TaskFixture> {
  const project = await createProjectRow(a.t, team.org.id, team.admin.id);
  return createTaskRow(a.t, { organizationId: team.org.id, projectId: project.id, createdBy: team.member.id });
}

type Upload = { id: string; globalId: string; storageKey: string; path: string };

/** Requests an upload through the API as a member; with `put`, also sends the bytes (but does not confirm). */
async function requestUpload(team: Team, task: TaskFixture, { put = true }: { put?: boolean } = {}): Promise<Upload> {
  const res = await a.graphql(REQUEST_UPLOAD, {
    token: team.member.token,
    variables: { input: { taskId: task.globalId, filename: 'scan.png', contentType: 'image/png', sizeBytes: PNG.length } },
  });
  expect(res.data.requestAttachmentUpload.__typename).toBe('RequestAttachmentUploadSuccess');
  const { upload } = res.data.requestAttachmentUpload;
  if (put) {
    const response = await a.fetchFile(upload.url, { method: 'PUT', headers: { 'Content-Type': 'image/png' }, body: PNG });
    expect(response.status).toBe(200);
  }
  const id = Buffer.from(upload.attachment.id, 'base64').toString().split(':')[1]!;
  const [row] = await a.t.owner.db.select({ storageKey: attachments.storageKey }).from(attachments).where(eq(attachments.id, id));
  return { id, globalId: upload.attachment.id, storageKey: row!.storageKey, path: localStorageFor(a.config).pathOf(row!.storageKey) };
}

/** Moves an attachment's request time back by `seconds` (as if it had been requested that long ago). */
const age = (upload: Upload, seconds: number) =>
  a.t.owner.db.execute(sql`update attachments set created_at = created_at - make_interval(secs => ${seconds}) where id = ${upload.id}`);

const rowOf = async (upload: Upload) => (await a.t.owner.db.select().from(attachments).where(eq(attachments.id, upload.id)))[0];
const fileExists = (upload: Upload) =>
  access(upload.path).then(
    () => true,
    () => false,
  );
const activityCount = async () => (await a.t.owner.db.select({ id: activityEvents.id }).from(activityEvents)).length;

const sweep = (db = app, batchSize?: number) =>
  sweepAbandonedUploads(db.db, localStorageFor(a.config), { createdBefore: abandonedUploadCutoff(new Date(), ttlSeconds()), batchSize });

/** The tenants the sweep's transactions were scoped to, one entry per transaction. */
const tenantScopes = () =>
  statements.filter((s) => s.query.includes("set_config('app.organization_ids'")).map((s) => String(s.parameters[1]));

describe('sweepAbandonedUploads', () => {
  it('removes never-confirmed uploads past twice the URL lifetime, with their files, each in its own tenant, and nothing else', async () => {
    const abandoned = await requestUpload(first, firstTask);
    const neverUploaded = await requestUpload(first, firstTask, { put: false });
    const elsewhere = await requestUpload(second, secondTask);
    const fresh = await requestUpload(first, firstTask);
    // Just inside the cutoff: its URL expired, but the grace period has not passed.
    const recent = await requestUpload(second, secondTask);
    const confirmed = await requestUpload(first, firstTask);
    const confirm = await a.graphql(CONFIRM_UPLOAD, { token: first.member.token, variables: { id: confirmed.globalId } });
    expect(confirm.data.confirmAttachmentUpload.__typename).toBe('ConfirmAttachmentUploadSuccess');
    // Requested, then deleted by its uploader before confirming: still an abandoned upload, bytes included.
    const deletedPending = await requestUpload(first, firstTask);
    const deleted = await a.graphql(DELETE_ATTACHMENT, { token: first.member.token, variables: { id: deletedPending.globalId } });
    expect(deleted.data.deleteAttachment.__typename).toBe('DeleteAttachmentSuccess');

    const past = 2 * ttlSeconds() + 60;
    for (const upload of [abandoned, neverUploaded, elsewhere, confirmed, deletedPending]) await age(upload, past);
    await age(recent, 2 * ttlSeconds() - 60);
    const activityBefore = await activityCount();

    statements = [];
    expect(await sweep()).toBe(4);

    for (const upload of [abandoned, neverUploaded, elsewhere, deletedPending]) {
      expect(await rowOf(upload), `row of ${upload.id}`).toBeUndefined();
      expect(await fileExists(upload), `file of ${upload.id}`).toBe(false);
    }
    for (const upload of [fresh, recent]) {
      expect(await rowOf(upload)).toMatchObject({ status: 'pending' });
      expect(await fileExists(upload)).toBe(true);
    }
    expect(await rowOf(confirmed)).toMatchObject({ status: 'ready' });
    expect(await fileExists(confirmed)).toBe(true);
    // A never-confirmed upload leaves no activity behind, coming or going.
    expect(await activityCount()).toBe(activityBefore);
    // One transaction per organization, each scoped to that organization alone.
    expect(tenantScopes().sort()).toEqual([`{${first.org.id}}`, `{${second.org.id}}`].sort());

    // Twice is harmless.
    expect(await sweep()).toBe(0);
    expect(await rowOf(fresh)).toMatchObject({ status: 'pending' });
    expect(await rowOf(confirmed)).toMatchObject({ status: 'ready' });
  });

  it('works through more than one batch in a pass', async () => {
    const uploads = [await requestUpload(first, firstTask), await requestUpload(second, secondTask), await requestUpload(first, firstTask)];
    for (const upload of uploads) await age(upload, 3 * ttlSeconds());
    expect(await sweep(app, 1)).toBe(3);
    for (const upload of uploads) expect(await rowOf(upload)).toBeUndefined();
  });

  it('skips an upload another transaction holds (a confirm, another instance), and removes it on a later pass', async () => {
    const held = await requestUpload(first, firstTask);
    const free = await requestUpload(second, secondTask);
    await age(held, 3 * ttlSeconds());
    await age(free, 3 * ttlSeconds());

    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let locked!: () => void;
    const isLocked = new Promise<void>((resolve) => (locked = resolve));
    const holder = a.t.owner.sql.begin(async (tx) => {
      await tx`select id from attachments where id = ${held.id} for update`;
      locked();
      await released;
    });
    try {
      await isLocked;
      // Does not wait for the lock: the held row is left for later.
      expect(await sweep()).toBe(1);
      expect(await rowOf(held)).toBeDefined();
      expect(await fileExists(held)).toBe(true);
      expect(await rowOf(free)).toBeUndefined();
    } finally {
      release();
      await holder;
    }
    expect(await sweep()).toBe(1);
    expect(await rowOf(held)).toBeUndefined();
    expect(await fileExists(held)).toBe(false);
  });

  it('removes each upload once when two instances sweep at the same time', async () => {
    const uploads = [];
    for (let i = 0; i < 6; i++) uploads.push(await requestUpload(i % 2 ? first : second, i % 2 ? firstTask : secondTask));
    for (const upload of uploads) await age(upload, 3 * ttlSeconds());
    const otherInstance = createDatabase(a.t.appUrl, { max: 2 });
    try {
      const removed = await Promise.all([sweep(app, 2), sweep(otherInstance, 2)]);
      expect(removed[0] + removed[1]).toBe(6);
    } finally {
      await otherInstance.close();
    }
    for (const upload of uploads) {
      expect(await rowOf(upload)).toBeUndefined();
      expect(await fileExists(upload)).toBe(false);
    }
  });

  it('makes a confirm that comes too late find nothing', async () => {
    const late = await requestUpload(first, firstTask);
    await age(late, 3 * ttlSeconds());
    expect(await sweep()).toBe(1);
    const confirm = await a.graphql(CONFIRM_UPLOAD, { token: first.member.token, variables: { id: late.globalId } });
    expect(confirm.data.confirmAttachmentUpload).toMatchObject({ __typename: 'NotFoundError' });
  });
});

describe('the upload sweep job', () => {
  it('sweeps on its own through the app role, and stops', async () => {
    const upload = await requestUpload(second, secondTask);
    await age(upload, 3 * ttlSeconds());
    const job = startUploadSweepJob({ db: app.db, config: a.config, logger: pino({ level: 'silent' }), firstRunDelayMs: 10, intervalMs: 60_000 });
    try {
      await waitFor(async () => !(await rowOf(upload)), 5000, 'the first pass');
      expect(await job.runOnce()).toBe(0);
    } finally {
      await job.stop();
    }
    expect(await fileExists(upload)).toBe(false);
  });
});

describe('find_abandoned_uploads()', () => {
  it('is callable by the app role, bounded by its batch size, while the role still reads no other tenant directly', async () => {
    const uploads = [await requestUpload(first, firstTask), await requestUpload(second, secondTask), await requestUpload(second, secondTask)];
    for (const upload of uploads) await age(upload, 3 * ttlSeconds());
    const cutoff = abandonedUploadCutoff(new Date(), ttlSeconds()).toISOString();
    const found = await app.db.execute<{ organization_id: string; id: string; storage_key: string }>(
      sql`select * from find_abandoned_uploads(${cutoff}::timestamptz, 10)`,
    );
    expect(found.map((row) => row.id).sort()).toEqual(uploads.map((upload) => upload.id).sort());
    expect(Object.keys(found[0]!).sort()).toEqual(['id', 'organization_id', 'storage_key']);
    expect(await app.db.execute(sql`select * from find_abandoned_uploads(${cutoff}::timestamptz, 2)`)).toHaveLength(2);

    expect(await app.db.select({ id: attachments.id }).from(attachments)).toEqual([]);
    const inFirst = await inTenantTransaction(app.db, { userId: null, organizationIds: [first.org.id] }, (tx) =>
      tx.select({ id: attachments.id, organizationId: attachments.organizationId }).from(attachments),
    );
    expect(inFirst.every((row) => row.organizationId === first.org.id)).toBe(true);
    expect(inFirst.map((row) => row.id)).toContain(uploads[0]!.id);
    expect(inFirst.map((row) => row.id)).not.toContain(uploads[1]!.id);
  });
});
