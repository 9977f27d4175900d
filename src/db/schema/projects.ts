import { sql } from 'drizzle-orm';
import { date, foreignKey, index, pgEnum, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { auditColumns, deletedAt, id, organizationId, tenantPolicy } from './columns';
import { organizationMembers, organizations } from './organizations';

export const projectStatus = pgEnum('project_status', ['active', 'archived']);

export const projects = pgTable(
  'projects',
  {
    id: id(),
    organizationId: organizationId().references(() => organizations.id),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    status: projectStatus('status').notNull().default('active'),
    leadId: uuid('lead_id'),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('projects_org_created_idx').on(t.organizationId, t.createdAt, t.id).where(sql`${t.deletedAt} is null`),
    foreignKey({
      name: 'projects_lead_fk',
      columns: [t.organizationId, t.leadId],
      foreignColumns: [organizationMembers.organizationId, organizationMembers.userId],
    }),
    tenantPolicy(),
  ],
);

export const milestones = pgTable(
  'milestones',
  {
    id: id(),
    organizationId: organizationId(),
    projectId: uuid('project_id').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    dueDate: date('due_date', { mode: 'string' }),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    index('milestones_project_idx').on(t.organizationId, t.projectId, t.dueDate),
    foreignKey({
      name: 'milestones_project_fk',
      columns: [t.organizationId, t.projectId],
      foreignColumns: [projects.organizationId, projects.id],
    }),
    tenantPolicy(),
  ],
);
