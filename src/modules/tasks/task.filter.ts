import { type AnyColumn, and, eq, exists, gt, gte, isNotNull, isNull, lt, lte, notInArray, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/client';
import { taskLabels, tasks } from '../../db/schema/index';
import { ValidationError } from '../../shared/errors';
import type { TaskPriority, TaskStatus } from './task.repository';
import { anyOf } from '../../db/any-of';

export type EnumFilter<T> = { eq?: T | null; in?: readonly T[] | null; notIn?: readonly T[] | null };
export type PriorityFilter = EnumFilter<TaskPriority> & { gt?: TaskPriority | null; gte?: TaskPriority | null; lt?: TaskPriority | null; lte?: TaskPriority | null };
export type IdFilter = { eq?: string | null; in?: readonly string[] | null; isNull?: boolean | null };
/** Dates are 'YYYY-MM-DD'. Comparisons never match tasks without a date; use isNull for those. */
export type DateFilter = { eq?: string | null; lt?: string | null; lte?: string | null; gt?: string | null; gte?: string | null; isNull?: boolean | null };

/** A task filter: every given condition must hold; `and` / `or` nest further filters. */
export type TaskFilter = {
  status?: EnumFilter<TaskStatus> | null;
  priority?: PriorityFilter | null;
  assigneeId?: IdFilter | null;
  milestoneId?: IdFilter | null;
  parentId?: IdFilter | null;
  /** Tasks carrying the label (eq) or any of the labels (in). */
  labelId?: Omit<IdFilter, 'isNull'> | null;
  dueDate?: DateFilter | null;
  topLevelOnly?: boolean | null;
  and?: readonly TaskFilter[] | null;
  or?: readonly TaskFilter[] | null;
};

export const MAX_FILTER_DEPTH = 5;
export const MAX_FILTER_NODES = 50;

/**
 * Refuses filters nested deeper than MAX_FILTER_DEPTH or with more than
 * MAX_FILTER_NODES sub-filters: each one adds to the SQL the database must plan.
 */
export function checkFilterShape(filter: TaskFilter, path: readonly string[]): void {
  let nodes = 0;
  const visit = (node: TaskFilter, at: readonly string[], depth: number) => {
    if (depth > MAX_FILTER_DEPTH) throw new ValidationError([{ path: at, message: `filters nest at most ${MAX_FILTER_DEPTH} levels deep` }]);
    if (++nodes > MAX_FILTER_NODES) throw new ValidationError([{ path: at, message: `a filter has at most ${MAX_FILTER_NODES} parts` }]);
    for (const key of ['and', 'or'] as const) node[key]?.forEach((child, i) => visit(child, [...at, key, String(i)], depth + 1));
  };
  visit(filter, path, 1);
}

function enumCondition(column: AnyColumn, f: EnumFilter<string>) {
  return [
    f.eq != null ? eq(column, f.eq) : undefined,
    f.in != null ? anyOf(column, [...f.in]) : undefined,
    f.notIn != null ? notInArray(column, [...f.notIn]) : undefined,
  ];
}

function idCondition(column: typeof tasks.assigneeId | typeof tasks.milestoneId | typeof tasks.parentId, f: IdFilter) {
  return [
    f.eq != null ? eq(column, f.eq) : undefined,
    f.in != null ? anyOf(column, f.in as string[]) : undefined,
    f.isNull != null ? (f.isNull ? isNull(column) : isNotNull(column)) : undefined,
  ];
}

function dateCondition(column: typeof tasks.dueDate, f: DateFilter) {
  return [
    f.eq != null ? eq(column, f.eq) : undefined,
    f.lt != null ? lt(column, f.lt) : undefined,
    f.lte != null ? lte(column, f.lte) : undefined,
    f.gt != null ? gt(column, f.gt) : undefined,
    f.gte != null ? gte(column, f.gte) : undefined,
    f.isNull != null ? (f.isNull ? isNull(column) : isNotNull(column)) : undefined,
  ];
}

function hasLabel(tx: Executor, labelIds: readonly string[]): SQL {
  return exists(
    tx
      .select({ one: sql`1` })
      .from(taskLabels)
      .where(
        and(
          eq(taskLabels.organizationId, tasks.organizationId),
          eq(taskLabels.taskId, tasks.id),
          anyOf(taskLabels.labelId, labelIds as string[]),
        ),
      ),
  );
}

const allOf = (conditions: (SQL | undefined)[]): SQL => and(...conditions) ?? sql`true`;

/** The SQL condition for a filter (already shape-checked), over the `tasks` table. */
export function taskFilterCondition(tx: Executor, filter: TaskFilter): SQL {
  const conditions: (SQL | undefined)[] = [];
  if (filter.status) conditions.push(...enumCondition(tasks.status, filter.status));
  if (filter.priority) {
    const p = filter.priority;
    conditions.push(
      ...enumCondition(tasks.priority, p),
      p.gt != null ? gt(tasks.priority, p.gt) : undefined,
      p.gte != null ? gte(tasks.priority, p.gte) : undefined,
      p.lt != null ? lt(tasks.priority, p.lt) : undefined,
      p.lte != null ? lte(tasks.priority, p.lte) : undefined,
    );
  }
  if (filter.assigneeId) conditions.push(...idCondition(tasks.assigneeId, filter.assigneeId));
  if (filter.milestoneId) conditions.push(...idCondition(tasks.milestoneId, filter.milestoneId));
  if (filter.parentId) conditions.push(...idCondition(tasks.parentId, filter.parentId));
  if (filter.labelId?.eq != null) conditions.push(hasLabel(tx, [filter.labelId.eq]));
  if (filter.labelId?.in != null) conditions.push(hasLabel(tx, filter.labelId.in));
  if (filter.dueDate) conditions.push(...dateCondition(tasks.dueDate, filter.dueDate));
  if (filter.topLevelOnly) conditions.push(isNull(tasks.parentId));
  if (filter.and?.length) conditions.push(allOf(filter.and.map((f) => taskFilterCondition(tx, f))));
  // An empty `or` matches nothing, as a disjunction of no terms should.
  if (filter.or) conditions.push(filter.or.length ? or(...filter.or.map((f) => taskFilterCondition(tx, f))) : sql`false`);
  return allOf(conditions);
}
