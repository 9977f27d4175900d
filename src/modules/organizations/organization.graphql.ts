import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { clientIdFrom, idFrom } from '../../graphql/ids';
import { organizationSettingsPatch, type OrganizationSettingsPatch } from './organization-settings';
import { organizationSlug } from './organization-slug';
import { changePlan, createOrganization, deleteOrganization, organizationName, updateOrganizationDetails } from './organization.service';
import { Organization } from './organization.types';

// The types live in organization.types.ts so that modules extending Organization can import them without a cycle.
export { MemberRoleEnum, Organization } from './organization.types';

const CreateOrganizationInput = builder.inputType('CreateOrganizationInput', {
  fields: (t) => ({
    id: t.string({ required: false, description: 'Client-generated UUID: retrying a create with it returns the same organization.' }),
    name: t.string({ required: true, validate: organizationName }),
    slug: t.string({
      required: false,
      validate: organizationSlug,
      description: '3 to 48 lowercase letters, digits and dashes; derived from the name when absent.',
    }),
  }),
});

const UpdateOrganizationInput = builder.inputType('UpdateOrganizationInput', {
  fields: (t) => ({
    name: t.string({ required: false, validate: organizationName }),
    slug: t.string({ required: false, validate: organizationSlug }),
    settings: t.field({
      type: 'JSONObject',
      required: false,
      validate: organizationSettingsPatch,
      description:
        'Changes to the settings: each key given replaces that setting, null removes it, others stay. ' +
        'Known keys: timezone (IANA name), weekStartsOn (0 = Sunday .. 6), defaultTaskStatus (backlog, todo, in_progress, done, canceled).',
    }),
  }),
});

const DeleteOrganizationSuccess = builder.objectRef<{ organizationId: string }>('DeleteOrganizationSuccess').implement({
  description: 'The organization is gone for everyone; only its id is left to tell clients what to drop.',
  fields: (t) => ({
    deletedOrganizationId: t.globalID({ nullable: false, resolve: (r) => ({ type: 'Organization', id: r.organizationId }) }),
  }),
});

builder.mutationFields((t) => ({
  createOrganization: t.field({
    type: Organization,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'organization' } },
    args: { input: t.arg({ type: CreateOrganizationInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createOrganization(ctx, { id: clientIdFrom(input.id), name: input.name, slug: input.slug }),
  }),
  updateOrganization: t.field({
    type: Organization,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'organization' } },
    args: { id: t.arg.globalID({ required: true, for: Organization }), input: t.arg({ type: UpdateOrganizationInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      updateOrganizationDetails(ctx, idFrom(id, 'id'), {
        name: input.name,
        slug: input.slug,
        // The validator has parsed it: only known keys, values in range.
        settings: input.settings as OrganizationSettingsPatch | null | undefined,
      }),
  }),
  changePlan: t.field({
    type: Organization,
    description: 'Owners only. Refused with LimitExceededError when current projects or members do not fit the new plan.',
    errors: { types: MUTATION_ERRORS, dataField: { name: 'organization' } },
    args: {
      id: t.arg.globalID({ required: true, for: Organization }),
      plan: t.arg.string({ required: true, description: 'A plan id: free, team or enterprise.' }),
    },
    resolve: (_root, { id, plan }, ctx) => changePlan(ctx, idFrom(id, 'id'), plan),
  }),
  deleteOrganization: t.field({
    type: DeleteOrganizationSuccess,
    description: 'Owners only. The organization and all its memberships are soft-deleted.',
    errors: { types: MUTATION_ERRORS, directResult: true },
    args: { id: t.arg.globalID({ required: true, for: Organization }) },
    resolve: (_root, { id }, ctx) => deleteOrganization(ctx, idFrom(id, 'id')),
  }),
}));
