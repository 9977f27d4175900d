import postgres from 'postgres';
import { SLUG_PREFIX } from '../scale/plan';
import { RandomSource, type Random } from '../scale/random';
import { SCALE_PASSWORD, seedScale, stderrProgress } from '../scale/index';

export type OrganizationSize = 'large' | 'small';

/** A member (not a viewer: the mutations need write access) of a sampled organization. */
export type SampleUser = { userId: string; email: string; password: string };

export type SampleOrganization = {
  id: string;
  size: OrganizationSize;
  taskCount: number;
  users: SampleUser[];
  /** Active projects that have tasks: mutations are refused in archived ones. */
  projectIds: string[];
  /** Live tasks of those projects, drawn at random. */
  tasks: { id: string; projectId: string }[];
};

export type Sample = { organizations: SampleOrganization[] };

const ORGANIZATIONS_PER_SIZE = 3;
/** The large ones are drawn from the biggest this many; the small ones from the lower half. */
const LARGEST_POOL = 10;
const MIN_SMALL_TASKS = 20;
const USERS_PER_ORGANIZATION = 4;
const TASKS_PER_ORGANIZATION = 300;

/** Seeds the scale dataset when there is none (or when asked to replace it). */
export async function ensureScaleData(
  ownerUrl: string,
  { organizations, tasks, reseed }: { organizations: number; tasks: number; reseed: boolean },
  log: (line: string) => void,
): Promise<'seeded' | 'reused'> {
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  let present: boolean;
  try {
    const [row] = await sql`select exists (select 1 from organizations where slug like ${`${SLUG_PREFIX}%`}) as found`;
    present = row?.found === true;
  } finally {
    await sql.end();
  }
  if (present && !reseed) return 'reused';
  log(`seeding ${organizations} organizations / ${tasks} tasks (seed:scale${present ? ' --reset' : ''}) ...`);
  const result = await seedScale({ organizations, tasks, reset: present, databaseUrl: ownerUrl }, stderrProgress());
  if (!result.ok) throw new Error('seed:scale reported failed checks; run it alone to see them');
  return 'seeded';
}

/**
 * Draws the organizations, users and ids the load will use, deterministically
 * for a given seed (rows are read in a fixed order, then picked with the scale
 * generator's PRNG). Read as the owner: sampling is not part of what is measured.
 */
export async function drawSample(ownerUrl: string, seed: string): Promise<Sample> {
  const rng = new RandomSource(seed).stream('bench-sample', 0);
  const sql = postgres(ownerUrl, { max: 1, onnotice: () => {} });
  try {
    const sizes = await sql<{ id: string; n: number }[]>`
      select t.organization_id as id, count(*)::int as n
      from tasks t join organizations o on o.id = t.organization_id
      where t.deleted_at is null and o.deleted_at is null and o.slug like ${`${SLUG_PREFIX}%`}
      group by t.organization_id order by n desc, t.organization_id`;
    if (sizes.length < 2) throw new Error('not enough scale organizations to sample from: seed the dataset first');
    const large = pickDistinct(rng, sizes.slice(0, LARGEST_POOL), ORGANIZATIONS_PER_SIZE);
    const lowerHalf = sizes.slice(Math.floor(sizes.length / 2)).filter((row) => row.n >= MIN_SMALL_TASKS);
    const small = pickDistinct(rng, lowerHalf.length > 0 ? lowerHalf : sizes.slice(-ORGANIZATIONS_PER_SIZE), ORGANIZATIONS_PER_SIZE);
    const organizations: SampleOrganization[] = [];
    for (const [size, rows] of [['large', large], ['small', small]] as const) {
      for (const row of rows) {
        const organization = await sampleOrganization(sql, rng, seed, row.id, size, row.n);
        if (organization) organizations.push(organization);
      }
    }
    if (!organizations.some((o) => o.size === 'large') || !organizations.some((o) => o.size === 'small')) {
      throw new Error('could not find large and small organizations with members and active projects');
    }
    return { organizations };
  } finally {
    await sql.end();
  }
}

async function sampleOrganization(
  sql: postgres.Sql,
  rng: Random,
  seed: string,
  organizationId: string,
  size: OrganizationSize,
  taskCount: number,
): Promise<SampleOrganization | null> {
  const members = await sql<{ userId: string; email: string }[]>`
    select m.user_id as "userId", u.email
    from organization_members m join users u on u.id = m.user_id
    where m.organization_id = ${organizationId} and m.deleted_at is null and u.deleted_at is null
      and m.role <> 'viewer' and u.email like ${'%@scale.example'}
    order by m.user_id`;
  const projects = await sql<{ id: string }[]>`
    select p.id from projects p
    where p.organization_id = ${organizationId} and p.deleted_at is null and p.status = 'active'
      and exists (select 1 from tasks t where t.organization_id = p.organization_id and t.project_id = p.id and t.deleted_at is null)
    order by p.id`;
  if (members.length === 0 || projects.length === 0) return null;
  const projectIds = projects.map((p) => p.id);
  // md5 with the seed: a deterministic shuffle that does not depend on physical row order.
  const tasks = await sql<{ id: string; projectId: string }[]>`
    select id, project_id as "projectId" from tasks
    where organization_id = ${organizationId} and deleted_at is null and project_id = any(${projectIds}::uuid[])
    order by md5(id::text || ${seed}) limit ${TASKS_PER_ORGANIZATION}`;
  return {
    id: organizationId,
    size,
    taskCount,
    users: pickDistinct(rng, members, USERS_PER_ORGANIZATION).map((m) => ({ ...m, password: SCALE_PASSWORD })),
    projectIds,
    tasks: [...tasks],
  };
}

function pickDistinct<T>(rng: Random, items: readonly T[], count: number): T[] {
  const pool = [...items];
  const picked: T[] = [];
  while (picked.length < count && pool.length > 0) picked.push(pool.splice(rng.int(pool.length), 1)[0]!);
  return picked;
}
