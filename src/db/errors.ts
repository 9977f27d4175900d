import { ConflictError, DomainError, NotFoundError, ValidationError } from '../shared/errors';

type PostgresError = { code?: string; constraint_name?: string; constraint?: string };

/** The driver error under Drizzle's wrapper, if this is one. */
export function postgresErrorOf(error: unknown): PostgresError | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 3 && current; depth++) {
    if (typeof current === 'object' && current !== null && 'code' in current && typeof (current as PostgresError).code === 'string') {
      const code = (current as PostgresError).code!;
      if (/^[0-9A-Z]{5}$/.test(code)) return current as PostgresError;
    }
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** What a violated constraint means to the client, keyed by constraint name. */
export type ConstraintMessages = Record<string, DomainError | (() => DomainError)>;

/**
 * Turns a constraint violation into the domain error a client can act on.
 * Other errors pass through unchanged (and are masked as internal).
 */
export function translateDatabaseError(error: unknown, messages: ConstraintMessages = {}): unknown {
  if (error instanceof DomainError) return error;
  const pg = postgresErrorOf(error);
  if (!pg) return error;
  const constraint = pg.constraint_name ?? pg.constraint;
  const mapped = constraint ? messages[constraint] : undefined;
  if (mapped) return typeof mapped === 'function' ? mapped() : mapped;
  switch (pg.code) {
    case '23505':
      return new ConflictError('This would create a duplicate');
    case '23503':
      return new NotFoundError('Referenced record');
    case '23514':
    case '22P02':
    case '22001':
    case '22007':
    case '22008':
      return new ValidationError([{ path: [], message: 'A value is out of range or malformed' }]);
    case '42501':
      return new NotFoundError('Record');
    default:
      return error;
  }
}

/** Runs `work`, translating constraint violations into domain errors. */
export async function withConstraintMessages<T>(work: () => Promise<T>, messages: ConstraintMessages = {}): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw translateDatabaseError(error, messages);
  }
}
