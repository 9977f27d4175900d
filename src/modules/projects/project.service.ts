import { z } from 'zod';
import type { Transaction } from '../../db/client';
import type { ActivityChanges } from '../../db/schema/index';
import { newId } from '../../db/schema/columns';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import { createIdempotently } from '../../shared/idempotent-create';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
import { recordActivity } from '../../realtime/record-activity';
import { activityChanges } from '../activity/activity-changes';
import type { ServiceContext } from '../../graphql/context';
import { ensureBelowPlanLimit } from '../organizations/plan-limits';
import { projectPolicy } from './project.policy';
import {
  countLiveProjects,
  findProjectForUpdate,
  findProjectsByIds,
  insertProject,
  updateProject,
  type ProjectRow,
} from './project.repository';

export const projectName = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
export const projectDescription = z.string().max(20_000, 'must be at most 20000 characters');

const LEAD_NOT_MEMBER = () => ValidationError.field('input.leadId', 'must be a member of the organization');
const constraints = { projects_lead_fk: LEAD_NOT_MEMBER };

export type CreateProjectInput = {
  organizationId: string;
  id?: string;
  name: string;
  description?: string | null;
  leadId?: string | null;
};

export async function createProject(ctx: ServiceContext, input: CreateProjectInput): Promise<ProjectRow> {
  const viewer = requireViewer(ctx);
  if (!viewer.roles.has(input.organizationId)) throw new NotFoundError('Organization');
  if (!projectPolicy.canCreate(viewer, input.organizationId)) throw new ForbiddenError('Only admins can create projects');
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      await ensureBelowPlanLimit(tx, input.organizationId, 'projects', () => countLiveProjects(tx, input.organizationId));
      const id = input.id ?? newId();
      const { row, created } = await createIdempotently(
        viewer.userId,
        () =>
          insertProject(tx, {
            id,
            organizationId: input.organizationId,
            name: input.name,
            description: input.description ?? '',
            leadId: input.leadId ?? null,
            createdBy: viewer.userId,
          }),
        async () => (await findProjectsByIds(tx, organizationIds, [id]))[0] ?? null,
      );
      if (created) await recordProjectActivity(tx, row, 'project.created', viewer.userId);
      return row;
    },
    constraints,
  );
}

const recordProjectActivity = (tx: Transaction, project: ProjectRow, verb: string, actorId: string, changes: ActivityChanges = {}) =>
  recordActivity(tx, {
    organizationId: project.organizationId,
    actorId,
    verb,
    subjectType: 'project',
    subjectId: project.id,
    projectId: project.id,
    changes,
  });

export type UpdateProjectInput = {
  name?: string | null;
  description?: string | null;
  leadId?: string | null;
};

/** Loads a live project the viewer may change with `can`, locked for the rest of the transaction. */
async function lockProject(
  tx: Transaction,
  organizationIds: readonly string[],
  id: string,
  options: { includeDeleted?: boolean } = {},
): Promise<ProjectRow> {
  const project = await findProjectForUpdate(tx, organizationIds, id);
  if (!project || (project.deletedAt && !options.includeDeleted)) throw new NotFoundError('Project', id);
  return project;
}

export function updateProjectDetails(ctx: ServiceContext, id: string, input: UpdateProjectInput): Promise<ProjectRow> {
  const viewer = requireViewer(ctx);
  return asViewer(
    ctx,
    async (tx, organizationIds) => {
      const project = await lockProject(tx, organizationIds, id);
      if (!projectPolicy.canUpdate(viewer, project)) throw new ForbiddenError('Only admins can change projects');
      const changes: Partial<ProjectRow> = {};
      if (input.name != null) changes.name = input.name;
      if (input.description != null) changes.description = input.description;
      if (input.leadId !== undefined) changes.leadId = input.leadId;
      if (Object.keys(changes).length === 0) return project;
      const updated = (await updateProject(tx, project.organizationId, id, changes))!;
      const changed = activityChanges(project, updated, ['name', 'description', 'leadId']);
      if (Object.keys(changed).length) await recordProjectActivity(tx, updated, 'project.updated', viewer.userId, changed);
      return updated;
    },
    constraints,
  );
}

export function setProjectArchived(ctx: ServiceContext, id: string, archived: boolean): Promise<ProjectRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const project = await lockProject(tx, organizationIds, id);
    if (!projectPolicy.canArchive(viewer, project)) throw new ForbiddenError('Only admins can archive projects');
    const status = archived ? 'archived' : 'active';
    const updated = (await updateProject(tx, project.organizationId, id, { status }))!;
    if (project.status !== status) {
      await recordProjectActivity(tx, updated, archived ? 'project.archived' : 'project.unarchived', viewer.userId, {
        status: { from: project.status, to: status },
      });
    }
    return updated;
  });
}

export function deleteProject(ctx: ServiceContext, id: string): Promise<ProjectRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const project = await lockProject(tx, organizationIds, id);
    if (!projectPolicy.canDelete(viewer, project)) throw new ForbiddenError('Only admins can delete projects');
    const deleted = (await updateProject(tx, project.organizationId, id, { deletedAt: new Date() }))!;
    await recordProjectActivity(tx, deleted, 'project.deleted', viewer.userId);
    return deleted;
  });
}

export function restoreProject(ctx: ServiceContext, id: string): Promise<ProjectRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const project = await lockProject(tx, organizationIds, id, { includeDeleted: true });
    if (!projectPolicy.canDelete(viewer, project)) throw new ForbiddenError('Only admins can restore projects');
    if (!project.deletedAt) return project;
    await ensureBelowPlanLimit(tx, project.organizationId, 'projects', () => countLiveProjects(tx, project.organizationId));
    const restored = (await updateProject(tx, project.organizationId, id, { deletedAt: null }))!;
    await recordProjectActivity(tx, restored, 'project.restored', viewer.userId);
    return restored;
  });
}
