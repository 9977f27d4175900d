import { z } from 'zod';
import type { Transaction } from '../../db/client';
import { newId } from '../../db/schema/columns';
import { ForbiddenError, NotFoundError, ValidationError } from '../../shared/errors';
import { createIdempotently } from '../../shared/idempotent-create';
import { asViewer, requireViewer } from '../../shared/unit-of-work';
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
      const { row } = await createIdempotently(
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
      return row;
    },
    constraints,
  );
}

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
      return (await updateProject(tx, project.organizationId, id, changes))!;
    },
    constraints,
  );
}

export function setProjectArchived(ctx: ServiceContext, id: string, archived: boolean): Promise<ProjectRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const project = await lockProject(tx, organizationIds, id);
    if (!projectPolicy.canArchive(viewer, project)) throw new ForbiddenError('Only admins can archive projects');
    return (await updateProject(tx, project.organizationId, id, { status: archived ? 'archived' : 'active' }))!;
  });
}

export function deleteProject(ctx: ServiceContext, id: string): Promise<ProjectRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const project = await lockProject(tx, organizationIds, id);
    if (!projectPolicy.canDelete(viewer, project)) throw new ForbiddenError('Only admins can delete projects');
    return (await updateProject(tx, project.organizationId, id, { deletedAt: new Date() }))!;
  });
}

export function restoreProject(ctx: ServiceContext, id: string): Promise<ProjectRow> {
  const viewer = requireViewer(ctx);
  return asViewer(ctx, async (tx, organizationIds) => {
    const project = await lockProject(tx, organizationIds, id, { includeDeleted: true });
    if (!projectPolicy.canDelete(viewer, project)) throw new ForbiddenError('Only admins can restore projects');
    if (!project.deletedAt) return project;
    await ensureBelowPlanLimit(tx, project.organizationId, 'projects', () => countLiveProjects(tx, project.organizationId));
    return (await updateProject(tx, project.organizationId, id, { deletedAt: null }))!;
  });
}
