import { loadavg } from 'node:os';
import { runMigrations } from '../db/migrate';
import { drawSample, ensureScaleData, type Sample } from './dataset';
import { detectFeatures, type Features } from './features';
import { GraphQLHttpClient, replyProblem } from './http-client';
import { percentile, runClosedLoop } from './load';
import type { BenchOptions } from './options';
import { describeEnvironment, type Environment } from './environment';
import { buildScenarios, type Scenario } from './scenarios';
import { startServerPool, type ServerPool } from './server-pool';

export type ResultRow = {
  workers: number;
  scenario: Scenario['name'];
  label: string;
  kind: Scenario['kind'];
  concurrency: number;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: number;
  errorSamples: string[];
  statementsPerRequest: number;
  /** API CPU time (all workers, user + system) per request: less sensitive to other load than latency. */
  apiCpuMsPerRequest: number;
  /** The largest worker's peak RSS during the measured window, and each worker's. */
  peakRssMb: number;
  peakRssMbPerWorker: number[];
  loadAverage: { before: number[]; after: number[] };
};

export type BenchReport = {
  startedAt: string;
  environment: Environment;
  options: Omit<BenchOptions, 'databaseUrl'>;
  dataset: 'seeded' | 'reused';
  sample: { organizations: { size: string; taskCount: number; users: number; projects: number; tasks: number }[] };
  features: Features;
  scenarios: { name: string; label: string; kind: string; unavailable: string | null; notes: string[] }[];
  poolMax: number;
  rows: ResultRow[];
};

const LOGIN = `mutation BenchLogIn($input: LogInInput!) { logIn(input: $input) { __typename ... on AuthPayload { accessToken } ... on Error { message } } }`;
const MB = 1024 * 1024;
const round = (value: number, digits = 2) => Number(value.toFixed(digits));

export async function runBench(options: BenchOptions, log: (line: string) => void): Promise<BenchReport> {
  const startedAt = new Date().toISOString();
  const password = new URL(options.databaseUrl).password;
  await runMigrations(options.databaseUrl, password ? decodeURIComponent(password) : undefined);
  const dataset = await ensureScaleData(options.databaseUrl, { organizations: options.organizations, tasks: options.tasks, reseed: options.reseed }, log);
  const sample = await drawSample(options.databaseUrl, options.sampleSeed);
  const environment = await describeEnvironment(options.databaseUrl);
  log(`dataset ${dataset}: ${environment.dataset.tasks.toLocaleString('en-US')} tasks in ${environment.dataset.organizations} organizations`);

  const maxConcurrency = Math.max(...options.concurrency);
  const rows: ResultRow[] = [];
  let features: Features | null = null;
  let scenarios: Scenario[] = [];
  let tokens = new Map<string, string>();
  let poolMax = 0;

  for (const workers of options.workers) {
    log(`starting ${workers} API worker(s) ...`);
    const pool = await startServerPool(options.databaseUrl, workers);
    const client = new GraphQLHttpClient(pool.url, maxConcurrency);
    try {
      if (!features) {
        features = await detectFeatures((body, token) => client.post(body, token));
        scenarios = buildScenarios(sample, features);
        tokens = await logIn(client, sample);
        log(`logged in ${tokens.size} users of ${sample.organizations.length} organizations`);
      }
      for (const scenario of scenarios) {
        if (!options.scenarios.includes(scenario.name)) continue;
        if (scenario.unavailable) {
          log(`${scenario.name}: ${scenario.unavailable}`);
          continue;
        }
        for (const concurrency of options.concurrency) {
          const row = await measure(pool, client, scenario, tokens, { workers, concurrency, options });
          poolMax = Math.max(poolMax, (await pool.stats()).poolMax);
          rows.push(row);
          log(
            `${workers}w ${scenario.name.padEnd(13)} c=${String(concurrency).padEnd(3)} ${row.requestsPerSecond.toFixed(0).padStart(6)} req/s  ` +
              `p50 ${row.p50Ms.toFixed(1)}  p95 ${row.p95Ms.toFixed(1)}  p99 ${row.p99Ms.toFixed(1)} ms  errors ${row.errors}  ` +
              `${row.statementsPerRequest.toFixed(1)} stmt/req  ${row.apiCpuMsPerRequest.toFixed(1)} cpu ms/req  rss ${row.peakRssMb.toFixed(0)} MB` +
              (row.errorSamples.length ? `\n    ${row.errorSamples.join('\n    ')}` : ''),
          );
        }
      }
    } finally {
      client.close();
      await pool.stop();
    }
  }

  const { databaseUrl: _omitted, ...shownOptions } = options;
  return {
    startedAt,
    environment: { ...environment, loadAverageAtEnd: loadavg().map((value) => round(value)) },
    options: shownOptions,
    dataset,
    sample: {
      organizations: sample.organizations.map((o) => ({
        size: o.size,
        taskCount: o.taskCount,
        users: o.users.length,
        projects: o.projectIds.length,
        tasks: o.tasks.length,
      })),
    },
    features: features!,
    scenarios: scenarios.map(({ name, label, kind, unavailable, notes }) => ({ name, label, kind, unavailable, notes })),
    poolMax,
    rows,
  };
}

async function logIn(client: GraphQLHttpClient, sample: Sample): Promise<Map<string, string>> {
  const tokens = new Map<string, string>();
  for (const user of sample.organizations.flatMap((o) => o.users)) {
    if (tokens.has(user.userId)) continue;
    const reply = await client.post({ query: LOGIN, variables: { input: { email: user.email, password: user.password } } }, null);
    const problem = replyProblem(reply, 'logIn');
    if (problem) throw new Error(`logging in ${user.email} failed: ${problem}`);
    tokens.set(user.userId, reply.json!.data.logIn.accessToken as string);
  }
  return tokens;
}

async function measure(
  pool: ServerPool,
  client: GraphQLHttpClient,
  scenario: Scenario,
  tokens: ReadonlyMap<string, string>,
  { workers, concurrency, options }: { workers: number; concurrency: number; options: BenchOptions },
): Promise<ResultRow> {
  const common = { concurrency, seed: options.sampleSeed };
  if (options.warmupSeconds > 0) await runClosedLoop(client, scenario, tokens, { ...common, seconds: options.warmupSeconds, phase: 'warmup' });
  await pool.reset();
  const before = loadavg();
  const result = await runClosedLoop(client, scenario, tokens, { ...common, seconds: options.durationSeconds, phase: 'measure' });
  const after = loadavg();
  const stats = await pool.stats();
  const peaks = stats.peakRssPerWorker.map((bytes) => round(bytes / MB, 1));
  return {
    workers,
    scenario: scenario.name,
    label: scenario.label,
    kind: scenario.kind,
    concurrency,
    requests: result.requests,
    seconds: round(result.seconds),
    requestsPerSecond: round(result.requests / result.seconds, 1),
    p50Ms: round(percentile(result.latenciesMs, 50)),
    p95Ms: round(percentile(result.latenciesMs, 95)),
    p99Ms: round(percentile(result.latenciesMs, 99)),
    maxMs: round(result.latenciesMs[result.latenciesMs.length - 1] ?? Number.NaN),
    errors: result.errors,
    errorSamples: result.errorSamples,
    statementsPerRequest: round(stats.statements / Math.max(1, result.requests), 2),
    apiCpuMsPerRequest: round(stats.cpuMs / Math.max(1, result.requests), 2),
    peakRssMb: Math.max(...peaks),
    peakRssMbPerWorker: peaks,
    loadAverage: { before: before.map((v) => round(v)), after: after.map((v) => round(v)) },
  };
}
