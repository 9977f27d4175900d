import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyPassword } from '../../src/auth/passwords';
import { loadConfig } from '../../src/config/env';
import { createDatabase, deriveAppUrl, type DatabaseHandle } from '../../src/db/client';
import { DEMO_LOGIN } from '../../src/startup/demo-data';
import { seedDemo } from '../../src/startup/demo-seed';
import { describeStartupError, logInExample, StartupError, VIEWER_EXAMPLE } from '../../src/startup/messages';
import { startTaskgraph, type RunningTaskgraph } from '../../src/startup/start';
import { withDatabase } from '../support/database-urls';

// The real startup path (config -> migrations -> demo seed -> listen -> stop) on an empty database.

const serverUrl = inject('ownerUrl');
const TEST_ENV = { NODE_ENV: 'test', LOG_LEVEL: 'silent', HOST: '127.0.0.1', PORT: '0' };
const created: string[] = [];

async function freshDatabase(template?: string): Promise<string> {
  const name = `taskgraph_startup_${randomBytes(6).toString('hex')}`;
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  created.push(name);
  return withDatabase(serverUrl, name);
}

let running: RunningTaskgraph;
let owner: DatabaseHandle;

beforeAll(async () => {
  const databaseUrl = await freshDatabase();
  running = await startTaskgraph(loadConfig({ ...TEST_ENV, DATABASE_URL: databaseUrl, SEED_DEMO: 'true' }));
  owner = createDatabase(databaseUrl, { max: 1 });
});

afterAll(async () => {
  await running?.stop();
  await owner?.close();
  const admin = postgres(serverUrl, { max: 1, onnotice: () => {} });
  for (const name of created) await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
});

const post = async (query: string, token?: string) => {
  const response = await fetch(running.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query }),
  });
  return (await response.json()) as { data?: any; errors?: unknown[] };
};

const count = async (query: string) => Number((await owner.sql.unsafe(query))[0]!.n);

describe('startTaskgraph on an empty database', () => {
  it('listens on the port it reports and answers GraphQL', async () => {
    expect(running.url).toBe(`http://127.0.0.1:${running.port}/graphql`);
    expect(running.port).toBeGreaterThan(0);
    expect(await post('{ __typename }')).toEqual({ data: { __typename: 'Query' } });
  });

  it('serves GraphiQL to a browser', async () => {
    const response = await fetch(running.url, { headers: { accept: 'text/html' } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/text\/html/);
    expect(await response.text()).toMatch(/graphiql/i);
  });

  it('wrote the demo organization through the app role', async () => {
    expect(running.demo).toEqual(DEMO_LOGIN);
    const [user] = await owner.sql`select password_hash from users where email = ${DEMO_LOGIN.email}`;
    expect(await verifyPassword(user!.password_hash, DEMO_LOGIN.password)).toBe(true);
    expect(await count(`select count(*) as n from organizations where slug = 'acme' and plan_id = 'team'`)).toBe(1);
    const roles = await owner.sql`select m.role, u.email from organization_members m join users u on u.id = m.user_id order by m.role`;
    expect(roles.map((r) => r.role)).toEqual(['owner', 'admin', 'member', 'viewer']);
    expect(roles[0]!.email).toBe(DEMO_LOGIN.email);
    expect(await count('select count(*) as n from projects')).toBe(2);
    expect(await count('select count(*) as n from milestones')).toBe(1);
    expect(await count('select count(*) as n from labels')).toBeGreaterThanOrEqual(3);
    expect(await count('select count(*) as n from tasks')).toBe(15);
    expect(await count('select count(*) as n from tasks where parent_id is not null')).toBeGreaterThanOrEqual(3);
    expect(await count(`select count(*) as n from task_dependencies where type = 'blocks'`)).toBe(1);
    expect(await count('select count(*) as n from task_labels')).toBeGreaterThan(5);
    // Ranks order the tasks of a project without ties.
    expect(await count('select count(*) as n from (select project_id, rank from tasks group by 1, 2 having count(*) > 1) dup')).toBe(0);
  });

  it('runs the GraphiQL example it prints: log in, then read the demo organization', async () => {
    const login = await post(logInExample(DEMO_LOGIN));
    const token = login.data?.logIn?.accessToken;
    expect(login.data?.logIn?.__typename).toBe('AuthPayload');
    expect(typeof token).toBe('string');
    const mine = await post(VIEWER_EXAMPLE, token);
    expect(mine.errors).toBeUndefined();
    const [acme] = mine.data.viewer.organizations;
    expect(acme).toMatchObject({ name: 'Acme', viewerRole: 'OWNER' });
    expect(acme.projects.edges.map((edge: any) => edge.node.name).sort()).toEqual(['Mobile app', 'Website relaunch']);
  });

  it('does not seed twice', async () => {
    const appUrl = deriveAppUrl(withDatabase(serverUrl, created[0]!));
    expect(await seedDemo(appUrl)).toEqual({ created: false });
    expect(await count('select count(*) as n from organizations')).toBe(1);
  });
});

describe('seedDemo', () => {
  it('creates the demo organization once when two instances seed at the same time', async () => {
    const appUrl = deriveAppUrl(await freshDatabase(inject('templateDatabase')));
    const results = await Promise.all([seedDemo(appUrl), seedDemo(appUrl)]);
    expect(results.map((r) => r.created).sort()).toEqual([false, true]);
    const check = postgres(withDatabase(serverUrl, created.at(-1)!), { max: 1 });
    const [row] = await check`select count(*)::int as n from organizations`;
    await check.end();
    expect(row!.n).toBe(1);
  });
});

describe('stop', () => {
  it('closes the port and can be called twice', async () => {
    const databaseUrl = await freshDatabase(inject('templateDatabase'));
    const other = await startTaskgraph(loadConfig({ ...TEST_ENV, DATABASE_URL: databaseUrl, SEED_DEMO: 'false' }));
    expect(other.demo).toBeNull();
    await Promise.all([other.stop(), other.stop()]);
    await expect(fetch(other.url)).rejects.toThrow();
  });
});

describe('startup failures', () => {
  it('says the migrations were rewritten when the database has objects its journal does not know', async () => {
    const databaseUrl = await freshDatabase(inject('templateDatabase'));
    const owner = postgres(databaseUrl, { max: 1, onnotice: () => {} });
    await owner`delete from drizzle.__drizzle_migrations`;
    await owner.end();
    const failure = await startTaskgraph(loadConfig({ ...TEST_ENV, DATABASE_URL: databaseUrl })).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(StartupError);
    expect(describeStartupError(failure)).toMatch(/^Migrations do not match postgres:\/\/.*already exists/);
  });

  it('names the setting to check when the database cannot be reached', async () => {
    const failure = await startTaskgraph(loadConfig({ ...TEST_ENV, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none' })).catch(
      (error: unknown) => error,
    );
    expect(describeStartupError(failure)).toMatch(/^Cannot reach the database .*DATABASE_URL/);
  });
});
