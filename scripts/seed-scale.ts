import { formatSummary, parseScaleArgs, ScaleOptionsError, ScaleRefusedError, seedScale, stderrProgress, USAGE } from '../src/scale/index';

// `npm run seed:scale -- --orgs 2000 --tasks 1000000`: the benchmark dataset (see src/scale/).
try {
  const options = parseScaleArgs(process.argv.slice(2));
  const result = await seedScale(options, stderrProgress());
  console.log(formatSummary(result));
  process.exitCode = result.ok ? 0 : 1;
} catch (error) {
  if (error instanceof ScaleOptionsError) console.error(`seed:scale: ${error.message}\n\n${USAGE}`);
  else if (error instanceof ScaleRefusedError) console.error(`seed:scale: ${error.message}`);
  else console.error(error);
  process.exitCode = error instanceof ScaleOptionsError || error instanceof ScaleRefusedError ? 2 : 1;
}
