import { ValidationError } from '../shared/errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: string) => UUID.test(value);

/** The row id inside a decoded global id; a malformed one is a validation error on `path`. */
export function idFrom(globalId: { id: string }, path: string): string {
  if (!isUuid(globalId.id)) throw ValidationError.field(path, 'is not a valid id');
  return globalId.id.toLowerCase();
}

export function optionalIdFrom(globalId: { id: string } | null | undefined, path: string): string | null | undefined {
  if (globalId === undefined) return undefined;
  if (globalId === null) return null;
  return idFrom(globalId, path);
}

/** A client-generated id for idempotent creates: a plain UUID. */
export function clientIdFrom(value: string | null | undefined, path = 'input.id'): string | undefined {
  if (value == null) return undefined;
  if (!isUuid(value)) throw ValidationError.field(path, 'must be a UUID');
  return value.toLowerCase();
}
