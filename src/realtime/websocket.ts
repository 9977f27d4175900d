import type { IncomingMessage, Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer, type WebSocket } from 'ws';

export type WebSocketTransport = { close(): Promise<void> };

type EnvelopedRoot = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };

/**
 * graphql-ws on the HTTP server's `path`, running every operation through
 * Yoga's envelope (the same plugins, error masking and context factory as
 * HTTP), as the graphql-ws recipe for Yoga does. The credential comes from
 * `connectionParams.authorization` (read by the shared context factory).
 */
export function attachWebSocketTransport(server: Server, yoga: YogaServerInstance<any, any>, path = '/graphql'): WebSocketTransport {
  const sockets = new WebSocketServer({ server, path });
  sockets.on('connection', coalesceWrites);
  const graphqlWs = useServer(
    {
      execute: (args) => (args.rootValue as EnvelopedRoot).execute(args) as never,
      subscribe: (args) => (args.rootValue as EnvelopedRoot).subscribe(args) as never,
      onSubscribe: async (ctx, _id, params) => {
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          connectionParams: withOperationCredential(ctx.connectionParams, params.extensions),
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          params,
        });
        let document: DocumentNode;
        try {
          document = parse(params.query);
        } catch (error) {
          return [error instanceof GraphQLError ? error : new GraphQLError('Syntax error')];
        }
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe } satisfies EnvelopedRoot,
        };
      },
    },
    sockets,
  );

  return {
    async close() {
      await graphqlWs.dispose();
      for (const socket of sockets.clients) socket.terminate();
      await new Promise<void>((resolve) => sockets.close(() => resolve()));
    },
  };
}

/**
 * An event reaches every subscription of a connection in the same turn of the
 * event loop: their messages leave in one write at the end of that turn
 * instead of one system call each (the socket is corked until then).
 */
function coalesceWrites(socket: WebSocket, request: IncomingMessage): void {
  const connection = request.socket;
  const send = socket.send.bind(socket) as (...args: unknown[]) => void;
  let corked = false;
  socket.send = ((...args: unknown[]) => {
    if (!corked && connection.writable) {
      corked = true;
      connection.cork();
      setImmediate(() => {
        corked = false;
        connection.uncork();
      });
    }
    send(...args);
  }) as typeof socket.send;
}

/**
 * GraphiQL (graphql-tools' WebSocket executor) sends its headers editor as the operation's
 * `extensions.headers`, not in connectionParams: take that Authorization for this operation
 * when the connection itself brought none.
 */
function withOperationCredential(
  connectionParams: Readonly<Record<string, unknown>> | undefined,
  extensions: Readonly<Record<string, unknown>> | null | undefined,
): Readonly<Record<string, unknown>> | undefined {
  if (typeof connectionParams?.authorization === 'string') return connectionParams;
  const headers = extensions?.headers;
  if (!headers || typeof headers !== 'object') return connectionParams;
  const authorization = Object.entries(headers).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
  return typeof authorization === 'string' ? { ...connectionParams, authorization } : connectionParams;
}
