import { activityEventsSeeder } from './activity-events';
import { commentMentionsSeeder } from './comment-mentions';
import { commentReactionsSeeder } from './comment-reactions';
import { commentsSeeder } from './comments';
import { labelsSeeder } from './labels';
import { milestonesSeeder } from './milestones';
import { organizationMembersSeeder } from './organization-members';
import { organizationsSeeder } from './organizations';
import { projectsSeeder } from './projects';
import { taskDependenciesSeeder } from './task-dependencies';
import { taskLabelsSeeder } from './task-labels';
import { tasksSeeder } from './tasks';
import type { TableSeeder } from './table-seeder';
import { usersSeeder } from './users';

/**
 * Load order: every table after the tables its foreign keys point to.
 * Activity goes last: it claims its realtime numbers (and the lock that
 * guards them) for the rest of the transaction, so the shorter the better.
 */
export const TABLE_SEEDERS: readonly TableSeeder[] = [
  usersSeeder,
  organizationsSeeder,
  organizationMembersSeeder,
  projectsSeeder,
  milestonesSeeder,
  labelsSeeder,
  tasksSeeder,
  taskLabelsSeeder,
  taskDependenciesSeeder,
  commentsSeeder,
  commentMentionsSeeder,
  commentReactionsSeeder,
  activityEventsSeeder,
];

export type { TableSeeder } from './table-seeder';
