import { Agent, request } from 'node:http';

export type GraphQLBody = { query: string; variables?: Record<string, unknown>; operationName?: string };
export type GraphQLReply = { status: number; json: { data?: any; errors?: { message: string }[] } | null; text: string };

/**
 * A bare keep-alive HTTP client: node:http with one socket per concurrent
 * client, so the load generator costs as little CPU as possible next to the
 * server on the same two cores (fetch/undici adds its own overhead per call).
 */
export class GraphQLHttpClient {
  private readonly agent: Agent;
  private readonly url: URL;

  constructor(url: string, maxSockets: number) {
    this.url = new URL(url);
    this.agent = new Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets });
  }

  post(body: GraphQLBody, token: string | null): Promise<GraphQLReply> {
    const payload = Buffer.from(JSON.stringify(body));
    return new Promise((resolve, reject) => {
      const req = request(
        {
          agent: this.agent,
          hostname: this.url.hostname,
          port: this.url.port,
          path: this.url.pathname,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/json',
            'content-length': payload.length,
            ...(token ? { authorization: `Bearer ${token}` } : {}),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let json: GraphQLReply['json'] = null;
            try {
              json = JSON.parse(text);
            } catch {
              // Not JSON: reported as an error by the caller with the text.
            }
            resolve({ status: res.statusCode ?? 0, json, text });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}

/** Why a reply is not a success: HTTP status, GraphQL errors, or a mutation's typed error. Null when it is one. */
export function replyProblem(reply: GraphQLReply, mutationField?: string): string | null {
  if (reply.status !== 200) return `HTTP ${reply.status}: ${reply.text.slice(0, 200)}`;
  if (!reply.json) return `not JSON: ${reply.text.slice(0, 200)}`;
  if (reply.json.errors?.length) return `GraphQL error: ${reply.json.errors.map((e) => e.message).join('; ').slice(0, 200)}`;
  if (!reply.json.data) return 'no data';
  if (mutationField) {
    const result = reply.json.data[mutationField];
    const typename: string | undefined = result?.__typename;
    if (!typename || !(typename.endsWith('Success') || typename === 'AuthPayload')) {
      return `${mutationField} returned ${typename ?? 'nothing'}: ${String(result?.message ?? '').slice(0, 200)}`;
    }
  }
  return null;
}
