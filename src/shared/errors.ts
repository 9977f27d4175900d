/**
 * Domain errors: services throw these, and graphql/errors.ts maps each to a
 * GraphQL error type. Anything else reaching a client is masked.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
}

export type FieldIssue = { path: readonly string[]; message: string };

export class ValidationError extends DomainError {
  readonly code = 'VALIDATION_FAILED';
  constructor(readonly issues: readonly FieldIssue[]) {
    super(issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
  }
  static field(path: string | readonly string[], message: string): ValidationError {
    return new ValidationError([{ path: typeof path === 'string' ? path.split('.') : path, message }]);
  }
}

/** Also used for rows of another organization: their existence is never revealed. */
export class NotFoundError extends DomainError {
  readonly code = 'NOT_FOUND';
  constructor(readonly entity: string, readonly id?: string) {
    super(id ? `${entity} ${id} was not found` : `${entity} was not found`);
  }
}

export class ForbiddenError extends DomainError {
  readonly code = 'FORBIDDEN';
  constructor(message = 'You are not allowed to do this') {
    super(message);
  }
}

export class UnauthenticatedError extends DomainError {
  readonly code = 'UNAUTHENTICATED';
  constructor(message = 'Authentication required') {
    super(message);
  }
}

export class ConflictError extends DomainError {
  readonly code = 'CONFLICT';
  constructor(message: string, readonly currentVersion?: number) {
    super(message);
  }
}

export class LimitExceededError extends DomainError {
  readonly code = 'LIMIT_EXCEEDED';
  constructor(readonly limit: string, readonly max: number) {
    super(`Your plan allows at most ${max} ${limit}`);
  }
}
