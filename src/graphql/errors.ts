import {
  ConflictError,
  DomainError,
  ForbiddenError,
  LimitExceededError,
  NotFoundError,
  UnauthenticatedError,
  ValidationError,
  type FieldIssue,
} from '../shared/errors';
import { builder } from './builder';

/** Every typed error a mutation can return implements this. */
export const ErrorInterface = builder.interfaceRef<DomainError>('Error').implement({
  fields: (t) => ({
    message: t.exposeString('message'),
    code: t.exposeString('code'),
  }),
});

const FieldIssueRef = builder.objectRef<FieldIssue>('FieldIssue').implement({
  description: 'One invalid input: where it is (argument/field path) and what is wrong with it.',
  fields: (t) => ({
    path: t.exposeStringList('path'),
    message: t.exposeString('message'),
  }),
});

builder.objectType(ValidationError, {
  name: 'ValidationError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ issues: t.field({ type: [FieldIssueRef], resolve: (e) => [...e.issues] }) }),
});
builder.objectType(NotFoundError, {
  name: 'NotFoundError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ entity: t.exposeString('entity') }),
});
builder.objectType(ForbiddenError, { name: 'ForbiddenError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(UnauthenticatedError, { name: 'UnauthenticatedError', interfaces: [ErrorInterface], fields: () => ({}) });
builder.objectType(ConflictError, {
  name: 'ConflictError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ currentVersion: t.exposeInt('currentVersion', { nullable: true }) }),
});
builder.objectType(LimitExceededError, {
  name: 'LimitExceededError',
  interfaces: [ErrorInterface],
  fields: (t) => ({ limit: t.exposeString('limit'), max: t.exposeInt('max') }),
});

/** The errors any write can end in; mutations list these (plus their own, if any). */
export const MUTATION_ERRORS = [
  ValidationError,
  NotFoundError,
  ForbiddenError,
  UnauthenticatedError,
  ConflictError,
  LimitExceededError,
];
