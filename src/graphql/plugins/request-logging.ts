import { randomUUID } from 'node:crypto';
import type { Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../context';

const requestIds = new WeakMap<Request, string>();

/** The request's id: the client's `x-request-id` if it sent one, else a new one; stable per request. */
export function requestIdOf(request: Request): string {
  let id = requestIds.get(request);
  if (!id) {
    const given = request.headers.get('x-request-id');
    id = given && /^[\w.:-]{1,128}$/.test(given) ? given : randomUUID();
    requestIds.set(request, id);
  }
  return id;
}

/**
 * One structured log line per GraphQL operation, carrying the request id
 * (echoed back in `x-request-id` so a client can quote it in a bug report).
 */
export function useRequestLogging(): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const started = performance.now();
      const context = args.contextValue;
      const operationName = args.operationName ?? null;
      return {
        onExecuteDone({ result }) {
          const errors = 'errors' in result && Array.isArray(result.errors) ? result.errors.length : 0;
          context.logger.info(
            { operationName, userId: context.viewer?.userId ?? null, durationMs: Math.round(performance.now() - started), errors },
            'graphql operation',
          );
        },
      };
    },
    onResponse({ request, response }) {
      response.headers.set('x-request-id', requestIdOf(request));
    },
  };
}
