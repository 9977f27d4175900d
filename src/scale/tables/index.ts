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
 * Comments, time entries and activity go after tasks once their tables exist.
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
];

export type { TableSeeder } from './table-seeder';
