import { sql } from 'drizzle-orm';
import type { TestApp } from '../../support/harness';

/** The fields every task mutation test reads back. */
export const TASK_FIELDS = /* GraphQL */ `
  id title description status priority dueDate estimateMinutes rank version completedAt metadata deletedAt
  project { id } milestone { id } assignee { id } parent { id }
`;

const ERROR_FIELDS = /* GraphQL */ `
  ... on Error { message code }
  ... on ValidationError { issues { path message } }
  ... on NotFoundError { entity }
  ... on ConflictError { currentVersion }
`;

export const CREATE_TASK = /* GraphQL */ `
  mutation ($input: CreateTaskInput!) {
    createTask(input: $input) { __typename ... on CreateTaskSuccess { task { ${TASK_FIELDS} } } ${ERROR_FIELDS} }
  }
`;

export const UPDATE_TASK = /* GraphQL */ `
  mutation ($id: ID!, $expectedVersion: Int, $input: UpdateTaskInput!) {
    updateTask(id: $id, expectedVersion: $expectedVersion, input: $input) {
      __typename ... on UpdateTaskSuccess { task { ${TASK_FIELDS} } } ${ERROR_FIELDS}
    }
  }
`;

export const MOVE_TASK = /* GraphQL */ `
  mutation ($id: ID!, $input: MoveTaskInput!) {
    moveTask(id: $id, input: $input) { __typename ... on MoveTaskSuccess { task { ${TASK_FIELDS} } } ${ERROR_FIELDS} }
  }
`;

export const DELETE_TASK = /* GraphQL */ `
  mutation ($id: ID!) { deleteTask(id: $id) { __typename ... on DeleteTaskSuccess { task { ${TASK_FIELDS} } } ${ERROR_FIELDS} } }
`;

export const RESTORE_TASK = /* GraphQL */ `
  mutation ($id: ID!) { restoreTask(id: $id) { __typename ... on RestoreTaskSuccess { task { ${TASK_FIELDS} } } ${ERROR_FIELDS} } }
`;

export const BULK_UPDATE = /* GraphQL */ `
  mutation ($ids: [ID!]!, $input: BulkUpdateTasksInput!) {
    bulkUpdateTasks(ids: $ids, input: $input) { __typename ... on BulkUpdateTasksSuccess { tasks { ${TASK_FIELDS} } } ${ERROR_FIELDS} }
  }
`;

/** A snapshot of every task row, to prove a refused mutation wrote nothing. */
export async function snapshotTasks(t: TestApp): Promise<string> {
  const rows = await t.owner.db.execute(sql`select * from tasks order by id`);
  return JSON.stringify(rows);
}

export type TaskDbRow = {
  id: string;
  project_id: string;
  parent_id: string | null;
  milestone_id: string | null;
  rank: string;
  version: number;
  deleted_at: Date | null;
  status: string;
  assignee_id: string | null;
  completed_at: Date | null;
};

export async function taskRow(t: TestApp, id: string): Promise<TaskDbRow> {
  const [row] = await t.owner.db.execute<TaskDbRow>(sql`select * from tasks where id = ${id}`);
  return row!;
}

/** Ids of the live children of `parentId` (null: top level) in `projectId`, in rank order. */
export async function siblingOrder(t: TestApp, projectId: string, parentId: string | null): Promise<string[]> {
  const rows = await t.owner.db.execute<{ id: string }>(
    sql`select id from tasks where project_id = ${projectId} and parent_id is not distinct from ${parentId}::uuid and deleted_at is null order by rank, id`,
  );
  return rows.map((row) => row.id);
}
