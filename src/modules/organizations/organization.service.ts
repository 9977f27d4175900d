import { z } from 'zod';
import type { Transaction } from '../../db/client';
import { postgresErrorOf } from '../../db/errors';
import { newId } from '../../db/schema/columns';
import type { GraphQLContext, ServiceContext } from '../../graphql/context';
import { ConflictError, NotFoundError, ValidationError } from '../../shared/errors';
import { createIdempotently } from '../../shared/idempotent-create';
import { afterCommit, asViewer, requireViewer } from '../../shared/unit-of-work';
import { announceAccessChange } from '../../realtime/access-watch';
import { recordActivity } from '../../realtime/record-activity';
import { activityChanges } from '../activity/activity-changes';
import { organizationActivity } from '../activity/organization-events';
import { retireOpenInvitations } from '../members/invitation.repository';
import { insertMember, removeAllMembers } from '../members/member.repository';
import { countSeats } from '../members/seats';
import { rememberOwnMembership } from '../members/viewer-membership';
import { countLiveProjects } from '../projects/project.repository';
import { applySettingsPatch, type OrganizationSettingsPatch } from './organization-settings';
import { slugFromName, withRandomTail } from './organization-slug';
import { requireOrganizationAccess } from './organization-access';
import { organizationPolicy } from './organization.policy';
import {
  findOrganizationForUpdate,
  findOrganizationsByIds,
  findPlan,
  insertOrganization,
  updateOrganization,
  type NewOrganization,
  type OrganizationRow,
} from './organization.repository';
import { ensureUsageFitsPlan } from './plan-limits';

export const organizationName = z.string().trim().min(1, 'must not be empty').max(100, 'must be at most 100 characters');

const SLUG_CONSTRAINT = 'organizations_slug_key';
const constraints = { [SLUG_CONSTRAINT]: () => ValidationError.field('input.slug', 'is already taken') };
const NEW_ORGANIZATION_PLAN = 'free';
/** Derived slugs that are taken get a random tail; after this many tries the client is asked to choose. */
const DERIVED_SLUG_ATTEMPTS = 5;

export type CreateOrganizationInput = { id?: string; name: string; slug?: string | null };

/** Any signed-in user may create an organization; they become its owner. */
export async function createOrganization(ctx: ServiceContext, input: CreateOrganizationInput): Promise<OrganizationRow> {
  const viewer = requireViewer(ctx);
  const id = input.id ?? newId();
  const { row, created } = await asViewer(
    ctx,
    async (tx) => {
      const result = await createIdempotently(
        viewer.userId,
        () => insertWithFreeSlug(tx, { id, name: input.name, planId: NEW_ORGANIZATION_PLAN, createdBy: viewer.userId }, input.slug),
        // A retry only gets the organization back while its creator still belongs to it.
        async () => (viewer.roles.has(id) ? ((await findOrganizationsByIds(tx, [id], [id]))[0] ?? null) : null),
      );
      if (result.created) {
        await insertMember(tx, { organizationId: id, userId: viewer.userId, role: 'owner', createdBy: viewer.userId });
        await recordActivity(tx, organizationActivity(id, 'organization.created', viewer.userId));
      }
      return result;
    },
    constraints,
    // The new organization's rows must pass row-level security before the viewer is its member.
    { actingOrganizationId: id },
  );
  if (created) rememberOwnMembership(ctx, id, 'owner');
  return row;
}

/**
 * A slug the client chose must be free (else organizations_slug_key becomes a
 * ValidationError on input.slug). A slug derived from the name is the client's
 * problem only if no free variant turns up: each attempt runs in a savepoint,
 * because a failed insert would otherwise abort the whole transaction.
 */
async function insertWithFreeSlug(
  tx: Transaction,
  values: Omit<NewOrganization, 'slug'> & { id: string },
  chosenSlug: string | null | undefined,
) {
  if (chosenSlug) return insertOrganization(tx, { ...values, slug: chosenSlug });
  const base = slugFromName(values.name);
  for (let attempt = 0; attempt < DERIVED_SLUG_ATTEMPTS; attempt++) {
    const slug = attempt === 0 ? base : withRandomTail(base);
    try {
      return await tx.transaction((savepoint) => insertOrganization(savepoint, { ...values, slug }));
    } catch (error) {
      const pg = postgresErrorOf(error);
      if ((pg?.constraint_name ?? pg?.constraint) !== SLUG_CONSTRAINT) throw error;
    }
  }
  throw new ConflictError('No free slug was found for this name; choose one');
}

async function lockOrganization(tx: Transaction, organizationIds: readonly string[], id: string): Promise<OrganizationRow> {
  const organization = await findOrganizationForUpdate(tx, organizationIds, id);
  if (!organization) throw new NotFoundError('Organization', id);
  return organization;
}

export type UpdateOrganizationInput = { name?: string | null; slug?: string | null; settings?: OrganizationSettingsPatch | null };

export function updateOrganizationDetails(ctx: ServiceContext, id: string, input: UpdateOrganizationInput): Promise<OrganizationRow> {
  const viewer = requireOrganizationAccess(
    ctx,
    id,
    (viewer) => organizationPolicy.canUpdateSettings(viewer, id),
    'Only admins can change the organization',
  );
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const organization = await lockOrganization(tx, organizationIds, id);
      const changes: Partial<NewOrganization> = {};
      if (input.name != null) changes.name = input.name;
      if (input.slug != null && input.slug !== organization.slug) changes.slug = input.slug;
      if (input.settings != null) changes.settings = applySettingsPatch(organization.settings, input.settings);
      if (Object.keys(changes).length === 0) return organization;
      const updated = (await updateOrganization(tx, id, changes))!;
      const changed = activityChanges(organization, updated, ['name', 'slug', 'settings']);
      if (Object.keys(changed).length) await recordActivity(tx, organizationActivity(id, 'organization.updated', viewer.userId, changed));
      return updated;
    },
    constraints,
  );
}

/** Owners only. A plan the current projects or members (with pending invitations) do not fit in is refused. */
export function changePlan(ctx: ServiceContext, id: string, planId: string): Promise<OrganizationRow> {
  const viewer = requireOrganizationAccess(ctx, id, (viewer) => organizationPolicy.canManageBilling(viewer, id), 'Only owners can change the plan');
  return asViewer(ctx, async (tx, organizationIds) => {
    const organization = await lockOrganization(tx, organizationIds, id);
    const plan = await findPlan(tx, planId);
    if (!plan) throw ValidationError.field('plan', 'is not a known plan');
    if (plan.id === organization.planId) return organization;
    await ensureUsageFitsPlan(tx, id, plan, { projects: () => countLiveProjects(tx, id), members: () => countSeats(tx, id) });
    const updated = (await updateOrganization(tx, id, { planId: plan.id }))!;
    const planChange = { planId: { from: organization.planId, to: plan.id } };
    await recordActivity(tx, organizationActivity(id, 'organization.plan_changed', viewer.userId, planChange));
    return updated;
  });
}

/**
 * Owners only. Soft-deletes the organization and ends every membership and
 * open invitation, so it vanishes for everyone at once (its slug becomes free);
 * the former members' open subscriptions re-check and end as soon as it commits.
 */
export async function deleteOrganization(ctx: ServiceContext & Pick<GraphQLContext, 'realtime'>, id: string): Promise<{ organizationId: string }> {
  const viewer = requireOrganizationAccess(ctx, id, (viewer) => organizationPolicy.canDelete(viewer, id), 'Only owners can delete the organization');
  const formerMembers = await asViewer(ctx, async (tx, organizationIds) => {
    await lockOrganization(tx, organizationIds, id);
    const now = new Date();
    await updateOrganization(tx, id, { deletedAt: now });
    const userIds = await removeAllMembers(tx, id, now);
    await retireOpenInvitations(tx, id, now);
    // Nobody can read the feed any more; the event is for the real-time layer (clients drop the organization).
    await recordActivity(tx, organizationActivity(id, 'organization.deleted', viewer.userId));
    return userIds;
  });
  afterCommit(ctx, () => announceAccessChange(ctx.realtime.pubsub, formerMembers));
  rememberOwnMembership(ctx, id, null);
  return { organizationId: id };
}
