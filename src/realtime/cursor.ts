import { ValidationError } from '../shared/errors';
import { decodeCursor as decodePageCursor, encodeCursor as encodePageCursor } from '../shared/pagination';

/**
 * Subscription cursors: the event's `seq`, opaque to clients. Encoded like a
 * one-key feed cursor (`activityCursor` in the activity module gives the same
 * string), so a cursor from a feed page resumes a subscription and vice versa.
 */
export const encodeCursor = (seq: number): string => encodePageCursor([seq]);

/** The seq inside a cursor (null when none was given); anything malformed is a validation error on `path`. */
export function decodeCursor(cursor: string | null | undefined, path: string): number | null {
  if (cursor == null) return null;
  let seq: unknown;
  try {
    [seq] = decodePageCursor(cursor, 1);
  } catch {
    seq = null;
  }
  if (typeof seq !== 'number' || !Number.isSafeInteger(seq) || seq < 0) throw ValidationError.field(path, 'is not a valid cursor');
  return seq;
}
