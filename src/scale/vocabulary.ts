/** Word lists that make generated rows read like real ones (and vary in length like them). */

export const FIRST_NAMES = [
  'Ada', 'Ben', 'Chloe', 'Dev', 'Elena', 'Farid', 'Grace', 'Hiro', 'Ines', 'Jonas', 'Kemi', 'Lars', 'Maya', 'Nico',
  'Olga', 'Priya', 'Quinn', 'Rosa', 'Sam', 'Tariq', 'Uma', 'Viktor', 'Wen', 'Ximena', 'Yusuf', 'Zoe',
] as const;

export const LAST_NAMES = [
  'Adams', 'Berg', 'Costa', 'Dubois', 'Evans', 'Fischer', 'Garcia', 'Haddad', 'Ito', 'Jensen', 'Kowalski', 'Lopez',
  'Moreau', 'Nakamura', 'Okafor', 'Petrov', 'Rossi', 'Silva', 'Tanaka', 'Umar', 'Varga', 'Weber', 'Yilmaz', 'Zhang',
] as const;

export const COMPANY_WORDS = [
  'Acme', 'Apex', 'Blue', 'Bright', 'Cedar', 'Copper', 'Delta', 'Echo', 'Falcon', 'Granite', 'Harbor', 'Iris', 'Juniper',
  'Kite', 'Lumen', 'Maple', 'Nimbus', 'Orbit', 'Pine', 'Quartz', 'River', 'Summit', 'Tidal', 'Vertex', 'Willow', 'Zenith',
] as const;

export const COMPANY_SUFFIXES = ['Labs', 'Works', 'Systems', 'Studio', 'Group', 'Digital', 'Health', 'Logistics', 'Bank', 'Games'] as const;

export const PROJECT_AREAS = [
  'Mobile app', 'Web app', 'Billing', 'Onboarding', 'Search', 'Infrastructure', 'Data platform', 'Design system',
  'Checkout', 'Notifications', 'Reporting', 'Security', 'Integrations', 'Support tooling', 'Marketing site', 'API',
] as const;

export const MILESTONE_NAMES = ['Discovery', 'Alpha', 'Beta', 'Launch', 'Hardening', 'GA', 'Q1 goals', 'Q2 goals', 'Q3 goals', 'Q4 goals'] as const;

export const LABEL_NAMES = [
  'bug', 'feature', 'chore', 'design', 'frontend', 'backend', 'infra', 'security', 'performance', 'docs', 'tech-debt',
  'customer', 'regression', 'ux', 'accessibility', 'mobile', 'api', 'data', 'billing', 'blocked', 'needs-review',
  'good-first-issue', 'spike', 'research', 'urgent-fix', 'release', 'qa', 'analytics', 'i18n', 'legal', 'ops', 'growth',
  'experiment', 'migration', 'flaky', 'dependency', 'refactor', 'support', 'onboarding', 'sales',
] as const;

export const LABEL_COLORS = ['#e5484d', '#f76b15', '#ffc53d', '#46a758', '#12a594', '#0090ff', '#3e63dd', '#8e4ec6', '#d6409f', '#888888'] as const;

export const TASK_VERBS = [
  'Fix', 'Add', 'Remove', 'Refactor', 'Investigate', 'Document', 'Migrate', 'Speed up', 'Redesign', 'Test', 'Upgrade',
  'Clean up', 'Support', 'Automate', 'Review', 'Split', 'Monitor', 'Localise', 'Harden', 'Prototype',
] as const;

export const TASK_ADJECTIVES = [
  'flaky', 'slow', 'missing', 'broken', 'new', 'legacy', 'nightly', 'shared', 'mobile', 'public', 'internal', 'bulk',
  'optional', 'default', 'cached', 'paginated', 'failing', 'duplicate', 'empty', 'stale',
] as const;

export const TASK_NOUNS = [
  'login redirect', 'invoice export', 'search index', 'password reset', 'webhook retries', 'CSV import', 'audit log',
  'dashboard widget', 'email digest', 'rate limiter', 'payment form', 'avatar upload', 'settings page', 'API token list',
  'onboarding checklist', 'release notes', 'error banner', 'sync job', 'date picker', 'permission check', 'feature flag',
  'dark mode', 'push notification', 'timezone handling', 'table sorting', 'file preview', 'session timeout',
  'signup funnel', 'usage report', 'retry queue', 'cache invalidation', 'deploy script', 'health check', 'backup job',
  'mobile layout', 'keyboard shortcuts', 'SSO config', 'billing plan', 'activity feed', 'comment thread',
] as const;

export const DESCRIPTION_SENTENCES = [
  'Reported by a customer on the enterprise plan.',
  'Happens only on Safari and only after the second retry.',
  'See the linked incident for the full timeline.',
  'We agreed to ship the smallest version first and iterate.',
  'Needs a migration; coordinate with the data team before merging.',
  'Acceptance: the p95 latency stays under 200 ms with 10k rows.',
  'Design is in the shared file; copy still to be reviewed.',
  'Blocked until the vendor answers our support ticket.',
  'The old behaviour must keep working behind the feature flag.',
  'Add tests for the empty state and for the error path.',
  'Started as a spike; turned out to be worth doing properly.',
  'Check the logs from last week: the spike lines up with the deploy.',
  'Low effort, high visibility: a good first task for new joiners.',
  'Customers on the free plan see this more often.',
  'Document the decision in the architecture notes when done.',
] as const;

/** Whole comments on their own: the short end of a thread. */
export const COMMENT_REPLIES = [
  'Looks good to me.',
  'On it.',
  'Thanks!',
  '+1',
  'Can you take a look?',
  'Fixed in the latest deploy.',
  'Merged.',
  'Still seeing this on staging.',
  'Moving this to the next sprint.',
  'Can we pair on this tomorrow?',
  'Done, please verify.',
  'Good catch.',
  'I can reproduce it locally.',
  'Not reproducible anymore, closing soon.',
  'Updated the estimate.',
  'Waiting for review.',
] as const;

/** How longer comments open; the rest comes from DESCRIPTION_SENTENCES. */
export const COMMENT_OPENERS = [
  'Quick update:',
  'I looked into this.',
  'Some notes from the call:',
  'Heads up:',
  'Following up on yesterday.',
  'Proposal:',
  'Root cause found.',
  'Question about scope:',
  'Status:',
  'From the customer call:',
] as const;

/** Reactions, most popular first. */
export const REACTION_EMOJI = ['👍', '🎉', '❤️', '👀', '🚀', '😄', '✅', '🙏', '🔥', '😕'] as const;
