import { randomBytes } from 'node:crypto';
import { createAccessTokenSigner } from '../../src/auth/access-tokens';
import { hashPassword } from '../../src/auth/passwords';
import type { Role } from '../../src/auth/viewer';
import { newId } from '../../src/db/schema/columns';
import { organizationMembers, organizations, sessions, users } from '../../src/db/schema/index';
import { testConfig, type TestApp } from './harness';

export const TEST_PASSWORD = 'correct horse battery staple';
let passwordHash: Promise<string> | undefined;

const signer = createAccessTokenSigner(testConfig.auth.jwtSecret, testConfig.auth.accessTokenTtlSeconds);

/** Relay global id, as Pothos encodes it. */
export const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');

export const uniqueSuffix = () => randomBytes(4).toString('hex');

export type TestUser = { id: string; email: string; name: string; token: string; sessionId: string };

/** A user with a live session and an access token for it (written as the owner, bypassing the API). */
export async function createUser(t: TestApp, overrides: { email?: string; name?: string } = {}): Promise<TestUser> {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const id = newId();
  const email = overrides.email ?? `user-${uniqueSuffix()}@example.com`;
  const name = overrides.name ?? `User ${email.split('@')[0]}`;
  await t.owner.db.insert(users).values({ id, email, name, passwordHash: await passwordHash });
  const sessionId = newId();
  await t.owner.db.insert(sessions).values({
    id: sessionId,
    userId: id,
    refreshTokenHash: `test-${sessionId}`,
    expiresAt: new Date(Date.now() + 86_400_000),
  });
  const { token } = await signer.sign({ userId: id, sessionId });
  return { id, email, name, token, sessionId };
}

export type TestOrganization = { id: string; globalId: string; slug: string };

export async function createOrganization(
  t: TestApp,
  owner: TestUser,
  overrides: { name?: string; planId?: string } = {},
): Promise<TestOrganization> {
  const id = newId();
  const slug = `org-${uniqueSuffix()}`;
  await t.owner.db.insert(organizations).values({
    id,
    name: overrides.name ?? `Org ${slug}`,
    slug,
    planId: overrides.planId ?? 'team',
    createdBy: owner.id,
  });
  await addMember(t, id, owner, 'owner');
  return { id, globalId: globalId('Organization', id), slug };
}

export async function addMember(t: TestApp, organizationId: string, user: TestUser, role: Role): Promise<void> {
  await t.owner.db.insert(organizationMembers).values({ organizationId, userId: user.id, role, createdBy: user.id });
}

/** An organization with an owner and one user of each other role. */
export async function createTeam(t: TestApp, options: { planId?: string } = {}) {
  const owner = await createUser(t);
  const org = await createOrganization(t, owner, options);
  const admin = await createUser(t);
  const member = await createUser(t);
  const viewer = await createUser(t);
  await addMember(t, org.id, admin, 'admin');
  await addMember(t, org.id, member, 'member');
  await addMember(t, org.id, viewer, 'viewer');
  const outsider = await createUser(t);
  return { org, owner, admin, member, viewer, outsider };
}
