// The attachments module's GraphQL entry (imported by graphql/schema.ts): the Attachment type, Task.attachments,
// Comment.attachments and the upload mutations.
import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { idFrom } from '../../graphql/ids';
import { ValidationError } from '../../shared/errors';
import type { SignedUpload } from '../../storage/index';
import { Comment } from '../comments/comment.graphql';
import { Task } from '../tasks/task.graphql';
import type { AttachmentTarget } from './attachment-parent';
import { confirmAttachmentUpload, deleteAttachment, requestAttachmentUpload, type AttachmentUpload } from './attachment.service';
import { Attachment } from './attachment.type';
import { attachmentFilename, attachmentSize } from './attachment.validation';

export { Attachment, AttachmentStatusEnum } from './attachment.type';

const HttpHeader = builder.objectRef<[string, string]>('HttpHeader').implement({
  fields: (t) => ({
    name: t.string({ resolve: ([name]) => name }),
    value: t.string({ resolve: ([, value]) => value }),
  }),
});

const AttachmentUploadRef = builder.objectRef<AttachmentUpload>('AttachmentUpload').implement({
  description:
    'Where to send the file: PUT exactly `sizeBytes` bytes to `url` with `headers`, before `expiresAt`, then call confirmAttachmentUpload. A relative `url` is on this API’s origin.',
  fields: (t) => ({
    attachment: t.field({ type: Attachment, resolve: (upload) => upload.attachment }),
    url: t.string({ resolve: (upload) => upload.upload.url }),
    method: t.string({ resolve: (upload) => upload.upload.method }),
    headers: t.field({ type: [HttpHeader], resolve: (upload: { upload: SignedUpload }) => Object.entries(upload.upload.headers) }),
    expiresAt: t.field({ type: 'DateTime', resolve: (upload) => upload.upload.expiresAt }),
  }),
});

const RequestAttachmentUploadInput = builder.inputType('RequestAttachmentUploadInput', {
  description: 'Exactly one of taskId and commentId.',
  fields: (t) => ({
    taskId: t.globalID({ required: false, for: Task }),
    commentId: t.globalID({ required: false, for: Comment }),
    filename: t.string({ required: true, validate: attachmentFilename, description: '1 to 255 characters, no / or \\.' }),
    contentType: t.string({
      required: true,
      description: 'Images (not SVG), PDF, plain text/CSV/Markdown/JSON, office documents or zip archives.',
    }),
    sizeBytes: t.int({ required: true, validate: attachmentSize, description: 'Exact size of the file; at most the configured maximum.' }),
  }),
});

function targetFrom(input: { taskId?: { id: string } | null; commentId?: { id: string } | null }): AttachmentTarget {
  if (!!input.taskId === !!input.commentId) throw ValidationError.field('input', 'give exactly one of taskId and commentId');
  return input.taskId ? { taskId: idFrom(input.taskId, 'input.taskId') } : { commentId: idFrom(input.commentId!, 'input.commentId') };
}

builder.mutationFields((t) => ({
  requestAttachmentUpload: t.field({
    type: AttachmentUploadRef,
    description: 'Members attach files to tasks (to a comment: its author). Step one of two: see AttachmentUpload.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'upload' } },
    args: { input: t.arg({ type: RequestAttachmentUploadInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      requestAttachmentUpload(ctx, {
        target: targetFrom(input),
        filename: input.filename,
        contentType: input.contentType,
        sizeBytes: input.sizeBytes,
      }),
  }),
  confirmAttachmentUpload: t.field({
    type: Attachment,
    description: 'Step two: checks the file arrived with the declared size and makes the attachment ready.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'attachment' } },
    args: { id: t.arg.globalID({ required: true, for: Attachment }) },
    resolve: (_root, { id }, ctx) => confirmAttachmentUpload(ctx, idFrom(id, 'id')),
  }),
  deleteAttachment: t.field({
    type: Attachment,
    description: 'The uploader or an admin removes an attachment.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'attachment' } },
    args: { id: t.arg.globalID({ required: true, for: Attachment }) },
    resolve: (_root, { id }, ctx) => deleteAttachment(ctx, idFrom(id, 'id')),
  }),
}));
