import { generateKeyBetween } from 'fractional-indexing';
import type { Executor } from '../../db/client';
import { ValidationError } from '../../shared/errors';
import { lockKey, neighbourRank, type SiblingList, type TaskRow } from './task.repository';

/** Where a task goes among its siblings: after one, before one, or (neither) at the end. */
export type Position = { afterId?: string | null; beforeId?: string | null };

/**
 * Serialises rank allocation in one sibling list, so two concurrent writers
 * never compute the same key (equal keys have no key between them).
 */
export function lockSiblingList(tx: Executor, list: SiblingList): Promise<void> {
  return lockKey(tx, `task-ranks:${list.organizationId}:${list.projectId}:${list.parentId ?? 'root'}`);
}

const isSibling = (task: TaskRow | undefined, list: SiblingList) =>
  task !== undefined &&
  task.deletedAt === null &&
  task.organizationId === list.organizationId &&
  task.projectId === list.projectId &&
  task.parentId === list.parentId;

/**
 * A new rank for `movingId` (undefined for a new task) in `list`, between the
 * requested neighbours; nothing else is renumbered. `neighbours` are the rows
 * of `position.afterId` / `position.beforeId`, already loaded; `path` names the
 * position input for errors. The caller holds the sibling list lock.
 */
export async function rankForPosition(
  tx: Executor,
  list: SiblingList,
  position: Position,
  neighbours: { after?: TaskRow; before?: TaskRow },
  path: string,
  movingId?: string,
): Promise<string> {
  const { afterId, beforeId } = position;
  for (const [key, id, row] of [
    ['afterId', afterId, neighbours.after],
    ['beforeId', beforeId, neighbours.before],
  ] as const) {
    if (!id) continue;
    if (id === movingId) throw ValidationError.field(`${path}.${key}`, 'cannot position a task relative to itself');
    if (!isSibling(row, list)) throw ValidationError.field(`${path}.${key}`, 'must be a task with the same project and parent');
  }
  const after = afterId ? neighbours.after!.rank : null;
  const before = beforeId ? neighbours.before!.rank : null;
  if (after !== null && before !== null) {
    if (after >= before) throw ValidationError.field(`${path}.beforeId`, 'must come after afterId');
    return generateKeyBetween(after, before);
  }
  if (after !== null) return generateKeyBetween(after, await neighbourRank(tx, list, after, 'next', movingId));
  if (before !== null) return generateKeyBetween(await neighbourRank(tx, list, before, 'previous', movingId), before);
  return generateKeyBetween(await neighbourRank(tx, list, null, 'previous', movingId), null);
}
