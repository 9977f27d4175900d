import { execFileSync } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { formatTable } from '../scale/summary';
import type { FanoutReport, ScenarioResult } from './run';

const HEADERS = ['connections', 'subs', 'comments', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'last sub p50/max ms', 'addComment p50 ms', 'missing', 'dupes', 'RSS idle/subscribed/peak MB', 'server/client CPU ms/comment', 'DB commits/comment'];

const ms = (value: number) => (Number.isNaN(value) ? '-' : value.toFixed(value < 10 ? 1 : 0));

function cells(row: ScenarioResult): string[] {
  return [
    String(row.connections),
    `${row.ready}/${row.subscribers}`,
    `${row.comments} @ ${row.intervalMs} ms`,
    ms(row.fromResponseMs.p50),
    ms(row.fromResponseMs.p95),
    ms(row.fromResponseMs.p99),
    ms(row.fromResponseMs.max),
    `${ms(row.fullFanOutMs.p50)} / ${ms(row.fullFanOutMs.max)}`,
    ms(row.addCommentMs.p50),
    String(row.missing),
    String(row.duplicates),
    `${row.serverRssMb.idle.toFixed(0)} / ${row.serverRssMb.subscribed.toFixed(0)} / ${row.serverRssMb.peak.toFixed(0)}`,
    `${row.serverCpuMsPerComment.toFixed(0)} / ${row.clientCpuMsPerComment?.toFixed(0) ?? '-'}`,
    row.dbCommitsPerComment.toFixed(0),
  ];
}

export const formatConsoleTable = (report: FanoutReport) => formatTable(HEADERS, report.scenarios.map(cells));

function git(args: string[]): string {
  try {
    return execFileSync('git', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export function formatMarkdown(report: FanoutReport, commit: string, findings: string[]): string {
  const table = [
    `| ${HEADERS.join(' | ')} |`,
    `| ${HEADERS.map((_, i) => (i >= 3 ? '---:' : '---')).join(' | ')} |`,
    ...report.scenarios.map((row) => `| ${cells(row).join(' | ')} |`),
  ].join('\n');
  const errors = report.scenarios.flatMap((row) => row.subscriptionErrors.map((e) => `- ${row.connections} connections: ${e}`));
  return [
    `# Fan-out benchmark ${report.startedAt.slice(0, 10)} at ${commit}`,
    '',
    `Started ${report.startedAt}. ${cpus().length} × ${cpus()[0]?.model ?? '?'}, Node ${process.version}; ${report.options.instances ?? 1} API server process(es) (subscriptions round-robin over them, comments posted to the first), Postgres on the same machine, pub/sub ${report.redis ? 'Redis' : 'in-process'}.`,
    `One task; ${report.options.subscribers} \`commentAdded\` subscriptions (graphql-ws) by ${report.options.members} members; ${report.options.comments} comments added over HTTP, one every ${report.options.intervalMs} ms.`,
    `Load average (1/5/15 min) at start ${report.loadAverage.start.join(' / ')}, at end ${report.loadAverage.end.join(' / ')} on ${cpus().length} cores.`,
    'Latency: from the addComment response reaching the poster to each subscriber receiving the comment (same process, same clock). "last sub": per comment, until its last subscriber had it.',
    '',
    table,
    '',
    ...(errors.length ? ['Subscription errors:', ...errors, ''] : []),
    ...(findings.length ? ['## Findings', '', ...findings.map((line) => `- ${line}`), ''] : []),
  ].join('\n');
}

/** bench/results/fanout-<date>-<sha>.{md,json}. */
export async function writeResults(dir: string, report: FanoutReport, findings: string[] = []): Promise<string[]> {
  const commit = git(['rev-parse', '--short', 'HEAD']);
  const dirty = git(['status', '--porcelain', '--', 'src']) !== '';
  const stamp = report.startedAt.slice(0, 16).replace(/:/g, '');
  const base = join(dir, `fanout-${stamp}-${commit}${dirty ? '-dirty' : ''}`);
  await mkdir(dir, { recursive: true });
  await writeFile(`${base}.json`, `${JSON.stringify({ commit, dirty, ...report }, null, 2)}\n`);
  await writeFile(`${base}.md`, formatMarkdown(report, `${commit}${dirty ? ' (dirty tree)' : ''}`, findings));
  return [`${base}.md`, `${base}.json`];
}
