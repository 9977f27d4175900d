import { viewerHasRole } from '../../auth/roles';
import type { Viewer } from '../../auth/viewer';

type CommentRef = { organizationId: string; authorId: string; deletedAt: Date | null };

const isAuthor = (viewer: Viewer | null, comment: CommentRef) => viewer !== null && comment.authorId === viewer.userId;

/**
 * Who may do what with comments:
 * - viewers (and up) read every comment of their organization and may react: a reaction is feedback, not content;
 * - members (and up) comment;
 * - only the author edits (while still a member); the author or an admin deletes (moderation);
 * - a deleted comment takes no edits or reactions.
 */
export const commentPolicy = {
  canView: (viewer: Viewer | null, comment: { organizationId: string }) => viewerHasRole(viewer, comment.organizationId, 'viewer'),
  canCreate: (viewer: Viewer | null, organizationId: string) => viewerHasRole(viewer, organizationId, 'member'),
  canUpdate: (viewer: Viewer | null, comment: CommentRef) =>
    !comment.deletedAt && isAuthor(viewer, comment) && viewerHasRole(viewer, comment.organizationId, 'member'),
  canDelete: (viewer: Viewer | null, comment: CommentRef) =>
    !comment.deletedAt &&
    (viewerHasRole(viewer, comment.organizationId, 'admin') ||
      (isAuthor(viewer, comment) && viewerHasRole(viewer, comment.organizationId, 'member'))),
  canReact: (viewer: Viewer | null, comment: CommentRef) => !comment.deletedAt && viewerHasRole(viewer, comment.organizationId, 'viewer'),
};
