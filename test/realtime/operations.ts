/** GraphQL operations the real-time tests share. */
export const TASK_CHANGED = `subscription ($projectId: ID!, $after: String) {
  taskChanged(projectId: $projectId, after: $after) { verb cursor task { id title } }
}`;
export const UPDATE_TASK = `mutation ($id: ID!, $title: String!) {
  updateTask(id: $id, input: { title: $title }) { __typename ... on UpdateTaskSuccess { task { title } } }
}`;
