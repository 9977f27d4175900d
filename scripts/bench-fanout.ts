import { formatConsoleTable, writeResults } from '../src/bench-fanout/report';
import { parseFanoutArgs } from '../src/bench-fanout/options';
import { runFanoutBench } from '../src/bench-fanout/run';

// `npm run bench:fanout -- --subscribers 1000 --connections 20,1000 --comments 50 --interval-ms 100`
// One task, many commentAdded subscribers: publish-to-receive latency, lost or duplicate deliveries, server memory.
try {
  const options = parseFanoutArgs(process.argv.slice(2));
  const report = await runFanoutBench(options, (line) => console.error(line));
  console.log(`\n${formatConsoleTable(report)}\n`);
  console.log(`written: ${(await writeResults('bench/results', report)).join(', ')}`);
  process.exitCode = report.scenarios.some((row) => row.missing > 0 || row.duplicates > 0 || row.failedPosts > 0) ? 1 : 0;
} catch (error) {
  console.error(error);
  process.exitCode = 1;
}
