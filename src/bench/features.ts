import type { GraphQLBody, GraphQLReply } from './http-client';

/** Sends one GraphQL request (over HTTP, or in-process through yoga.fetch in tests). */
export type GraphQLPost = (body: GraphQLBody, token: string | null) => Promise<GraphQLReply>;

/**
 * Parts of the hot screens that other work streams add (comments,
 * notifications, attachments, time tracking). The benchmark asks the running
 * server's schema which exist and only then selects them, so the same
 * benchmark measures today's API and tomorrow's; what is missing is named in
 * the results as "not yet available".
 */
export type Features = {
  /** Selection added to `viewer { ... }` for the unread notification count, or null. */
  unreadCount: string | null;
  /** Selection added to each task of the project view for its comment count, or null. */
  commentCount: string | null;
  /** Selection added to the task detail for its 20 latest comments with authors, or null. */
  latestComments: string | null;
  attachments: string | null;
  loggedTime: string | null;
  /** The comment mutation: its field and how to build its arguments, or null. */
  addComment: { field: string; document: string; variables: (taskId: string, body: string) => Record<string, unknown> } | null;
  /** Cross-organization "my tasks" on the viewer, or null (then the dashboard reads project by project). */
  myTasks: string | null;
};

type TypeRef = { kind: string; name: string | null; ofType: TypeRef | null };
type Field = { name: string; args: { name: string; type: TypeRef }[]; type: TypeRef };
type FullType = {
  name: string;
  kind: string;
  fields: Field[] | null;
  inputFields: { name: string; type: TypeRef }[] | null;
  enumValues: { name: string }[] | null;
};

const TYPE_REF = 'kind name ofType { kind name ofType { kind name ofType { kind name } } }';
const INTROSPECTION = `query BenchFeatures { __schema { types { name kind
  fields { name args { name type { ${TYPE_REF} } } type { ${TYPE_REF} } }
  inputFields { name type { ${TYPE_REF} } } enumValues { name } } } }`;

const named = (ref: TypeRef): string | null => (ref.name ? ref.name : ref.ofType ? named(ref.ofType) : null);

export async function detectFeatures(post: GraphQLPost): Promise<Features> {
  const reply = await post({ query: INTROSPECTION }, null);
  const types: FullType[] = reply.json?.data?.__schema?.types ?? [];
  if (types.length === 0) throw new Error(`introspection failed: ${reply.text.slice(0, 300)}`);
  const byName = new Map(types.map((type) => [type.name, type]));
  const fieldsOf = (typeName: string) => new Map((byName.get(typeName)?.fields ?? []).map((field) => [field.name, field]));
  const viewer = fieldsOf('Viewer');
  const task = fieldsOf('Task');
  const mutation = fieldsOf('Mutation');

  const scalarField = (fields: Map<string, Field>, pattern: RegExp) =>
    [...fields.values()].find((field) => pattern.test(field.name) && named(field.type) === 'Int')?.name ?? null;

  return {
    unreadCount: scalarField(viewer, /^unread\w*Count$/i),
    commentCount: scalarField(task, /^comments?Count$/i),
    latestComments: commentsSelection(task.get('comments'), byName),
    attachments: task.has('attachments') ? listSelection(task.get('attachments')!, byName, ['id', 'fileName', 'filename', 'name', 'contentType', 'sizeBytes', 'size']) : null,
    loggedTime: scalarField(task, /^(loggedMinutes|timeSpentMinutes|loggedTimeMinutes|totalLoggedMinutes)$/),
    addComment: addCommentMutation(mutation, byName),
    myTasks: ['myTasks', 'assignedTasks', 'tasks'].find((name) => viewer.has(name)) ?? null,
  };
}

/** Picks the scalar-ish fields a screen would show, among those the type has. */
function pickFields(type: FullType | undefined, wanted: string[]): string {
  const have = new Set((type?.fields ?? []).map((field) => field.name));
  return wanted.filter((name) => have.has(name)).join(' ') || 'id';
}

function listSelection(field: Field, byName: Map<string, FullType>, wanted: string[]): string {
  const itemType = byName.get(named(field.type) ?? '');
  const connection = itemType?.fields?.some((f) => f.name === 'edges');
  const first = field.args.some((arg) => arg.name === 'first') ? '(first: 20)' : '';
  if (!connection) return `${field.name}${first} { ${pickFields(itemType, wanted)} }`;
  const nodeType = byName.get(named(itemType!.fields!.find((f) => f.name === 'edges')!.type) ?? '');
  const node = byName.get(named(nodeType?.fields?.find((f) => f.name === 'node')?.type ?? { kind: '', name: null, ofType: null }) ?? '');
  return `${field.name}${first} { edges { node { ${pickFields(node, wanted)} } } }`;
}

function commentsSelection(field: Field | undefined, byName: Map<string, FullType>): string | null {
  if (!field) return null;
  const args = new Map(field.args.map((arg) => [arg.name, arg]));
  // "The 20 latest": newest first when the thread can be ordered so, else its first page.
  const order = args.get('order');
  const newestFirst = order && byName.get(named(order.type) ?? '')?.enumValues?.some((value) => value.name === 'NEWEST_FIRST');
  const page = args.has('first') ? (newestFirst ? '(first: 20, order: NEWEST_FIRST)' : '(first: 20)') : '';
  const itemType = byName.get(named(field.type) ?? '');
  const edges = itemType?.fields?.find((f) => f.name === 'edges');
  const commentType = edges
    ? byName.get(named(byName.get(named(edges.type) ?? '')?.fields?.find((f) => f.name === 'node')?.type ?? { kind: '', name: null, ofType: null }) ?? '')
    : itemType;
  const author = commentType?.fields?.find((f) => f.name === 'author') ? ' author { id name }' : '';
  const scalars = pickFields(commentType, ['id', 'body', 'createdAt', 'editedAt', 'updatedAt']);
  const selection = `${scalars}${author}`;
  return edges ? `comments${page} { edges { node { ${selection} } } }` : `comments${page} { ${selection} }`;
}

function addCommentMutation(mutation: Map<string, Field>, byName: Map<string, FullType>): Features['addComment'] {
  const field = mutation.get('addComment') ?? mutation.get('createComment');
  if (!field) return null;
  const input = field.args.find((arg) => arg.name === 'input');
  const inputFields = new Set((byName.get(named(input?.type ?? { kind: '', name: null, ofType: null }) ?? '')?.inputFields ?? []).map((f) => f.name));
  const bodyName = ['body', 'text', 'markdown'].find((name) => inputFields.has(name) || field.args.some((arg) => arg.name === name));
  if (!bodyName) return null;
  if (input && inputFields.has('taskId')) {
    const inputType = printType(input.type);
    return {
      field: field.name,
      document: `mutation BenchAddComment($input: ${inputType}) { ${field.name}(input: $input) { __typename ... on Error { message } } }`,
      variables: (taskId, body) => ({ input: { taskId, [bodyName]: body } }),
    };
  }
  const taskArg = field.args.find((arg) => arg.name === 'taskId');
  const bodyArg = field.args.find((arg) => arg.name === bodyName);
  if (!taskArg || !bodyArg) return null;
  return {
    field: field.name,
    document: `mutation BenchAddComment($taskId: ${printType(taskArg.type)}, $body: ${printType(bodyArg.type)}) { ${field.name}(taskId: $taskId, ${bodyName}: $body) { __typename ... on Error { message } } }`,
    variables: (taskId, body) => ({ taskId, body }),
  };
}

function printType(ref: TypeRef): string {
  if (ref.kind === 'NON_NULL') return `${printType(ref.ofType!)}!`;
  if (ref.kind === 'LIST') return `[${printType(ref.ofType!)}]`;
  return ref.name!;
}
