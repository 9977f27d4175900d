// The tasks module's GraphQL entry (imported by graphql/schema.ts): the Task type lives in task.type.ts,
// lists and mutations register themselves from their own files.
export { Task, TaskPriorityEnum, TaskStatusEnum } from './task.type';
export type { TaskRow } from './task.repository';
import './task-list.graphql';
import './task-mutations.graphql';
