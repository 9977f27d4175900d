import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { startTestApp, type TestApp } from '../support/harness';

// A guard for future tables: a tenant table without row-level security (or a new
// table nobody classified) fails here instead of leaking between organizations.

/** Tables deliberately shared by all tenants. Adding one here is a security decision. */
const GLOBAL_TABLES = ['api_tokens', 'plans', 'sessions', 'users'];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t?.close());

type TableSecurity = { table: string; tenant: boolean; rls: boolean; forced: boolean };
type Policy = { table: string; name: string; cmd: string; qual: string | null; check: string | null };

const tables = async () =>
  t.owner.db.execute<TableSecurity>(sql`
    select c.relname as table,
           c.relrowsecurity as rls,
           c.relforcerowsecurity as forced,
           (c.relname = 'organizations' or exists (
              select 1 from information_schema.columns col
              where col.table_schema = 'public' and col.table_name = c.relname and col.column_name = 'organization_id'
           )) as tenant
    from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = 'public' and c.relkind in ('r', 'p')
    order by c.relname`);

const policies = async () =>
  t.owner.db.execute<Policy>(sql`
    select tablename as table, policyname as name, cmd, qual, with_check as check
    from pg_policies where schemaname = 'public'`);

describe('row-level security coverage', () => {
  it('knows every table: tenant-scoped (organization_id) or listed as global', async () => {
    const unclassified = (await tables()).filter((row) => !row.tenant && !GLOBAL_TABLES.includes(row.table)).map((row) => row.table);
    expect(unclassified).toEqual([]);
  });

  it('enables and forces row-level security on every tenant table', async () => {
    const tenantTables = (await tables()).filter((row) => row.tenant);
    expect(tenantTables.length).toBeGreaterThan(5);
    const unprotected = tenantTables.filter((row) => !row.rls || !row.forced).map((row) => row.table);
    expect(unprotected).toEqual([]);
  });

  it('gives every tenant table a policy that checks reads and writes against the tenant setting', async () => {
    const all = await policies();
    for (const { table } of (await tables()).filter((row) => row.tenant)) {
      const tenantPolicy = all.find(
        (p) => p.table === table && p.cmd === 'ALL' && p.qual?.includes('app.organization_ids') && p.check?.includes('app.organization_ids'),
      );
      expect(tenantPolicy, `${table} has no tenant policy`).toBeDefined();
    }
  });

  it('has no policy that lets rows through without naming the tenant or the acting user', async () => {
    // Permissive policies are OR-ed: one `using (true)` would undo the tenant policy.
    const loose = (await policies()).filter(
      (p) => ![p.qual, p.check].some((expression) => /app\.(organization_ids|user_id)/.test(expression ?? '')),
    );
    expect(loose.map((p) => `${p.table}.${p.name}`)).toEqual([]);
  });
});
