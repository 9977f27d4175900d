import type { Executor } from '../db/client';
import { activityEvents, type ActivityChanges } from '../db/schema/index';

export type ActivityInput = {
  organizationId: string;
  actorId: string | null;
  /** `subject.action`: `task.created`, `task.status_changed`, `comment.created` … */
  verb: string;
  subjectType: 'organization' | 'member' | 'project' | 'milestone' | 'label' | 'task' | 'dependency' | 'comment' | 'attachment' | 'time_entry';
  subjectId: string;
  projectId?: string | null;
  taskId?: string | null;
  changes?: ActivityChanges;
};

/**
 * Writes activity in the caller's transaction: it commits or rolls back with
 * the change it describes. It is also the real-time outbox: the sequencer
 * numbers it after commit and publishes it. Returns the event id.
 */
export async function recordActivity(tx: Executor, ...events: ActivityInput[]): Promise<string[]> {
  if (events.length === 0) return [];
  const rows = await tx
    .insert(activityEvents)
    .values(
      events.map((event) => ({
        organizationId: event.organizationId,
        actorId: event.actorId,
        verb: event.verb,
        subjectType: event.subjectType,
        subjectId: event.subjectId,
        projectId: event.projectId ?? null,
        taskId: event.taskId ?? null,
        changes: event.changes ?? {},
      })),
    )
    .returning({ id: activityEvents.id });
  return rows.map((row) => row.id);
}

/** The fields that differ between `before` and `after`, as `{ field: { from, to } }`. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>, fields: readonly (keyof T & string)[]): ActivityChanges {
  const changes: ActivityChanges = {};
  for (const field of fields) {
    if (!(field in after)) continue;
    const from = before[field] ?? null;
    const to = after[field] ?? null;
    if (!sameValue(from, to)) changes[field] = { from, to };
  }
  return changes;
}

const sameValue = (a: unknown, b: unknown) =>
  a instanceof Date && b instanceof Date ? a.getTime() === b.getTime() : JSON.stringify(a) === JSON.stringify(b);
