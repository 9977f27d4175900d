import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTable } from '../scale/summary';
import type { BenchReport, ResultRow } from './run';

/** Issue 4's targets. Null: no target for that row. */
export function targetVerdict(row: ResultRow): { target: string; met: boolean } | null {
  const checks: { target: string; met: boolean }[] = [];
  if (row.kind === 'read' && row.concurrency === 1) checks.push({ target: 'p99 < 10 ms', met: row.p99Ms < 10 });
  if (row.concurrency >= 32) checks.push({ target: 'p99 < 100 ms', met: row.p99Ms < 100 });
  if (row.scenario === 'project-view' && row.concurrency >= 32) checks.push({ target: '> 800 req/s', met: row.requestsPerSecond > 800 });
  checks.push({ target: '0 errors', met: row.errors === 0 });
  return { target: checks.map((c) => c.target).join(', '), met: checks.every((c) => c.met) };
}

const HEADERS = ['workers', 'scenario', 'c', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'errors', 'stmt/req', 'API cpu ms/req', 'peak RSS MB', 'load 1m', 'target'];

function cells(row: ResultRow): string[] {
  const verdict = targetVerdict(row);
  return [
    String(row.workers),
    `${row.label} ${row.scenario}`,
    String(row.concurrency),
    row.requestsPerSecond.toFixed(0),
    row.p50Ms.toFixed(1),
    row.p95Ms.toFixed(1),
    row.p99Ms.toFixed(1),
    row.maxMs.toFixed(0),
    String(row.errors),
    row.statementsPerRequest.toFixed(1),
    row.apiCpuMsPerRequest.toFixed(1),
    row.peakRssMbPerWorker.map((mb) => mb.toFixed(0)).join(' + '),
    row.loadAverage.after[0]!.toFixed(2),
    verdict ? `${verdict.met ? 'met' : 'MISSED'} (${verdict.target})` : '',
  ];
}

export function formatConsoleTable(report: BenchReport): string {
  return formatTable(HEADERS, report.rows.map(cells));
}

export function formatMarkdown(report: BenchReport): string {
  const env = report.environment;
  const table = [
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map((_, i) => (i >= 2 && i <= 12 ? '---:' : '---')).join(' | ')} |`,
    ...report.rows.map((row) => `| ${cells(row).join(' | ')} |`),
  ].join('\n');
  const errors = report.rows.filter((row) => row.errorSamples.length > 0);
  const scenarioNotes = report.scenarios
    .filter((s) => report.options.scenarios.includes(s.name as never))
    .map((s) => `- **${s.label} ${s.name}**${s.unavailable ? `: ${s.unavailable}` : ''}${s.notes.length ? `: ${s.notes.join('; ')}` : ''}`);
  const sample = report.sample.organizations.map((o) => `${o.size} (${o.taskCount.toLocaleString('en-US')} tasks, ${o.projects} active projects)`);
  return [
    `# Benchmark ${report.startedAt.slice(0, 10)} at ${env.commit}${env.dirty ? ' (dirty tree)' : ''}`,
    '',
    `Started ${report.startedAt}. ${env.cpus} × ${env.cpuModel}, ${env.memoryGb} GB, Node ${env.node}, PostgreSQL ${env.postgres} on the same machine.`,
    `Dataset (${report.dataset}): ~${env.dataset.tasks.toLocaleString('en-US')} tasks, ${env.dataset.organizations.toLocaleString('en-US')} organizations, ${env.dataset.users.toLocaleString('en-US')} users.`,
    `Load average (1/5/15 min) at start ${env.loadAverageAtStart.join(' / ')}, at end ${env.loadAverageAtEnd?.join(' / ') ?? '?'}: other processes on the machine share its cores with the run.`,
    '',
    `${report.options.durationSeconds} s measured after ${report.options.warmupSeconds} s warm-up per row; closed loop of c clients over keep-alive HTTP; ` +
      `API as the app role (row-level security), production config, log level warn, pool ${report.poolMax} connections per worker. ` +
      `Requests: half from large organizations, half from small ones (${sample.join(', ')}); ${report.sample.organizations.reduce((n, o) => n + o.users, 0)} users, sample seed "${report.options.sampleSeed}".`,
    '',
    table,
    '',
    'stmt/req: SQL statements the API sent per request (BEGIN/COMMIT and the RLS set_config included), counted by the pool\'s query hook in each worker. ' +
      'API cpu ms/req: the workers\' CPU time (user + system) / requests; Postgres\' CPU is not in it. ' +
      'peak RSS: sampled every 50 ms in each worker during the measured window.',
    '',
    '## Scenarios',
    '',
    ...scenarioNotes,
    ...(errors.length
      ? ['', '## Errors', '', ...errors.flatMap((row) => [`- ${row.workers}w ${row.scenario} c=${row.concurrency}:`, ...row.errorSamples.map((e) => `  - ${e}`)])]
      : []),
    '',
  ].join('\n');
}

/** Writes <date>T<hhmm UTC>-<sha>[-dirty].md and .json (several runs of one commit side by side); returns their paths. */
export async function writeResults(dir: string, report: BenchReport): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const stamp = `${report.startedAt.slice(0, 10)}T${report.startedAt.slice(11, 16).replace(':', '')}`;
  const base = join(dir, `${stamp}-${report.environment.commit}${report.environment.dirty ? '-dirty' : ''}`);
  await writeFile(`${base}.md`, formatMarkdown(report));
  await writeFile(`${base}.json`, `${JSON.stringify(report, null, 2)}\n`);
  return [`${base}.md`, `${base}.json`];
}
