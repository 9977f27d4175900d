import { projects } from '../../db/schema/index';
import { timestamp } from '../timeline';
import { defineSeeder } from './table-seeder';

export const projectsSeeder = defineSeeder(
  projects,
  ['id', 'organizationId', 'name', 'description', 'status', 'leadId', 'createdAt', 'updatedAt', 'createdBy'],
  {
    expectedRows: (plan) => ({ rows: plan.projects.length, exact: true }),
    *rows(plan) {
      for (const project of plan.projects) {
        const description = `${project.name} for ${project.organization.name}: ${project.taskCount} tasks.`;
        yield [
          project.id,
          project.organization.id,
          project.name,
          description,
          project.status,
          project.leadId,
          timestamp(project.startMs),
          timestamp(project.endMs),
          project.createdById,
        ];
      }
    },
  },
);
