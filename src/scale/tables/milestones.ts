import { milestones } from '../../db/schema/index';
import { timestamp } from '../timeline';
import { defineSeeder } from './table-seeder';

export const milestonesSeeder = defineSeeder(
  milestones,
  ['id', 'organizationId', 'projectId', 'name', 'dueDate', 'createdAt', 'updatedAt', 'createdBy'],
  {
    expectedRows: (plan) => ({ rows: plan.projects.reduce((sum, project) => sum + project.milestones.length, 0), exact: true }),
    *rows(plan) {
      for (const project of plan.projects) {
        for (const milestone of project.milestones) {
          const created = timestamp(milestone.createdMs);
          yield [milestone.id, project.organization.id, project.id, milestone.name, milestone.dueDate, created, created, project.createdById];
        }
      }
    },
  },
);
