import { parseArgs } from 'node:util';
import { z } from 'zod';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios';

export type BenchOptions = {
  /** Owner connection: migrations, seeding and sampling. The server itself connects as the app role. */
  databaseUrl: string;
  /** Seed when the database holds no scale data (or always, replacing it, with `reseed`). */
  organizations: number;
  tasks: number;
  reseed: boolean;
  durationSeconds: number;
  warmupSeconds: number;
  concurrency: number[];
  /** API processes (node:cluster workers sharing one port); each count is measured in turn. */
  workers: number[];
  scenarios: ScenarioName[];
  /** Seed of the sampling PRNG: the same seed logs in the same users and draws the same ids. */
  sampleSeed: string;
  /** Where results go (Markdown and JSON); null: print only. */
  resultsDir: string | null;
};

export class BenchOptionsError extends Error {
  override name = 'BenchOptionsError';
}

export const USAGE = `Usage: npm run bench -- [options]

  --database-url URL   owner connection (default: DATABASE_URL); the server connects as taskgraph_app
  --orgs N --tasks N   dataset to seed when the database has none (default 2000 / 1000000)
  --seed               seed even if scale data is there (replaces it: seed:scale --reset)
  --duration S         measured seconds per scenario and concurrency (default 10)
  --warmup S           unmeasured seconds before each (default 2)
  --concurrency LIST   closed-loop clients, e.g. 1,32 (default 1,32)
  --workers LIST       API processes, e.g. 1,2 (default 1,2)
  --scenarios LIST     any of ${SCENARIO_NAMES.join(', ')} (default: all)
  --sample-seed S      which users and ids are drawn (default "bench")
  --results DIR        where the .md and .json go (default bench/results; "-" prints only)`;

const list = (raw: string) => raw.split(',').map((item) => item.trim()).filter(Boolean);

const optionsSchema = z.object({
  databaseUrl: z.string().url({ message: 'is required: pass --database-url or set DATABASE_URL' }),
  organizations: z.number().int().min(1),
  tasks: z.number().int().min(1),
  reseed: z.boolean(),
  durationSeconds: z.number().positive().max(3600),
  warmupSeconds: z.number().min(0).max(600),
  concurrency: z.array(z.number().int().min(1).max(1000)).min(1),
  workers: z.array(z.number().int().min(1).max(2)).min(1),
  scenarios: z.array(z.enum(SCENARIO_NAMES)).min(1),
  sampleSeed: z.string().min(1),
  resultsDir: z.string().min(1).nullable(),
});

export function parseBenchArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        'database-url': { type: 'string' },
        orgs: { type: 'string' },
        tasks: { type: 'string' },
        seed: { type: 'boolean' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        concurrency: { type: 'string' },
        workers: { type: 'string' },
        scenarios: { type: 'string' },
        'sample-seed': { type: 'string' },
        results: { type: 'string' },
      },
    }));
  } catch (error) {
    throw new BenchOptionsError((error as Error).message);
  }
  const text = (name: string) => values[name] as string | undefined;
  const numbers = (name: string, fallback: string) => list(text(name) ?? fallback).map(Number);
  const results = text('results') ?? 'bench/results';
  const parsed = optionsSchema.safeParse({
    databaseUrl: text('database-url') ?? env.DATABASE_URL ?? '',
    organizations: Number(text('orgs') ?? 2000),
    tasks: Number(text('tasks') ?? 1_000_000),
    reseed: values.seed === true,
    durationSeconds: Number(text('duration') ?? 10),
    warmupSeconds: Number(text('warmup') ?? 2),
    concurrency: numbers('concurrency', '1,32'),
    workers: numbers('workers', '1,2'),
    scenarios: text('scenarios') ? list(text('scenarios')!) : [...SCENARIO_NAMES],
    sampleSeed: text('sample-seed') ?? 'bench',
    resultsDir: results === '-' ? null : results,
  });
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'} ${issue.message}`);
    throw new BenchOptionsError(`invalid options: ${problems.join('; ')}`);
  }
  return parsed.data;
}
