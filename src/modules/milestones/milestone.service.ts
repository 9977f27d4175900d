import { z } from 'zod';
import type { Transaction } from '../../db/client';
import { newId } from '../../db/schema/columns';
import type { ServiceContext } from '../../graphql/context';
import { ForbiddenError, NotFoundError } from '../../shared/errors';
import { createIdempotently } from '../../shared/idempotent-create';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import type { ActivityChanges } from '../../db/schema/index';
import { recordActivity } from '../../realtime/record-activity';
import { activityChanges } from '../activity/activity-changes';
import { findProjectsByIds, type ProjectRow } from '../projects/project.repository';
import { milestonePolicy } from './milestone.policy';
import { findMilestoneForUpdate, findMilestonesByIds, insertMilestone, updateMilestone, type MilestoneRow } from './milestone.repository';

export const milestoneName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const milestoneDescription = z.string().max(20_000, 'must be at most 20000 characters');

const FORBIDDEN = 'Only members can manage milestones, and only in active projects';

async function liveProject(tx: Transaction, organizationIds: readonly string[], projectId: string): Promise<ProjectRow> {
  const [project] = await findProjectsByIds(tx, organizationIds, [projectId]);
  if (!project || project.deletedAt) throw new NotFoundError('Project', projectId);
  return project;
}

const recordMilestoneActivity = (tx: Transaction, milestone: MilestoneRow, verb: string, actorId: string, changes: ActivityChanges = {}) =>
  recordActivity(tx, {
    organizationId: milestone.organizationId,
    actorId,
    verb,
    subjectType: 'milestone',
    subjectId: milestone.id,
    projectId: milestone.projectId,
    changes,
  });

export type CreateMilestoneInput = {
  projectId: string;
  id?: string;
  name: string;
  description?: string | null;
  dueDate?: string | null;
};

export function createMilestone(ctx: ServiceContext, input: CreateMilestoneInput): Promise<MilestoneRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const project = await liveProject(tx, organizationIds, input.projectId);
    if (!milestonePolicy.canManage(viewer, project)) throw new ForbiddenError(FORBIDDEN);
    const id = input.id ?? newId();
    const { row, created } = await createIdempotently(
      viewer.userId,
      () =>
        insertMilestone(tx, {
          id,
          organizationId: project.organizationId,
          projectId: project.id,
          name: input.name,
          description: input.description ?? '',
          dueDate: input.dueDate ?? null,
          createdBy: viewer.userId,
        }),
      async () => (await findMilestonesByIds(tx, organizationIds, [id]))[0] ?? null,
    );
    if (created) await recordMilestoneActivity(tx, row, 'milestone.created', viewer.userId);
    return row;
  });
}

/** Locks a milestone the viewer may manage; deleted ones only when `includeDeleted`. */
async function lockManageableMilestone(
  ctx: ServiceContext,
  tx: Transaction,
  organizationIds: readonly string[],
  id: string,
  options: { includeDeleted?: boolean } = {},
): Promise<MilestoneRow> {
  const milestone = await findMilestoneForUpdate(tx, organizationIds, id);
  if (!milestone || (milestone.deletedAt && !options.includeDeleted)) throw new NotFoundError('Milestone', id);
  const project = await liveProject(tx, organizationIds, milestone.projectId);
  if (!milestonePolicy.canManage(ctx.viewer, project)) throw new ForbiddenError(FORBIDDEN);
  return milestone;
}

export type UpdateMilestoneInput = {
  name?: string | null;
  description?: string | null;
  /** null clears the due date; undefined keeps it. */
  dueDate?: string | null;
};

export function updateMilestoneDetails(ctx: ServiceContext, id: string, input: UpdateMilestoneInput): Promise<MilestoneRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const milestone = await lockManageableMilestone(ctx, tx, organizationIds, id);
    const changes: Partial<MilestoneRow> = {};
    if (input.name != null) changes.name = input.name;
    if (input.description != null) changes.description = input.description;
    if (input.dueDate !== undefined) changes.dueDate = input.dueDate;
    if (Object.keys(changes).length === 0) return milestone;
    const updated = await updateMilestone(tx, milestone.organizationId, id, changes);
    const changed = activityChanges(milestone, updated, ['name', 'description', 'dueDate']);
    if (Object.keys(changed).length) await recordMilestoneActivity(tx, updated, 'milestone.updated', viewer.userId, changed);
    return updated;
  });
}

/**
 * Soft delete. Tasks keep pointing at the milestone (so a restore brings the
 * grouping back) but show no milestone while it is deleted.
 */
export function deleteMilestone(ctx: ServiceContext, id: string): Promise<MilestoneRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const milestone = await lockManageableMilestone(ctx, tx, organizationIds, id);
    const deleted = await updateMilestone(tx, milestone.organizationId, id, { deletedAt: new Date() });
    await recordMilestoneActivity(tx, deleted, 'milestone.deleted', viewer.userId);
    return deleted;
  });
}

export function restoreMilestone(ctx: ServiceContext, id: string): Promise<MilestoneRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const milestone = await lockManageableMilestone(ctx, tx, organizationIds, id, { includeDeleted: true });
    if (!milestone.deletedAt) return milestone;
    const restored = await updateMilestone(tx, milestone.organizationId, id, { deletedAt: null });
    await recordMilestoneActivity(tx, restored, 'milestone.restored', viewer.userId);
    return restored;
  });
}
