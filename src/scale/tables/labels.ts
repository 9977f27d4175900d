import { labels } from '../../db/schema/index';
import { timestamp } from '../timeline';
import { defineSeeder } from './table-seeder';

export const labelsSeeder = defineSeeder(labels, ['id', 'organizationId', 'name', 'color', 'createdAt', 'updatedAt', 'createdBy'], {
  expectedRows: (plan) => ({ rows: plan.organizations.reduce((sum, organization) => sum + organization.labels.length, 0), exact: true }),
  *rows(plan) {
    for (const organization of plan.organizations) {
      for (const label of organization.labels) {
        const created = timestamp(label.createdMs);
        yield [label.id, organization.id, label.name, label.color, created, created, organization.ownerId];
      }
    }
  },
});
