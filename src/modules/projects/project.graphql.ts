import { readByKeys } from '../../realtime/delivery-reads';
import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { clientIdFrom, idFrom, optionalIdFrom } from '../../graphql/ids';
import { toConnection } from '../../shared/pagination';
import { readTimeKeysetPage, timeKeyOf } from '../../shared/time-keyset';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { Organization } from '../organizations/organization.graphql';
import { projectPolicy } from './project.policy';
import { findProjectsByIds, listProjects, type ProjectRow } from './project.repository';
import {
  createProject,
  deleteProject,
  projectDescription,
  projectName,
  restoreProject,
  setProjectArchived,
  updateProjectDetails,
} from './project.service';

export const ProjectStatusEnum = builder.enumType('ProjectStatus', {
  values: { ACTIVE: { value: 'active' }, ARCHIVED: { value: 'archived' } } as const,
});

export const Project = builder.loadableNode('Project', {
  id: { resolve: (project: ProjectRow) => project.id },
  isTypeOf: (value) => typeof value === 'object' && value !== null && 'leadId' in value && 'status' in value,
  load: (ids: string[], ctx) =>
    readByKeys(ctx, 'projects', ids, async (tx, organizationIds, keys) => inKeyOrder(keys, await findProjectsByIds(tx, organizationIds, keys), (p) => p.id)),
  authScopes: (project) => ({ orgRole: { organizationId: project.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    status: t.expose('status', { type: ProjectStatusEnum }),
    organization: t.field({ type: Organization, resolve: (project) => project.organizationId }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    viewerCan: t.field({ type: ProjectPermissions, resolve: (project) => project }),
  }),
});

const ProjectPermissions = builder.objectRef<ProjectRow>('ProjectPermissions').implement({
  description: 'What the viewer may do with this project.',
  fields: (t) => ({
    update: t.boolean({ resolve: (p, _a, ctx) => projectPolicy.canUpdate(ctx.viewer, p) }),
    archive: t.boolean({ resolve: (p, _a, ctx) => projectPolicy.canArchive(ctx.viewer, p) }),
    delete: t.boolean({ resolve: (p, _a, ctx) => projectPolicy.canDelete(ctx.viewer, p) }),
    createTask: t.boolean({ resolve: (p, _a, ctx) => projectPolicy.canCreateTasks(ctx.viewer, p) }),
  }),
});

builder.objectField(Organization, 'projects', (t) =>
  t.connection({
    type: Project,
    args: {
      status: t.arg({ type: ProjectStatusEnum, required: false }),
      includeDeleted: t.arg.boolean({ required: false, defaultValue: false }),
    },
    resolve: async (org, args, ctx) => {
      const page = readTimeKeysetPage(args);
      const rows = await asViewer(ctx, (tx) =>
        listProjects(tx, org.id, { status: args.status, includeDeleted: args.includeDeleted ?? false }, page),
      );
      return toConnection(rows, page, (p) => timeKeyOf(p.createdAt, p.id));
    },
  }),
);

const CreateProjectInput = builder.inputType('CreateProjectInput', {
  fields: (t) => ({
    organizationId: t.globalID({ required: true, for: Organization }),
    id: t.string({ required: false, description: 'Client-generated UUID: retrying a create with it returns the same project.' }),
    name: t.string({ required: true, validate: projectName }),
    description: t.string({ required: false, validate: projectDescription }),
    leadId: t.globalID({ required: false }),
  }),
});

const UpdateProjectInput = builder.inputType('UpdateProjectInput', {
  fields: (t) => ({
    name: t.string({ required: false, validate: projectName }),
    description: t.string({ required: false, validate: projectDescription }),
    leadId: t.globalID({ required: false, description: 'A member to lead the project; null clears it.' }),
  }),
});

builder.mutationFields((t) => ({
  createProject: t.field({
    type: Project,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'project' } },
    args: { input: t.arg({ type: CreateProjectInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createProject(ctx, {
        organizationId: idFrom(input.organizationId, 'input.organizationId'),
        id: clientIdFrom(input.id),
        name: input.name,
        description: input.description,
        leadId: optionalIdFrom(input.leadId, 'input.leadId'),
      }),
  }),
  updateProject: t.field({
    type: Project,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'project' } },
    args: { id: t.arg.globalID({ required: true, for: Project }), input: t.arg({ type: UpdateProjectInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      updateProjectDetails(ctx, idFrom(id, 'id'), {
        name: input.name,
        description: input.description,
        leadId: optionalIdFrom(input.leadId, 'input.leadId'),
      }),
  }),
  archiveProject: t.field({
    type: Project,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'project' } },
    args: { id: t.arg.globalID({ required: true, for: Project }) },
    resolve: (_root, { id }, ctx) => setProjectArchived(ctx, idFrom(id, 'id'), true),
  }),
  unarchiveProject: t.field({
    type: Project,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'project' } },
    args: { id: t.arg.globalID({ required: true, for: Project }) },
    resolve: (_root, { id }, ctx) => setProjectArchived(ctx, idFrom(id, 'id'), false),
  }),
  deleteProject: t.field({
    type: Project,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'project' } },
    args: { id: t.arg.globalID({ required: true, for: Project }) },
    resolve: (_root, { id }, ctx) => deleteProject(ctx, idFrom(id, 'id')),
  }),
  restoreProject: t.field({
    type: Project,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'project' } },
    args: { id: t.arg.globalID({ required: true, for: Project }) },
    resolve: (_root, { id }, ctx) => restoreProject(ctx, idFrom(id, 'id')),
  }),
}));
