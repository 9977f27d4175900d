import { readByKeys } from '../../realtime/delivery-reads';
import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { clientIdFrom, idFrom } from '../../graphql/ids';
import { asViewer, inKeyOrder } from '../../shared/unit-of-work';
import { Project } from '../projects/project.graphql';
import { milestonePolicy } from './milestone.policy';
import { findMilestonesByIds, findMilestonesOfProjects, type MilestoneRow } from './milestone.repository';
import {
  createMilestone,
  deleteMilestone,
  milestoneDescription,
  milestoneName,
  restoreMilestone,
  updateMilestoneDetails,
} from './milestone.service';

export const Milestone = builder.loadableNode('Milestone', {
  id: { resolve: (milestone: MilestoneRow) => milestone.id },
  isTypeOf: (value) =>
    typeof value === 'object' && value !== null && 'projectId' in value && 'name' in value && !('rank' in value),
  load: (ids: string[], ctx) =>
    readByKeys(ctx, 'milestones', ids, async (tx, organizationIds, keys) => inKeyOrder(keys, await findMilestonesByIds(tx, organizationIds, keys), (m) => m.id)),
  authScopes: (milestone) => ({ orgRole: { organizationId: milestone.organizationId, role: 'viewer' } }),
  fields: (t) => ({
    name: t.exposeString('name'),
    description: t.exposeString('description'),
    dueDate: t.expose('dueDate', { type: 'Date', nullable: true }),
    project: t.field({ type: Project, resolve: (milestone) => milestone.projectId }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    updatedAt: t.expose('updatedAt', { type: 'DateTime' }),
    deletedAt: t.expose('deletedAt', { type: 'DateTime', nullable: true }),
    viewerCan: t.field({ type: MilestonePermissions, resolve: (milestone) => milestone }),
  }),
});

const MilestonePermissions = builder.objectRef<MilestoneRow>('MilestonePermissions').implement({
  description: 'What the viewer may do with this milestone.',
  fields: (t) => ({
    manage: t.boolean({
      description: 'Update, delete and restore.',
      resolve: async (milestone, _a, ctx) => {
        const project = await Project.getDataloader(ctx).load(milestone.projectId);
        return project !== null && milestonePolicy.canManage(ctx.viewer, project);
      },
    }),
  }),
});

builder.objectField(Project, 'milestones', (t) =>
  t.loadableGroup({
    type: Milestone,
    description: 'Live milestones of the project, soonest due first (undated last).',
    load: (projectIds: string[], ctx) =>
      asViewer(ctx, (tx, organizationIds) => findMilestonesOfProjects(tx, organizationIds, projectIds)),
    group: (milestone) => (milestone as MilestoneRow).projectId,
    resolve: (project) => project.id,
  }),
);

const CreateMilestoneInput = builder.inputType('CreateMilestoneInput', {
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: Project }),
    id: t.string({ required: false, description: 'Client-generated UUID: retrying a create with it returns the same milestone.' }),
    name: t.string({ required: true, validate: milestoneName }),
    description: t.string({ required: false, validate: milestoneDescription }),
    dueDate: t.field({ type: 'Date', required: false }),
  }),
});

const UpdateMilestoneInput = builder.inputType('UpdateMilestoneInput', {
  fields: (t) => ({
    name: t.string({ required: false, validate: milestoneName }),
    description: t.string({ required: false, validate: milestoneDescription }),
    dueDate: t.field({ type: 'Date', required: false, description: 'null clears the due date.' }),
  }),
});

builder.mutationFields((t) => ({
  createMilestone: t.field({
    type: Milestone,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'milestone' } },
    args: { input: t.arg({ type: CreateMilestoneInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createMilestone(ctx, {
        projectId: idFrom(input.projectId, 'input.projectId'),
        id: clientIdFrom(input.id),
        name: input.name,
        description: input.description,
        dueDate: input.dueDate,
      }),
  }),
  updateMilestone: t.field({
    type: Milestone,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'milestone' } },
    args: { id: t.arg.globalID({ required: true, for: Milestone }), input: t.arg({ type: UpdateMilestoneInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      updateMilestoneDetails(ctx, idFrom(id, 'id'), { name: input.name, description: input.description, dueDate: input.dueDate }),
  }),
  deleteMilestone: t.field({
    type: Milestone,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'milestone' } },
    args: { id: t.arg.globalID({ required: true, for: Milestone }) },
    resolve: (_root, { id }, ctx) => deleteMilestone(ctx, idFrom(id, 'id')),
  }),
  restoreMilestone: t.field({
    type: Milestone,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'milestone' } },
    args: { id: t.arg.globalID({ required: true, for: Milestone }) },
    resolve: (_root, { id }, ctx) => restoreMilestone(ctx, idFrom(id, 'id')),
  }),
}));
