import { viewerHasRole } from '../../auth/roles';
import type { Viewer } from '../../auth/viewer';
import { commentPolicy } from '../comments/comment.policy';
import { taskPolicy } from '../tasks/task.policy';
import type { AttachmentParent } from './attachment-parent';

type AttachmentRef = { organizationId: string; createdBy: string | null };

/** Attaching is writing in the project: the task rule (members, active projects only; archived ones are read-only). */
const canWriteIn = (viewer: Viewer | null, parent: AttachmentParent) => taskPolicy.canCreate(viewer, parent.project);

const isUploader = (viewer: Viewer | null, attachment: AttachmentRef) => viewer !== null && attachment.createdBy === viewer.userId;

/**
 * Who may do what with attachments:
 * - viewers (and up) see and download every ready attachment of their organization;
 * - members attach files to tasks; to a comment only its author does (it is part of what they wrote);
 * - only the uploader confirms their upload;
 * - the uploader or an admin deletes one (moderation), in active projects.
 */
export const attachmentPolicy = {
  canView: (viewer: Viewer | null, attachment: { organizationId: string }) => viewerHasRole(viewer, attachment.organizationId, 'viewer'),
  canAttach: (viewer: Viewer | null, parent: AttachmentParent) =>
    canWriteIn(viewer, parent) && (parent.comment === null || commentPolicy.canUpdate(viewer, parent.comment)),
  canConfirm: (viewer: Viewer | null, attachment: AttachmentRef, parent: AttachmentParent) =>
    isUploader(viewer, attachment) && canWriteIn(viewer, parent),
  canDelete: (viewer: Viewer | null, attachment: AttachmentRef, parent: AttachmentParent) =>
    canWriteIn(viewer, parent) && (isUploader(viewer, attachment) || viewerHasRole(viewer, attachment.organizationId, 'admin')),
};
