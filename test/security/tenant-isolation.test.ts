import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { createDatabase, type DatabaseHandle } from '../../src/db/client';
import { postgresErrorOf } from '../../src/db/errors';
import { newId } from '../../src/db/schema/columns';
import { labels, projects, tasks } from '../../src/db/schema/index';
import { inTenantTransaction, type TenantActor } from '../../src/db/tenant-transaction';
import { createTeam } from '../support/factories';
import { startTestApp, type TestApp } from '../support/harness';

// Proves the database itself keeps tenants apart, whatever the application code does:
// queries here have no WHERE clause and run as the role the server uses.

let t: TestApp;
/** The server's role, one pooled connection: every transaction below reuses it. */
let app: DatabaseHandle;
type Tenant = { organizationId: string; projectId: string; taskId: string; actor: TenantActor };
let a: Tenant;
let b: Tenant;

async function tenantWithData(): Promise<Tenant> {
  const team = await createTeam(t);
  const organizationId = team.org.id;
  const projectId = newId();
  const taskId = newId();
  await t.owner.db.insert(projects).values({ id: projectId, organizationId, name: `Project of ${team.org.slug}` });
  await t.owner.db.insert(tasks).values({ id: taskId, organizationId, projectId, title: 'A task', rank: 'a0' });
  await t.owner.db.insert(labels).values({ organizationId, name: 'bug' });
  return { organizationId, projectId, taskId, actor: { userId: team.owner.id, organizationIds: [organizationId] } };
}

const tenantTables = async (): Promise<string[]> => {
  const rows = await t.owner.db.execute<{ table_name: string }>(sql`
    select table_name from information_schema.columns
    where table_schema = 'public' and column_name = 'organization_id' order by table_name`);
  return rows.map((row) => row.table_name);
};

const organizationIdsIn = async (executor: Pick<DatabaseHandle['db'], 'execute'>, table: string) => {
  const column = table === 'organizations' ? 'id' : 'organization_id';
  const rows = await executor.execute<{ org: string }>(sql.raw(`select ${column} as org from ${table}`));
  return new Set(rows.map((row) => row.org));
};

beforeAll(async () => {
  t = await startTestApp();
  a = await tenantWithData();
  b = await tenantWithData();
  app = createDatabase(t.appUrl, { max: 1 });
});
afterAll(async () => {
  await app?.close();
  await t?.close();
});

describe('row-level security for the app role', () => {
  it('shows a tenant only its own rows, with no WHERE clause', async () => {
    await inTenantTransaction(app.db, a.actor, async (tx) => {
      for (const table of ['organizations', 'organization_members', 'projects', 'tasks', 'labels']) {
        expect(await organizationIdsIn(tx, table), table).toEqual(new Set([a.organizationId]));
      }
      const projectRows = await tx.execute<{ id: string }>(sql`select * from projects`);
      expect(projectRows.map((row) => row.id)).toEqual([a.projectId]);
    });
  });

  it('holds for every table that carries organization_id', async () => {
    const tables = await tenantTables();
    expect(tables.length).toBeGreaterThan(5);
    await inTenantTransaction(app.db, a.actor, async (tx) => {
      for (const table of tables) {
        const seen = await organizationIdsIn(tx, table);
        expect([...seen].every((id) => id === a.organizationId), table).toBe(true);
      }
    });
  });

  it('shows nothing without the tenant settings, inside or outside a transaction', async () => {
    for (const table of ['organizations', 'organization_members', ...(await tenantTables())]) {
      expect((await organizationIdsIn(app.db, table)).size, table).toBe(0);
    }
    await inTenantTransaction(app.db, { userId: null, organizationIds: [] }, async (tx) => {
      expect((await organizationIdsIn(tx, 'projects')).size).toBe(0);
    });
  });

  it("refuses to write another tenant's rows: inserts fail (42501), updates and deletes match nothing", async () => {
    const insert = inTenantTransaction(app.db, a.actor, (tx) =>
      tx.insert(projects).values({ organizationId: b.organizationId, name: 'Planted' }),
    );
    const error = await insert.then(() => null, (caught: unknown) => caught);
    expect(postgresErrorOf(error)?.code).toBe('42501');

    await inTenantTransaction(app.db, a.actor, async (tx) => {
      const updated = await tx.execute(sql`update projects set name = 'Hijacked' where id = ${b.projectId} returning id`);
      const deleted = await tx.execute(sql`delete from tasks where id = ${b.taskId} returning id`);
      expect(updated.length).toBe(0);
      expect(deleted.length).toBe(0);
    });

    const [bProject] = await t.owner.db.execute<{ name: string }>(sql`select name from projects where id = ${b.projectId}`);
    expect(bProject!.name).not.toBe('Hijacked');
    const [bTask] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from tasks where id = ${b.taskId}`);
    expect(bTask!.n).toBe(1);
    const [planted] = await t.owner.db.execute<{ n: number }>(sql`select count(*)::int as n from projects where name = 'Planted'`);
    expect(planted!.n).toBe(0);
  });

  it('refuses to move an own row into another tenant (WITH CHECK on update)', async () => {
    const move = inTenantTransaction(app.db, a.actor, (tx) =>
      tx.execute(sql`update projects set organization_id = ${b.organizationId} where id = ${a.projectId}`),
    );
    const error = await move.then(() => null, (caught: unknown) => caught);
    expect(postgresErrorOf(error)?.code).toBe('42501');
    const [row] = await t.owner.db.execute<{ org: string }>(sql`select organization_id as org from projects where id = ${a.projectId}`);
    expect(row!.org).toBe(a.organizationId);
  });

  it('carries nothing from one transaction to the next on a pooled connection', async () => {
    const backend = async (executor: Pick<DatabaseHandle['db'], 'execute'>) =>
      (await executor.execute<{ pid: number }>(sql`select pg_backend_pid() as pid`))[0]!.pid;

    const pidInA = await inTenantTransaction(app.db, a.actor, async (tx) => {
      expect((await organizationIdsIn(tx, 'projects')).size).toBe(1);
      return backend(tx);
    });
    // Same connection (pool of one), after the transaction: the settings are gone.
    expect(await backend(app.db)).toBe(pidInA);
    const [settings] = await app.db.execute<{ orgs: string | null; user: string | null }>(
      sql`select current_setting('app.organization_ids', true) as orgs, current_setting('app.user_id', true) as user`,
    );
    expect(settings!.orgs || null).toBeNull();
    expect(settings!.user || null).toBeNull();
    expect((await organizationIdsIn(app.db, 'projects')).size).toBe(0);

    // The next tenant on that connection sees only its own rows; a failed transaction leaks nothing either.
    await inTenantTransaction(app.db, b.actor, async (tx) => {
      expect(await organizationIdsIn(tx, 'projects')).toEqual(new Set([b.organizationId]));
    });
    await inTenantTransaction(app.db, a.actor, async () => {
      throw new Error('rolled back');
    }).catch(() => {});
    expect((await organizationIdsIn(app.db, 'tasks')).size).toBe(0);
  });
});

describe('the app role', () => {
  it('is who the server connects as, and has no way around the policies', async () => {
    const [me] = await app.db.execute<{ user: string; super: boolean; bypass: boolean }>(sql`
      select current_user as user, rolsuper as super, rolbypassrls as bypass
      from pg_roles where rolname = current_user`);
    expect(me).toEqual({ user: 'taskgraph_app', super: false, bypass: false });
  });

  it('owns no table (owners could switch row-level security off)', async () => {
    const [owned] = await t.owner.db.execute<{ n: number }>(sql`
      select count(*)::int as n from pg_class c join pg_roles r on r.oid = c.relowner
      where r.rolname = 'taskgraph_app'`);
    expect(owned!.n).toBe(0);
    const [role] = await t.owner.db.execute<{ createrole: boolean; createdb: boolean }>(sql`
      select rolcreaterole as createrole, rolcreatedb as createdb from pg_roles where rolname = 'taskgraph_app'`);
    expect(role).toEqual({ createrole: false, createdb: false });
  });

  it('cannot switch row-level security off', async () => {
    const attempt = app.db.execute(sql`alter table projects disable row level security`);
    const error = await attempt.then(() => null, (caught: unknown) => caught);
    expect(postgresErrorOf(error)?.code).toBe('42501');
  });
});
