import { hash } from '@node-rs/argon2';
import { users } from '../../db/schema/index';
import { RandomSource } from '../random';
import { timestamp } from '../timeline';
import { defineSeeder } from './table-seeder';

/** Every generated account logs in with this password (benchmarks sign in as any of them). */
export const SCALE_PASSWORD = 'scale-password';

/**
 * One argon2id hash (library defaults, as src/auth/passwords.ts) for all
 * users. The salt comes from the seed so the same seed writes the same bytes.
 */
export async function scalePasswordHash(seed: string): Promise<string> {
  const rng = new RandomSource(seed).stream('password-salt');
  const salt = Uint8Array.from({ length: 16 }, () => rng.int(256));
  return hash(SCALE_PASSWORD, { salt });
}

export const usersSeeder = defineSeeder(users, ['id', 'email', 'name', 'passwordHash', 'createdAt', 'updatedAt'], {
  expectedRows: (plan) => ({ rows: plan.users.length, exact: true }),
  *rows(plan) {
    for (const user of plan.users) {
      const created = timestamp(user.createdMs);
      yield [user.id, user.email, user.name, plan.passwordHash, created, created];
    }
  },
});
