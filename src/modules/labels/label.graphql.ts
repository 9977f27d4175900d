import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { clientIdFrom, idFrom } from '../../graphql/ids';
import { asViewer, groupedInKeyOrder } from '../../shared/unit-of-work';
import { Organization } from '../organizations/organization.graphql';
import { listLabelsOfOrganizations } from './label.repository';
import { createLabel, deleteLabel, labelColor, labelName, restoreLabel, updateLabelDetails } from './label.service';
import { Label } from './label.type';
// Task.labels and the tagging mutations.
import './task-label.graphql';

// The labels module's GraphQL entry (imported by graphql/schema.ts): the Label type lives in label.type.ts.
export { Label } from './label.type';

builder.objectField(Organization, 'labels', (t) =>
  t.loadableList({
    type: Label,
    description: 'The labels of the organization, ordered by name (case-insensitively).',
    // byPath: every organization on one path shares the arguments, and is still loaded in one batch.
    byPath: true,
    args: { includeDeleted: t.arg.boolean({ required: false, defaultValue: false }) },
    load: (organizationIds: string[], ctx, args) =>
      asViewer(ctx, async (tx, visibleOrganizationIds) => {
        const visible = organizationIds.filter((id) => visibleOrganizationIds.includes(id));
        const rows = await listLabelsOfOrganizations(tx, visible, { includeDeleted: args.includeDeleted ?? false });
        return groupedInKeyOrder(organizationIds, rows, (label) => label.organizationId);
      }),
    resolve: (org) => org.id,
  }),
);

const CreateLabelInput = builder.inputType('CreateLabelInput', {
  fields: (t) => ({
    organizationId: t.globalID({ required: true, for: Organization }),
    id: t.string({ required: false, description: 'Client-generated UUID: retrying a create with it returns the same label.' }),
    name: t.string({ required: true, validate: labelName }),
    color: t.string({ required: false, validate: labelColor, description: '#rrggbb; a neutral grey when omitted.' }),
  }),
});

const UpdateLabelInput = builder.inputType('UpdateLabelInput', {
  fields: (t) => ({
    name: t.string({ required: false, validate: labelName }),
    color: t.string({ required: false, validate: labelColor }),
  }),
});

builder.mutationFields((t) => ({
  createLabel: t.field({
    type: Label,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'label' } },
    args: { input: t.arg({ type: CreateLabelInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createLabel(ctx, {
        organizationId: idFrom(input.organizationId, 'input.organizationId'),
        id: clientIdFrom(input.id),
        name: input.name,
        color: input.color,
      }),
  }),
  updateLabel: t.field({
    type: Label,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'label' } },
    args: { id: t.arg.globalID({ required: true, for: Label }), input: t.arg({ type: UpdateLabelInput, required: true }) },
    resolve: (_root, { id, input }, ctx) => updateLabelDetails(ctx, idFrom(id, 'id'), { name: input.name, color: input.color }),
  }),
  deleteLabel: t.field({
    type: Label,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'label' } },
    args: { id: t.arg.globalID({ required: true, for: Label }) },
    resolve: (_root, { id }, ctx) => deleteLabel(ctx, idFrom(id, 'id')),
  }),
  restoreLabel: t.field({
    type: Label,
    errors: { types: MUTATION_ERRORS, dataField: { name: 'label' } },
    args: { id: t.arg.globalID({ required: true, for: Label }) },
    resolve: (_root, { id }, ctx) => restoreLabel(ctx, idFrom(id, 'id')),
  }),
}));
