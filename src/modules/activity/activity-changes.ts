import type { ActivityChanges } from '../../db/schema/index';
import { changedFields } from '../../realtime/record-activity';

/** Longest text (or JSON) kept per side of a change: history records that a body changed, not the body. */
export const BRIEF_LENGTH = 200;

function brief(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : typeof value === 'object' ? JSON.stringify(value) : null;
  if (text === null || text.length <= BRIEF_LENGTH) return value;
  return `${text.slice(0, BRIEF_LENGTH - 1)}…`;
}

/** `changedFields` with long values (descriptions, metadata) cut to BRIEF_LENGTH characters. */
export function activityChanges<T extends Record<string, unknown>>(
  before: T,
  after: Partial<T>,
  fields: readonly (keyof T & string)[],
): ActivityChanges {
  const changes = changedFields(before, after, fields);
  for (const change of Object.values(changes)) {
    change.from = brief(change.from);
    change.to = brief(change.to);
  }
  return changes;
}

export const hasChanges = (changes: ActivityChanges) => Object.keys(changes).length > 0;
