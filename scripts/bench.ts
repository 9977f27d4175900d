import { BenchOptionsError, parseBenchArgs, USAGE } from '../src/bench/options';
import { formatConsoleTable, writeResults } from '../src/bench/report';
import { runBench } from '../src/bench/run';

// `npm run bench -- --concurrency 1,32 --workers 1,2`: the issue-4 load benchmark (see bench/README.md).
try {
  const options = parseBenchArgs(process.argv.slice(2));
  const report = await runBench(options, (line) => console.error(line));
  console.log(`\n${formatConsoleTable(report)}\n`);
  if (options.resultsDir) console.log(`written: ${(await writeResults(options.resultsDir, report)).join(', ')}`);
  process.exitCode = report.rows.some((row) => row.errors > 0) ? 1 : 0;
} catch (error) {
  if (error instanceof BenchOptionsError) console.error(`bench: ${error.message}\n\n${USAGE}`);
  else console.error(error);
  process.exitCode = error instanceof BenchOptionsError ? 2 : 1;
}
