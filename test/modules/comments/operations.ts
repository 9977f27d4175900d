import { sql } from 'drizzle-orm';
import { globalId } from '../../support/factories';
import type { TestApp } from '../../support/harness';
import { countRows } from '../../support/org-fixtures';

export const COMMENT_FIELDS = /* GraphQL */ `
  id body isDeleted createdAt editedAt deletedAt
  author { id }
  task { id }
  project { id }
  mentions { id }
  revisions { body }
  reactions { emoji count viewerReacted users { id } }
  viewerCan { update delete react }
`;

const RESULT = (field: string) => /* GraphQL */ `
  __typename
  ... on ${field}Success { comment { ${COMMENT_FIELDS} } }
  ... on Error { message code }
  ... on ValidationError { issues { path message } }
`;

export const ADD = `mutation($input: AddCommentInput!) { addComment(input: $input) { ${RESULT('AddComment')} } }`;
export const UPDATE = `mutation($id: ID!, $body: String!) { updateComment(id: $id, input: { body: $body }) { ${RESULT('UpdateComment')} } }`;
export const DELETE = `mutation($id: ID!) { deleteComment(id: $id) { ${RESULT('DeleteComment')} } }`;
export const REACT = `mutation($id: ID!, $emoji: String!) { addReaction(commentId: $id, emoji: $emoji) { ${RESULT('AddReaction')} } }`;
export const UNREACT = `mutation($id: ID!, $emoji: String!) { removeReaction(commentId: $id, emoji: $emoji) { ${RESULT('RemoveReaction')} } }`;

export const TASK_THREAD = /* GraphQL */ `
  query($id: ID!, $first: Int, $after: String, $order: CommentOrder) {
    node(id: $id) { ... on Task { comments(first: $first, after: $after, order: $order) {
      edges { cursor node { ${COMMENT_FIELDS} } } pageInfo { hasNextPage endCursor } } } }
  }
`;

export const PROJECT_THREAD = /* GraphQL */ `
  query($id: ID!, $first: Int, $after: String, $order: CommentOrder) {
    node(id: $id) { ... on Project { comments(first: $first, after: $after, order: $order) {
      edges { cursor node { ${COMMENT_FIELDS} } } pageInfo { hasNextPage endCursor } } } }
  }
`;

/** The mention token for a user, in the documented syntax (by global id or by plain UUID). */
export const mention = (user: { id: string; name: string }, by: 'globalId' | 'uuid' = 'globalId') =>
  `@[${user.name}](user:${by === 'globalId' ? globalId('User', user.id) : user.id})`;

/** Everything a refused comment mutation must not have written. */
export async function writeCounts(t: TestApp) {
  return {
    comments: await countRows(t, sql`select 1 from comments`),
    revisions: await countRows(t, sql`select 1 from comment_revisions`),
    mentions: await countRows(t, sql`select 1 from comment_mentions`),
    reactions: await countRows(t, sql`select 1 from comment_reactions`),
    activity: await countRows(t, sql`select 1 from activity_events where subject_type = 'comment'`),
    notifications: await countRows(t, sql`select 1 from notifications`),
  };
}

/** Adds a comment through the API and returns it (fails the test on any error). */
export async function addComment(t: TestApp, token: string, input: Record<string, unknown>) {
  const res = await t.graphql(ADD, { token, variables: { input } });
  if (res.errors || res.data.addComment.__typename !== 'AddCommentSuccess') {
    throw new Error(`addComment failed: ${JSON.stringify(res.errors ?? res.data.addComment)}`);
  }
  return res.data.addComment.comment;
}
