import { parseArgs } from 'node:util';
import { z } from 'zod';

export type ScaleOptions = {
  organizations: number;
  tasks: number;
  users: number;
  /** Comments in total, on tasks and (a few) on projects. */
  comments: number;
  /** Fraction of tasks that have a parent task. */
  subtaskShare: number;
  /** Depth of the one deep subtask chain in the largest organization (ancestors of its deepest task). */
  maxDepth: number;
  seed: string;
  /** Empty users, organizations and every table that hangs off them before writing. */
  reset: boolean;
  /** The owner's connection (see seed-scale.ts for why not the app role). */
  databaseUrl: string;
};

export class ScaleOptionsError extends Error {
  override name = 'ScaleOptionsError';
}

/** Default users per organization when --users is not given. */
const USERS_PER_ORGANIZATION = 5;
/** Default comments per task when --comments is not given. */
const COMMENTS_PER_TASK = 2;

const optionsSchema = z
  .object({
    organizations: z.number().int().min(1).max(1_000_000),
    tasks: z.number().int().min(0).max(100_000_000),
    users: z.number().int().min(1).max(10_000_000).optional(),
    comments: z.number().int().min(0).max(200_000_000).optional(),
    subtaskShare: z.number().min(0).max(0.95).default(0.3),
    maxDepth: z.number().int().min(1).max(1_000).default(8),
    seed: z.string().min(1).max(200).default('taskgraph'),
    reset: z.boolean().default(false),
    databaseUrl: z.string().url({ message: 'is required: pass --database-url or set DATABASE_URL' }),
  })
  .transform(
    (value): ScaleOptions => ({
      ...value,
      users: value.users ?? value.organizations * USERS_PER_ORGANIZATION,
      comments: value.comments ?? value.tasks * COMMENTS_PER_TASK,
    }),
  );

export type ScaleOptionsInput = z.input<typeof optionsSchema>;

/** Defaults and limits, shared by the CLI and programmatic callers. */
export function resolveOptions(input: ScaleOptionsInput): ScaleOptions {
  const parsed = optionsSchema.safeParse(input);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'options'} ${issue.message}`);
  throw new ScaleOptionsError(`invalid options: ${problems.join('; ')}`);
}

/** Tables the generator will fill once they exist; asking for them now is an error, not a silent no-op. */
const NOT_AVAILABLE_YET = ['time-entries'] as const;

export const USAGE = `Usage: npm run seed:scale -- --orgs N --tasks N [options]

  --orgs N            organizations (required)
  --tasks N           tasks in total (required)
  --users N           user accounts (default: orgs x ${USERS_PER_ORGANIZATION})
  --comments N        comments on tasks and projects (default: tasks x ${COMMENTS_PER_TASK}); each also gets its activity event,
                      as does each task, and some get reactions and mentions
  --subtask-share F   fraction of tasks that are subtasks (default 0.3)
  --max-depth N       depth of the deepest subtask chain, built in the largest organization (default 8)
  --seed S            PRNG seed: the same seed gives the same rows, ids included (default "taskgraph")
  --reset             TRUNCATE users and organizations (and everything referencing them) first
  --database-url URL  owner connection (default: DATABASE_URL)

  --time-entries: not available yet (the table does not exist).`;

export function parseScaleArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): ScaleOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        orgs: { type: 'string' },
        tasks: { type: 'string' },
        users: { type: 'string' },
        comments: { type: 'string' },
        'subtask-share': { type: 'string' },
        'max-depth': { type: 'string' },
        seed: { type: 'string' },
        reset: { type: 'boolean' },
        'database-url': { type: 'string' },
        ...Object.fromEntries(NOT_AVAILABLE_YET.map((name) => [name, { type: 'string' as const }])),
      },
    }));
  } catch (error) {
    throw new ScaleOptionsError((error as Error).message);
  }
  const unavailable = NOT_AVAILABLE_YET.filter((name) => values[name] !== undefined);
  if (unavailable.length > 0) {
    throw new ScaleOptionsError(
      `--${unavailable.join(', --')}: not available yet, the table does not exist in the schema. Add a generator module in src/scale/tables/ once it does.`,
    );
  }
  const number = (name: string) => {
    const raw = values[name];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (typeof raw !== 'string' || raw.trim() === '' || !Number.isFinite(value)) throw new ScaleOptionsError(`--${name} must be a number, got "${raw}"`);
    return value;
  };
  const organizations = number('orgs');
  const tasks = number('tasks');
  if (organizations === undefined || tasks === undefined) throw new ScaleOptionsError('--orgs and --tasks are required');
  return resolveOptions({
    organizations,
    tasks,
    users: number('users'),
    comments: number('comments'),
    subtaskShare: number('subtask-share'),
    maxDepth: number('max-depth'),
    seed: values.seed as string | undefined,
    reset: values.reset === true,
    databaseUrl: (values['database-url'] as string | undefined) ?? env.DATABASE_URL ?? '',
  });
}
