import { viewerHasRole } from '../../auth/roles';
import type { Viewer } from '../../auth/viewer';

/** Following a task is reading it: anyone who can see the task (every role) may watch it. */
export const watcherPolicy = {
  canWatch: (viewer: Viewer | null, task: { organizationId: string }) => viewerHasRole(viewer, task.organizationId, 'viewer'),
};
