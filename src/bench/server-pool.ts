import cluster, { type Worker } from 'node:cluster';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

export type PrimaryMessage = { type: 'reset' } | { type: 'stats' } | { type: 'stop' };
export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'reset-done' }
  | { type: 'stats'; statements: number; peakRss: number; cpuMs: number; poolMax: number };

/** cpuMs: the workers' CPU time (user + system) since the last reset, added up. */
export type ServerStats = { statements: number; peakRssPerWorker: number[]; cpuMs: number; poolMax: number };

export type ServerPool = {
  url: string;
  workers: number;
  /** Zeroes the statement counters and restarts the peak-RSS window of every worker. */
  reset(): Promise<void>;
  stats(): Promise<ServerStats>;
  stop(): Promise<void>;
};

const START_TIMEOUT_MS = 60_000;

/**
 * Starts `workers` API processes with node:cluster: they share one port (the
 * primary, this benchmark process, hands connections out round-robin), like a
 * multi-process deployment on one machine.
 */
export async function startServerPool(ownerUrl: string, workers: number): Promise<ServerPool> {
  const port = await freePort();
  cluster.setupPrimary({ exec: fileURLToPath(new URL('./server-worker.ts', import.meta.url)), execArgv: [...process.execArgv, ...(process.env.BENCH_CPU_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROFILE_DIR}`] : [])] });
  const started: Worker[] = [];
  try {
    for (let i = 0; i < workers; i++) {
      const worker = cluster.fork({ BENCH_PORT: String(port), BENCH_OWNER_URL: ownerUrl });
      started.push(worker);
    }
    await Promise.all(started.map((worker) => nextMessage(worker, 'ready', START_TIMEOUT_MS)));
  } catch (error) {
    for (const worker of started) worker.kill();
    throw error;
  }

  const ask = async <T extends WorkerMessage['type']>(message: PrimaryMessage, reply: T) =>
    Promise.all(started.map((worker) => {
      const answer = nextMessage(worker, reply, 10_000);
      worker.send(message);
      return answer;
    }));

  return {
    url: `http://127.0.0.1:${port}/graphql`,
    workers,
    async reset() {
      await ask({ type: 'reset' }, 'reset-done');
    },
    async stats() {
      const replies = (await ask({ type: 'stats' }, 'stats')) as Extract<WorkerMessage, { type: 'stats' }>[];
      return {
        statements: replies.reduce((sum, reply) => sum + reply.statements, 0),
        peakRssPerWorker: replies.map((reply) => reply.peakRss),
        cpuMs: replies.reduce((sum, reply) => sum + reply.cpuMs, 0),
        poolMax: replies[0]?.poolMax ?? 0,
      };
    },
    async stop() {
      await Promise.all(
        started.map(
          (worker) =>
            new Promise<void>((resolve) => {
              if (worker.isDead()) return resolve();
              const force = setTimeout(() => worker.kill('SIGKILL'), 10_000);
              worker.once('exit', () => {
                clearTimeout(force);
                resolve();
              });
              worker.send({ type: 'stop' } satisfies PrimaryMessage);
            }),
        ),
      );
    },
  };
}

function nextMessage(worker: Worker, type: WorkerMessage['type'], timeoutMs: number): Promise<WorkerMessage> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`API worker ${worker.process.pid} sent no "${type}" within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (message: WorkerMessage) => {
      if (message?.type === type) finish(null, message);
    };
    const onExit = (code: number) => finish(new Error(`API worker ${worker.process.pid} exited (code ${code}) before "${type}"`));
    function finish(error: Error | null, message?: WorkerMessage) {
      clearTimeout(timer);
      worker.off('message', onMessage);
      worker.off('exit', onExit);
      if (error) reject(error);
      else resolve(message!);
    }
    worker.on('message', onMessage);
    worker.on('exit', onExit);
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
