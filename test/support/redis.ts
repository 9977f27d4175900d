import { Redis } from 'ioredis';

/** The Redis the tests share (CI and the project's machines run one on 6379). */
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Whether a Redis answers at `url` within a second: test files that need one skip (and say so) when it does not. */
export async function redisReachable(url = TEST_REDIS_URL): Promise<boolean> {
  const probe = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
  probe.on('error', () => {});
  try {
    await probe.connect();
    return (await probe.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    probe.disconnect();
  }
}

/**
 * For a test file that needs the shared Redis: true when it answers. Elsewhere
 * the file's Redis cases are skipped with a warning; in CI (which starts Redis)
 * a missing Redis fails instead of skipping.
 */
export async function sharedRedisAvailable(testName: string): Promise<boolean> {
  if (await redisReachable()) return true;
  const problem = `${testName}: Redis at ${TEST_REDIS_URL} is not reachable`;
  if (process.env.CI) throw new Error(`${problem}, and CI runs these tests`);
  console.warn(`${problem}; its Redis cases are skipped`);
  return false;
}
