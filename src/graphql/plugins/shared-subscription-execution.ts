import {
  createSourceEventStream,
  execute,
  GraphQLError,
  Kind,
  visit,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { sharedDeliveryOf } from '../../realtime/shared-delivery';
import { createExpiringCache } from '../../shared/expiring-cache';

/** How long the subscriptions of one event share its results: a fan-out takes well under this. */
const SHARED_FOR_MS = 5_000;
/** At most this many (event, operation) results are kept, oldest dropped first. */
const MAX_SHARED = 2_000;

/**
 * Runs subscriptions so that one event fanned out to many subscriptions is
 * executed once per viewer and operation, not once per subscription: the
 * tabs and devices of one user following one task (or a thousand users
 * opening the same document over one credential) cost one execution, and
 * each subscription is sent the same result.
 *
 * Results are shared only for payloads a stream marked (markSharedDelivery:
 * a payload that depends on the event, the arguments and the viewer alone),
 * between subscriptions with the same parsed document, operation name,
 * variables (but for the root field's resume cursor) and viewer, the viewer
 * being the very object the stream's last access check produced, so two
 * credentials never share. Anything else executes per subscription, as usual.
 */
export function useSharedSubscriptionExecution(): Plugin<{ viewer?: object | null }> {
  const shared = createSharedResults();
  return {
    onSubscribe({ setSubscribeFn }) {
      setSubscribeFn(async (args: ExecutionArgs) => {
        const source = await createSourceEventStream(args);
        if (!isAsyncIterable(source)) return withRequestErrorCodes(source);
        const operation = operationKey(args);
        const context = args.contextValue as { viewer?: object | null };
        return mapEvents(source, (payload) => {
          const run = () => execute({ ...args, rootValue: payload });
          const event = sharedDeliveryOf(payload);
          const viewer = context.viewer;
          return event && viewer ? shared.get(`${event}\0${operation}`, viewer, run) : run();
        });
      });
    },
  };
}

type Result = Promise<ExecutionResult> | ExecutionResult;

/** (event, operation) -> each viewer's result. */
function createSharedResults() {
  const entries = createExpiringCache<WeakMap<object, Result>>(SHARED_FOR_MS, MAX_SHARED);
  return {
    get(key: string, viewer: object, run: () => Result): Result {
      const byViewer = entries.getOrCreate(key, () => new WeakMap());
      let result = byViewer.get(viewer);
      if (!result) byViewer.set(viewer, (result = run()));
      return result;
    },
  };
}

/** Parsed documents are shared by Yoga's parser cache: the same text gets the same object, hence the same id. */
const documentIds = new WeakMap<DocumentNode, number>();
let lastDocumentId = 0;
const sharedVariableNames = new WeakMap<DocumentNode, string[]>();

/** The document, operation and the variables results depend on, as one string. */
function operationKey({ document, operationName, variableValues }: ExecutionArgs): string {
  let id = documentIds.get(document);
  if (id === undefined) documentIds.set(document, (id = ++lastDocumentId));
  let names = sharedVariableNames.get(document);
  if (!names) sharedVariableNames.set(document, (names = variablesBeyondResumeCursor(document)));
  const values = variableValues ?? {};
  const relevant = Object.fromEntries(names.filter((name) => name in values).map((name) => [name, values[name]]));
  return `${id}\0${operationName ?? ''}\0${JSON.stringify(relevant)}`;
}

/**
 * Every variable the document uses, except one used only as a root field's
 * `after` argument: the cursor decides where a stream starts, never what an
 * event's result holds.
 */
function variablesBeyondResumeCursor(document: DocumentNode): string[] {
  const uses = new Map<string, number>();
  visit(document, {
    VariableDefinition: () => false,
    Variable: (node) => void uses.set(node.name.value, (uses.get(node.name.value) ?? 0) + 1),
  });
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    for (const selection of definition.selectionSet.selections) {
      if (selection.kind !== Kind.FIELD) continue;
      const cursor = selection.arguments?.find((argument) => argument.name.value === 'after')?.value;
      if (cursor?.kind === Kind.VARIABLE) uses.set(cursor.name.value, (uses.get(cursor.name.value) ?? 1) - 1);
    }
  }
  return [...uses].filter(([, count]) => count > 0).map(([name]) => name);
}

/**
 * Errors from before the subscription started (variables that do not coerce,
 * an ambiguous operation) are the request's fault: coded as Yoga's own
 * executor codes them. Errors of the subscribe resolver carry their path.
 */
function withRequestErrorCodes(result: ExecutionResult): ExecutionResult {
  if (!result.errors) return result;
  const errors = result.errors.map((error) =>
    error.path
      ? error
      : new GraphQLError(error.message, { nodes: error.nodes, extensions: { ...error.extensions, code: 'BAD_USER_INPUT', http: { status: 400 } } }),
  );
  return { ...result, errors };
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/**
 * `map` over each event of `source`. Returning (the client went away) is
 * passed to the source at once, even while it waits for its next event.
 */
function mapEvents<T, R>(source: AsyncIterable<T>, map: (value: T) => Promise<R> | R): AsyncIterableIterator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const finish = async (): Promise<IteratorResult<R>> => {
    await iterator.return?.();
    return { done: true, value: undefined };
  };
  return {
    [Symbol.asyncIterator]() {
      return this;
    },
    async next() {
      const step = await iterator.next();
      return step.done ? { done: true, value: undefined } : { done: false, value: await map(step.value) };
    },
    return: finish,
    async throw(error: unknown) {
      await finish();
      throw error;
    },
  };
}
