import { builder } from '../../graphql/builder';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { storageFor } from '../../storage/index';
import { Comment } from '../comments/comment.graphql';
import { Task } from '../tasks/task.graphql';
import { User } from '../users/user.graphql';
import { findAttachmentsByIds, findListedAttachments, type AttachmentView } from './attachment.repository';

export const AttachmentStatusEnum = builder.enumType('AttachmentStatus', {
  values: {
    PENDING: { value: 'pending', description: 'Requested; the file is not uploaded and confirmed yet.' },
    READY: { value: 'ready', description: 'Uploaded and confirmed: listed and downloadable.' },
  } as const,
});

/** A file on a task or a comment. The bytes live in storage; this is what we know about them. */
export const Attachment = builder.loadableNode('Attachment', {
  id: { resolve: (attachment: AttachmentView) => attachment.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'storageKey' in value,
  load: (ids: string[], ctx) =>
    asViewer(ctx, async (tx, organizationIds) => inKeyOrder(ids, await findAttachmentsByIds(tx, organizationIds, ids), (a) => a.id)),
  authScopes: (attachment) => ({ orgRole: { organizationId: attachment.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    filename: t.exposeString('filename', { description: 'As the uploader named it; offered as the download name.' }),
    contentType: t.exposeString('contentType'),
    sizeBytes: t.exposeInt('sizeBytes'),
    status: t.expose('status', { type: AttachmentStatusEnum }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    confirmedAt: t.expose('confirmedAt', { type: 'DateTime', nullable: true }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    uploadedBy: t.field({ type: User, nullable: true, resolve: (attachment) => attachment.createdBy }),
    task: t.field({ type: Task, nullable: true, description: 'The task it is on; null when it is on a comment.', resolve: (a) => a.taskId }),
    comment: t.field({ type: Comment, nullable: true, description: 'The comment it is on; null when it is on a task.', resolve: (a) => a.commentId }),
    downloadUrl: t.string({
      nullable: true,
      description:
        'A signed link that downloads the file, valid for a few minutes (a new one on every read). Null unless the attachment is ready, not deleted and its task or comment is live.',
      resolve: async (attachment, _args, ctx) => {
        if (attachment.status !== 'ready' || attachment.deletedAt || !attachment.parentLive) return null;
        const storage = await storageFor(ctx.config);
        const { url } = await storage.createDownloadUrl(attachment.storageKey, {
          filename: attachment.filename,
          contentType: attachment.contentType,
          expiresInSeconds: ctx.config.storage.urlTtlSeconds,
        });
        return url;
      },
    }),
  }),
});

builder.objectField(Task, 'attachments', (t) =>
  t.loadableGroup({
    type: Attachment,
    description: 'Ready attachments, oldest first; none while the task is deleted.',
    load: (taskIds: string[], ctx) => asViewer(ctx, (tx, organizationIds) => findListedAttachments(tx, organizationIds, { taskIds })),
    group: (attachment) => (attachment as AttachmentView).taskId!,
    resolve: (task) => task.id,
  }),
);

builder.objectField(Comment, 'attachments', (t) =>
  t.loadableGroup({
    type: Attachment,
    description: 'Ready attachments, oldest first; none once the comment (or its task) is deleted.',
    load: (commentIds: string[], ctx) => asViewer(ctx, (tx, organizationIds) => findListedAttachments(tx, organizationIds, { commentIds })),
    group: (attachment) => (attachment as AttachmentView).commentId!,
    resolve: (comment) => comment.id,
  }),
);
