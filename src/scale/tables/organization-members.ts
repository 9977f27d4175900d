import { organizationMembers } from '../../db/schema/index';
import { timestamp } from '../timeline';
import { defineSeeder } from './table-seeder';

export const organizationMembersSeeder = defineSeeder(
  organizationMembers,
  ['organizationId', 'userId', 'role', 'invitedBy', 'joinedAt', 'createdAt', 'updatedAt', 'createdBy'],
  {
    expectedRows: (plan) => ({ rows: plan.organizations.reduce((sum, organization) => sum + organization.members.length, 0), exact: true }),
    *rows(plan) {
      for (const organization of plan.organizations) {
        for (const member of organization.members) {
          const joined = timestamp(member.joinedMs);
          // The owner founded the organization; everyone else was invited by them.
          const invitedBy = member.role === 'owner' ? null : organization.ownerId;
          yield [organization.id, member.userId, member.role, invitedBy, joined, joined, joined, invitedBy ?? member.userId];
        }
      }
    },
  },
);
