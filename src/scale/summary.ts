import type { SeedScaleResult } from './seed-scale';

/** Fixed-width text table. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => row[column]!.length)));
  const format = (cells: readonly string[]) =>
    cells.map((cell, column) => (column === 0 || column === cells.length - 1 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd();
  return [format(headers), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(format)].join('\n');
}

const count = (value: number) => value.toLocaleString('en-US');

export function formatSummary(result: SeedScaleResult): string {
  const tables = formatTable(
    ['table', 'generated', 'in database', 'copy s', 'index s', 'rows/s', 'ok'],
    result.tables.map((table) => [
      table.table,
      count(table.generated),
      count(table.inDatabase),
      table.seconds.toFixed(1),
      table.indexSeconds.toFixed(1),
      count(Math.round(table.generated / Math.max(table.seconds, 0.001))),
      table.generated === table.inDatabase ? 'yes' : 'NO',
    ]),
  );
  const checks = formatTable(
    ['check', 'ok', 'detail'],
    result.checks.map((check) => [check.check, check.ok ? 'yes' : 'NO', check.detail]),
  );
  const rows = result.tables.reduce((sum, table) => sum + table.generated, 0);
  const timing = Object.entries(result.timings)
    .map(([phase, seconds]) => `${phase} ${seconds.toFixed(1)} s`)
    .join(', ');
  return [
    tables,
    '',
    checks,
    '',
    `${count(rows)} rows in ${result.seconds.toFixed(1)} s (${timing}); seed "${result.options.seed}".`,
    result.ok ? 'All checks passed.' : 'SOME CHECKS FAILED.',
  ].join('\n');
}
