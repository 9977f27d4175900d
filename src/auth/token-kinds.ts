/** Prefixes tell token kinds apart at a glance (and let secret scanners find leaked ones). */
export const API_TOKEN_PREFIX = 'tgp_';
export const REFRESH_TOKEN_PREFIX = 'tgr_';
export const INVITATION_TOKEN_PREFIX = 'tgi_';
