import { randomBytes } from 'node:crypto';
import { createAccessTokenSigner } from '../auth/access-tokens';
import { createDatabase } from '../db/client';
import { newId } from '../db/schema/columns';
import { organizationMembers, organizations, projects, sessions, tasks, users } from '../db/schema/index';

export type BenchUser = { id: string; token: string };
export type FanoutFixture = { taskGlobalId: string; poster: BenchUser; subscribers: BenchUser[] };

const globalId = (typename: string, id: string) => Buffer.from(`${typename}:${id}`).toString('base64');

/**
 * One organization with a project and a task, an owner who posts the
 * comments, and `subscriberCount` members (each with a live session and an
 * access token signed with the server's secret) who subscribe.
 */
export async function createFanoutFixture(ownerUrl: string, jwtSecret: string, subscriberCount: number): Promise<FanoutFixture> {
  const { db, close } = createDatabase(ownerUrl, { max: 2 });
  const signer = createAccessTokenSigner(jwtSecret, 3600);
  const suffix = randomBytes(4).toString('hex');
  try {
    const people = Array.from({ length: subscriberCount + 1 }, (_, i) => ({
      id: newId(),
      email: `fanout-${suffix}-${i}@example.com`,
      name: `Fanout ${i}`,
      // Never logged in with: the tokens are signed directly.
      passwordHash: 'not-a-password',
    }));
    await db.insert(users).values(people);
    const sessionRows = people.map((person) => ({
      id: newId(),
      userId: person.id,
      refreshTokenHash: `bench-${randomBytes(8).toString('hex')}`,
      expiresAt: new Date(Date.now() + 86_400_000),
    }));
    await db.insert(sessions).values(sessionRows);
    const organizationId = newId();
    const owner = people[0]!;
    await db.insert(organizations).values({ id: organizationId, name: `Fanout ${suffix}`, slug: `fanout-${suffix}`, planId: 'team', createdBy: owner.id });
    await db
      .insert(organizationMembers)
      .values(people.map((person, i) => ({ organizationId, userId: person.id, role: i === 0 ? ('owner' as const) : ('member' as const), createdBy: owner.id })));
    const projectId = newId();
    await db.insert(projects).values({ id: projectId, organizationId, name: 'Fan-out', createdBy: owner.id });
    const taskId = newId();
    await db.insert(tasks).values({ id: taskId, organizationId, projectId, title: 'Busy thread', rank: 'a0', createdBy: owner.id });
    const withTokens = await Promise.all(
      people.map(async (person, i) => ({ id: person.id, token: (await signer.sign({ userId: person.id, sessionId: sessionRows[i]!.id })).token })),
    );
    return { taskGlobalId: globalId('Task', taskId), poster: withTokens[0]!, subscribers: withTokens.slice(1) };
  } finally {
    await close();
  }
}
