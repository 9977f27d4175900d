import { ConfigError } from '../config/env';
import type { DEMO_LOGIN } from './demo-data';

/** GraphiQL examples printed at startup; test/startup checks them against the schema. */
export const logInExample = (login: typeof DEMO_LOGIN) => `mutation LogIn {
  logIn(input: { email: "${login.email}", password: "${login.password}" }) {
    __typename
    ... on AuthPayload { accessToken }
    ... on Error { message }
  }
}`;

export const VIEWER_EXAMPLE = `query MyWork {
  viewer {
    user { name }
    organizations {
      name
      viewerRole
      projects(first: 10) { edges { node { name } } }
    }
  }
}`;

const indent = (text: string) => text.replace(/^/gm, '    ');

/** What a person running `npm start` needs: where it is, how to log in, what to paste. */
export function startupBanner({ url, demo, graphiql }: { url: string; demo: typeof DEMO_LOGIN | null; graphiql: boolean }): string {
  const lines = [``, `  Taskgraph is running at ${url}${graphiql ? '  (open it in a browser for GraphiQL)' : ''}`];
  if (demo) {
    lines.push(
      ``,
      `  Demo login: ${demo.email} / ${demo.password}`,
      `  (ada@, grace@ and alan@taskgraph.dev are admin, member and viewer, same password)`,
      ``,
      `  1. Log in:`,
      indent(logInExample(demo)),
      ``,
      `  2. Copy accessToken into GraphiQL's Headers tab:`,
      `    { "Authorization": "Bearer <accessToken>" }`,
      `     and run:`,
      indent(VIEWER_EXAMPLE),
    );
  }
  lines.push(``, `  Ctrl-C stops the server.`, ``);
  return lines.join('\n');
}

/** A failure whose message says everything the person starting the server needs: printed without a stack. */
export class StartupError extends Error {
  override name = 'StartupError';
}

/** One clear sentence for the failures people hit while setting up; the stack only for the rest. */
export function describeStartupError(error: unknown): string {
  if (error instanceof ConfigError || error instanceof StartupError) return error.message;
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  switch (code) {
    case 'ECONNREFUSED':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `Cannot reach the database (${detail}): check DATABASE_URL / DATABASE_APP_URL, or unset them to use the embedded Postgres.`;
    case '28P01':
    case '28000':
      return `The database refused the login (${detail}): check the user and password in DATABASE_URL / DATABASE_APP_URL / DATABASE_APP_PASSWORD.`;
    case '3D000':
      return `The database does not exist (${detail}): create it, or fix the name in DATABASE_URL.`;
    case 'EADDRINUSE':
      return `The port is already in use (${detail}): stop the other process or set PORT.`;
    default:
      return `Taskgraph failed to start: ${error instanceof Error ? (error.stack ?? detail) : detail}${causes(error)}`;
  }
}

/** Drizzle's "Failed query: ..." hides the reason in `cause`. */
function causes(error: unknown): string {
  let text = '';
  for (let current = (error as { cause?: unknown })?.cause, depth = 0; current && depth < 4; depth++) {
    text += `\nCaused by: ${current instanceof Error ? current.message : String(current)}`;
    current = (current as { cause?: unknown }).cause;
  }
  return text;
}

/** The first `code` along the cause chain: Drizzle wraps driver errors, which carry errno or SQLSTATE codes. */
function errorCode(error: unknown): string | undefined {
  let current = error;
  for (let depth = 0; depth < 4 && typeof current === 'object' && current !== null; depth++) {
    const { code, cause } = current as { code?: unknown; cause?: unknown };
    if (typeof code === 'string') return code;
    current = cause;
  }
  return undefined;
}
