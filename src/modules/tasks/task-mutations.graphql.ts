import { builder } from '../../graphql/builder';
import { MUTATION_ERRORS } from '../../graphql/errors';
import { clientIdFrom, idFrom, optionalIdFrom } from '../../graphql/ids';
import { Milestone } from '../milestones/milestone.graphql';
import { Project } from '../projects/project.graphql';
import { User } from '../users/user.graphql';
import { bulkUpdateTasks } from './services/bulk-update-tasks';
import { createTask } from './services/create-task';
import { deleteTask, restoreTask } from './services/delete-task';
import { moveTask } from './services/move-task';
import { updateTaskDetails, type UpdateTaskInput as TaskDetails } from './services/update-task';
import { Task, TaskPriorityEnum, TaskStatusEnum } from './task.type';
import { taskDescription, taskEstimateMinutes, taskMetadata, taskTitle } from './task.validation';

const TaskPositionInput = builder.inputType('TaskPositionInput', {
  description: 'Where the task goes among its siblings: right after afterId, right before beforeId, or between both. Neither: at the end.',
  fields: (t) => ({
    afterId: t.globalID({ required: false, for: Task }),
    beforeId: t.globalID({ required: false, for: Task }),
  }),
});

const CreateTaskInput = builder.inputType('CreateTaskInput', {
  fields: (t) => ({
    projectId: t.globalID({ required: true, for: Project }),
    id: t.string({ required: false, description: 'Client-generated UUID: retrying a create with it returns the same task.' }),
    title: t.string({ required: true, validate: taskTitle }),
    description: t.string({ required: false, validate: taskDescription }),
    status: t.field({ type: TaskStatusEnum, required: false, description: 'Default TODO.' }),
    priority: t.field({ type: TaskPriorityEnum, required: false, description: 'Default NONE.' }),
    dueDate: t.field({ type: 'Date', required: false }),
    estimateMinutes: t.int({ required: false, validate: taskEstimateMinutes }),
    assigneeId: t.globalID({ required: false, for: User, description: 'A member of the organization.' }),
    milestoneId: t.globalID({ required: false, for: Milestone, description: "A milestone of the task's project." }),
    parentId: t.globalID({ required: false, for: Task, description: 'A task of the same project.' }),
    metadata: t.field({ type: 'JSONObject', required: false, validate: taskMetadata, description: 'Free-form, at most 16 KB as JSON.' }),
    position: t.field({ type: TaskPositionInput, required: false }),
  }),
});

const UpdateTaskInput = builder.inputType('UpdateTaskInput', {
  description: 'Omitted fields are kept; null clears dueDate, estimateMinutes, assigneeId and milestoneId.',
  fields: (t) => ({
    title: t.string({ required: false, validate: taskTitle }),
    description: t.string({ required: false, validate: taskDescription }),
    status: t.field({ type: TaskStatusEnum, required: false, description: 'DONE and CANCELED set completedAt; other statuses clear it.' }),
    priority: t.field({ type: TaskPriorityEnum, required: false }),
    dueDate: t.field({ type: 'Date', required: false }),
    estimateMinutes: t.int({ required: false, validate: taskEstimateMinutes }),
    assigneeId: t.globalID({ required: false, for: User }),
    milestoneId: t.globalID({ required: false, for: Milestone }),
    metadata: t.field({ type: 'JSONObject', required: false, validate: taskMetadata, description: 'Replaces the whole object.' }),
  }),
});

const MoveTaskInput = builder.inputType('MoveTaskInput', {
  description:
    'Reorder, reparent and/or change project. The subtree moves along; changing project clears milestones. Without a position the task goes last.',
  fields: (t) => ({
    parentId: t.globalID({ required: false, for: Task, description: 'null: top level; omitted: unchanged (top level when the project changes).' }),
    projectId: t.globalID({ required: false, for: Project, description: "Omitted: the new parent's project, else unchanged." }),
    afterId: t.globalID({ required: false, for: Task }),
    beforeId: t.globalID({ required: false, for: Task }),
  }),
});

const BulkUpdateTasksInput = builder.inputType('BulkUpdateTasksInput', {
  fields: (t) => ({
    status: t.field({ type: TaskStatusEnum, required: false }),
    assigneeId: t.globalID({ required: false, for: User, description: 'null unassigns.' }),
  }),
});

const taskResult = { types: MUTATION_ERRORS, dataField: { name: 'task' } };

/** The detail fields create and update share, with their ids decoded (paths name the input field). */
function taskDetailsFrom(input: {
  title?: string | null;
  description?: string | null;
  status?: TaskDetails['status'];
  priority?: TaskDetails['priority'];
  dueDate?: string | null;
  estimateMinutes?: number | null;
  assigneeId?: { id: string } | null;
  milestoneId?: { id: string } | null;
  metadata?: Record<string, unknown> | null;
}): TaskDetails {
  return {
    title: input.title,
    description: input.description,
    status: input.status,
    priority: input.priority,
    dueDate: input.dueDate,
    estimateMinutes: input.estimateMinutes,
    assigneeId: optionalIdFrom(input.assigneeId, 'input.assigneeId'),
    milestoneId: optionalIdFrom(input.milestoneId, 'input.milestoneId'),
    metadata: input.metadata,
  };
}

builder.mutationFields((t) => ({
  createTask: t.field({
    type: Task,
    errors: taskResult,
    args: { input: t.arg({ type: CreateTaskInput, required: true }) },
    resolve: (_root, { input }, ctx) =>
      createTask(ctx, {
        projectId: idFrom(input.projectId, 'input.projectId'),
        id: clientIdFrom(input.id),
        ...taskDetailsFrom(input),
        title: input.title,
        parentId: optionalIdFrom(input.parentId, 'input.parentId'),
        position: input.position && {
          afterId: optionalIdFrom(input.position.afterId, 'input.position.afterId'),
          beforeId: optionalIdFrom(input.position.beforeId, 'input.position.beforeId'),
        },
      }),
  }),
  updateTask: t.field({
    type: Task,
    errors: taskResult,
    args: {
      id: t.arg.globalID({ required: true, for: Task }),
      expectedVersion: t.arg.int({ required: false, description: 'The version the change is based on; a newer one fails with a ConflictError.' }),
      input: t.arg({ type: UpdateTaskInput, required: true }),
    },
    resolve: (_root, { id, expectedVersion, input }, ctx) =>
      updateTaskDetails(
        ctx,
        idFrom(id, 'id'),
        taskDetailsFrom(input),
        { expectedVersion },
      ),
  }),
  moveTask: t.field({
    type: Task,
    errors: taskResult,
    args: { id: t.arg.globalID({ required: true, for: Task }), input: t.arg({ type: MoveTaskInput, required: true }) },
    resolve: (_root, { id, input }, ctx) =>
      moveTask(ctx, idFrom(id, 'id'), {
        parentId: optionalIdFrom(input.parentId, 'input.parentId'),
        projectId: optionalIdFrom(input.projectId, 'input.projectId'),
        afterId: optionalIdFrom(input.afterId, 'input.afterId'),
        beforeId: optionalIdFrom(input.beforeId, 'input.beforeId'),
      }),
  }),
  deleteTask: t.field({
    type: Task,
    errors: taskResult,
    description: 'Soft-deletes the task and its subtasks.',
    args: { id: t.arg.globalID({ required: true, for: Task }) },
    resolve: (_root, { id }, ctx) => deleteTask(ctx, idFrom(id, 'id')),
  }),
  restoreTask: t.field({
    type: Task,
    errors: taskResult,
    description: 'Restores the task and the subtasks deleted with it.',
    args: { id: t.arg.globalID({ required: true, for: Task }) },
    resolve: (_root, { id }, ctx) => restoreTask(ctx, idFrom(id, 'id')),
  }),
  bulkUpdateTasks: t.field({
    type: [Task],
    errors: { types: MUTATION_ERRORS, dataField: { name: 'tasks' } },
    description: 'The same change to 1..100 tasks, all or nothing.',
    args: {
      ids: t.arg.globalIDList({ required: true, for: Task }),
      input: t.arg({ type: BulkUpdateTasksInput, required: true }),
    },
    resolve: (_root, { ids, input }, ctx) =>
      bulkUpdateTasks(
        ctx,
        ids.map((id, i) => idFrom(id, `ids.${i}`)),
        { status: input.status, assigneeId: optionalIdFrom(input.assigneeId, 'input.assigneeId') },
      ),
  }),
}));
