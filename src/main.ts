import { loadConfig } from './config/env';
import { describeStartupError, startupBanner } from './startup/messages';
import { stopOnSignals } from './startup/shutdown';

// `npm start`. A bad variable is reported before the app and its schema load (the dynamic import).
try {
  const config = loadConfig();
  const { startTaskgraph } = await import('./startup/start');
  const running = await startTaskgraph(config);
  console.log(startupBanner({ url: running.url, demo: running.demo, graphiql: config.graphiql }));
  stopOnSignals(running.stop, config.shutdownTimeoutMs, running.logger);
} catch (error) {
  console.error(describeStartupError(error));
  process.exit(1);
}
