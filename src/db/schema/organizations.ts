import { sql } from 'drizzle-orm';
import {
  boolean,
  foreignKey,
  index,
  integer,
  jsonb,
  pgEnum,
  pgPolicy,
  pgTable,
  primaryKey,
  text,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { actingUserId, auditColumns, deletedAt, id, organizationId, tenantPolicy, timestamptz } from './columns';
import { users } from './identity';

export const memberRole = pgEnum('member_role', ['owner', 'admin', 'member', 'viewer']);

/** Billing plans and their limits; null means unlimited. Global reference data. */
export const plans = pgTable('plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  maxProjects: integer('max_projects'),
  maxMembers: integer('max_members'),
  features: jsonb('features').$type<Record<string, boolean>>().notNull().default({}),
  ...auditColumns(),
});

export const organizations = pgTable(
  'organizations',
  {
    id: id().primaryKey(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    planId: text('plan_id')
      .notNull()
      .references(() => plans.id),
    settings: jsonb('settings').$type<Record<string, unknown>>().notNull().default({}),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    uniqueIndex('organizations_slug_key').on(t.slug).where(sql`${t.deletedAt} is null`),
    tenantPolicy(sql`id`),
  ],
);

export const organizationMembers = pgTable(
  'organization_members',
  {
    organizationId: organizationId().references(() => organizations.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: memberRole('role').notNull(),
    invitedBy: uuid('invited_by').references(() => users.id),
    joinedAt: timestamptz('joined_at').notNull().defaultNow(),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.userId] }),
    index('organization_members_user_id_idx').on(t.userId),
    tenantPolicy(),
    // A user may always read their own memberships: that is how a request learns its organizations.
    pgPolicy('own_memberships', { as: 'permissive', for: 'select', using: sql`user_id = ${actingUserId}` }),
  ],
);

export const invitations = pgTable(
  'invitations',
  {
    id: id(),
    organizationId: organizationId().references(() => organizations.id),
    email: text('email').notNull(),
    role: memberRole('role').notNull(),
    tokenHash: text('token_hash').notNull(),
    expiresAt: timestamptz('expires_at').notNull(),
    acceptedAt: timestamptz('accepted_at'),
    acceptedBy: uuid('accepted_by').references(() => users.id),
    revoked: boolean('revoked').notNull().default(false),
    ...auditColumns(),
    deletedAt: deletedAt(),
  },
  (t) => [
    primaryKey({ columns: [t.organizationId, t.id] }),
    uniqueIndex('invitations_token_hash_key').on(t.organizationId, t.tokenHash),
    uniqueIndex('invitations_pending_email_key')
      .on(t.organizationId, sql`lower(${t.email})`)
      .where(sql`${t.acceptedAt} is null and ${t.deletedAt} is null and not ${t.revoked}`),
    foreignKey({ columns: [t.organizationId, t.createdBy], foreignColumns: [organizationMembers.organizationId, organizationMembers.userId] }),
    tenantPolicy(),
  ],
);
