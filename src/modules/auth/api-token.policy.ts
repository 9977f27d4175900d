import type { Viewer } from '../../auth/viewer';

export const apiTokenPolicy = {
  /**
   * Only a logged-in session mints API tokens: a leaked token must not be able
   * to make itself copies that outlive its revocation.
   */
  canCreate: (viewer: Viewer | null) => viewer !== null && viewer.sessionId !== null,
};
