import { organizations } from '../../db/schema/index';
import { timestamp } from '../timeline';
import { defineSeeder } from './table-seeder';

export const organizationsSeeder = defineSeeder(organizations, ['id', 'name', 'slug', 'planId', 'createdAt', 'updatedAt', 'createdBy'], {
  expectedRows: (plan) => ({ rows: plan.organizations.length, exact: true }),
  *rows(plan) {
    for (const organization of plan.organizations) {
      const created = timestamp(organization.createdMs);
      yield [organization.id, organization.name, organization.slug, organization.planId, created, created, organization.ownerId];
    }
  },
});
