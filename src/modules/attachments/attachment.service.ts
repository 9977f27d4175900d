import type { Config } from '../../config/env';
import type { Transaction } from '../../db/client';
import { newId } from '../../db/schema/columns';
import type { ServiceContext } from '../../graphql/context';
import { recordActivity } from '../../realtime/record-activity';
import { ConflictError, ForbiddenError, NotFoundError } from '../../shared/errors';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { storageFor, type SignedUpload } from '../../storage/index';
import { findLiveParent, targetOf, type AttachmentParent, type AttachmentTarget } from './attachment-parent';
import { attachmentPolicy } from './attachment.policy';
import { insertAttachment, lockAttachment, updateAttachment, type AttachmentRow, type AttachmentView } from './attachment.repository';
import { allowedContentType, ensureSizeAllowed } from './attachment.validation';

/** Attachments need the storage settings on top of who is acting. */
export type AttachmentContext = ServiceContext & { config: Config };

export type RequestUploadInput = {
  target: AttachmentTarget;
  /** Already checked by the input type (attachmentFilename, attachmentSize). */
  filename: string;
  contentType: string;
  sizeBytes: number;
};

export type AttachmentUpload = { attachment: AttachmentView; upload: SignedUpload };

const FORBIDDEN_ATTACH = 'Only members can attach files (to a comment: its author), and only in active projects';

/** Storage keys are ids only: the client's filename never reaches a path or an object key. */
const storageKeyOf = (organizationId: string, attachmentId: string) => `${organizationId}/${attachmentId}`;

const viewOf = (row: AttachmentRow, parentLive: boolean): AttachmentView => ({ ...row, parentLive });

/**
 * Step one of an upload: records a pending attachment and hands out a signed
 * URL accepting exactly the declared size and type. Nothing shows the
 * attachment until the upload is confirmed.
 */
export async function requestAttachmentUpload(ctx: AttachmentContext, input: RequestUploadInput): Promise<AttachmentUpload> {
  const viewer = requireViewer(ctx);
  const { maxAttachmentBytes, urlTtlSeconds } = ctx.config.storage;
  const contentType = allowedContentType(input.contentType, 'input.contentType');
  ensureSizeAllowed(input.sizeBytes, maxAttachmentBytes, 'input.sizeBytes');
  const storage = await storageFor(ctx.config);
  return asViewer(ctx, async (tx, organizationIds) => {
    const parent = await findLiveParent(tx, organizationIds, input.target);
    if (!attachmentPolicy.canAttach(viewer, parent)) throw new ForbiddenError(FORBIDDEN_ATTACH);
    const id = newId();
    const row = await insertAttachment(tx, {
      id,
      organizationId: parent.organizationId,
      taskId: 'taskId' in input.target ? input.target.taskId : null,
      commentId: 'commentId' in input.target ? input.target.commentId : null,
      filename: input.filename,
      contentType,
      sizeBytes: input.sizeBytes,
      storageKey: storageKeyOf(parent.organizationId, id),
      createdBy: viewer.userId,
    });
    const upload = await storage.createUploadUrl(row.storageKey, { contentType, sizeBytes: row.sizeBytes, expiresInSeconds: urlTtlSeconds });
    return { attachment: viewOf(row, true), upload };
  });
}

/** A live attachment locked for the rest of the transaction, with its live parent. */
async function lockLiveAttachment(
  tx: Transaction,
  organizationIds: readonly string[],
  id: string,
): Promise<{ attachment: AttachmentRow; parent: AttachmentParent }> {
  const attachment = await lockAttachment(tx, organizationIds, id);
  if (!attachment || attachment.deletedAt) throw new NotFoundError('Attachment', id);
  const parent = await findLiveParent(tx, organizationIds, targetOf(attachment));
  return { attachment, parent };
}

const activityOf = (verb: 'attachment.added' | 'attachment.deleted', attachment: AttachmentRow, parent: AttachmentParent, actorId: string) => ({
  organizationId: attachment.organizationId,
  actorId,
  verb,
  subjectType: 'attachment' as const,
  subjectId: attachment.id,
  projectId: parent.project.id,
  taskId: parent.feedTaskId,
  changes: verb === 'attachment.added' ? { filename: { from: null, to: attachment.filename } } : { filename: { from: attachment.filename, to: null } },
});

/**
 * Step two: the bytes are in storage with the declared size, so the
 * attachment becomes ready and shows in its task's feed. Confirming again is
 * harmless (the row lock makes a concurrent second confirm see it ready).
 */
export async function confirmAttachmentUpload(ctx: AttachmentContext, id: string): Promise<AttachmentView> {
  const viewer = requireViewer(ctx);
  const storage = await storageFor(ctx.config);
  return asViewer(ctx, async (tx, organizationIds) => {
    const { attachment, parent } = await lockLiveAttachment(tx, organizationIds, id);
    if (!attachmentPolicy.canConfirm(viewer, attachment, parent)) throw new ForbiddenError('Only the uploader can confirm an upload');
    if (attachment.status === 'ready') return viewOf(attachment, true);
    const stored = await storage.stat(attachment.storageKey);
    if (!stored) throw new ConflictError('The file has not been uploaded yet');
    if (stored.sizeBytes !== attachment.sizeBytes) {
      throw new ConflictError(`The uploaded file has ${stored.sizeBytes} bytes, not the ${attachment.sizeBytes} declared`);
    }
    const ready = await updateAttachment(tx, attachment.organizationId, id, { status: 'ready', confirmedAt: new Date() });
    await recordActivity(tx, activityOf('attachment.added', ready, parent, viewer.userId));
    return viewOf(ready, true);
  });
}

/**
 * Soft-deletes an attachment: it disappears from lists and its download link
 * stops being issued. The bytes stay in storage: a pending one's go with it
 * when the abandoned-upload sweep removes it (abandoned-uploads.ts); a ready
 * one's stay (a purge job may remove them).
 */
export async function deleteAttachment(ctx: AttachmentContext, id: string): Promise<AttachmentView> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const { attachment, parent } = await lockLiveAttachment(tx, organizationIds, id);
    if (!attachmentPolicy.canDelete(viewer, attachment, parent)) {
      throw new ForbiddenError('Only the uploader or an admin can delete an attachment, and only in active projects');
    }
    const deleted = await updateAttachment(tx, attachment.organizationId, id, { deletedAt: new Date() });
    // A pending upload never showed anywhere, so its removal is not news.
    if (attachment.status === 'ready') await recordActivity(tx, activityOf('attachment.deleted', deleted, parent, viewer.userId));
    return viewOf(deleted, true);
  });
}
