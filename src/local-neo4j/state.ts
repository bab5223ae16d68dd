import { readFileSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { keepArchive, type WrittenArchive } from './launcher.js';
import { isProcessAlive } from './process-alive.js';

export { isProcessAlive };

/** What `reachgraph db start` leaves behind so `db status` / `db stop` and later runs can find the server. */
export interface ServerState {
  pid: number;
  uri: string;
  port: number;
  dataDir: string;
  logFile: string;
  version: string;
  /** ISO 8601. */
  startedAt: string;
  /** The class-data archive the JVM writes when it exits, kept if it exits cleanly (launcher.ts). */
  writesArchive?: WrittenArchive;
}

export function serverStatePath(dataDir: string): string {
  return join(dataDir, 'server.json');
}

export async function writeServerState(state: ServerState): Promise<void> {
  const file = serverStatePath(state.dataDir);
  await mkdir(state.dataDir, { recursive: true });
  // Write then rename, so a concurrent reader never sees half a file.
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, `${JSON.stringify(state, null, 2)}\n`);
  await rename(temp, file);
}

/**
 * The state of the server running on `dataDir`, or undefined if there is none. A state file whose
 * process is gone (crash, reboot, kill -9) is stale: it is removed and undefined is returned.
 */
export async function readServerState(dataDir: string): Promise<ServerState | undefined> {
  const file = serverStatePath(dataDir);
  let state: ServerState;
  try {
    state = JSON.parse(await readFile(file, 'utf8')) as ServerState;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    // Unreadable or corrupt: nothing can be done with it, and it would block the next start.
    await rm(file, { force: true });
    return undefined;
  }
  if (typeof state.pid === 'number' && isLauncherAlive(state.pid)) return state;
  await rm(file, { force: true });
  return undefined;
}

export async function removeServerState(dataDir: string): Promise<void> {
  await rm(serverStatePath(dataDir), { force: true });
}

/**
 * Stops the server: SIGTERM (the launcher's shutdown hook closes the store cleanly), wait for the
 * process to disappear, SIGKILL if it has not within `timeoutMs`. Removes the state file afterwards.
 */
export async function stopServer(state: ServerState, timeoutMs = 15_000): Promise<void> {
  if (isProcessAlive(state.pid)) {
    signal(state.pid, 'SIGTERM');
    if (!(await waitForExit(state.pid, timeoutMs))) {
      signal(state.pid, 'SIGKILL');
      if (!(await waitForExit(state.pid, 5_000))) {
        throw new Error(`Neo4j (pid ${state.pid}) did not exit after SIGKILL; see ${state.logFile}`);
      }
    } else if (state.writesArchive) await keepArchive(state.writesArchive);
  }
  // Only remove the file if it still describes this server (a new one may have started since).
  const current = await readFile(serverStatePath(state.dataDir), 'utf8').catch(() => undefined);
  if (current !== undefined) {
    try {
      if ((JSON.parse(current) as ServerState).pid !== state.pid) return;
    } catch {
      // corrupt: remove it
    }
    await removeServerState(state.dataDir);
  }
}

/** Waits up to `timeoutMs` for `pid` to be gone; true if it is. */
export async function waitForExit(pid: number, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (isProcessAlive(pid)) {
    if (Date.now() >= deadline) return false;
    await sleep(50);
  }
  return true;
}

// Pids get reused: after a reboot the pid in a stale server.json may belong to anything. Where
// /proc exists, also check that the process is our launcher before trusting (or signalling) it.
function isLauncherAlive(pid: number): boolean {
  if (!isProcessAlive(pid)) return false;
  if (process.platform !== 'linux') return true;
  try {
    // Its main class from the launcher's jar, or its source file (launcher.ts).
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8')
      .split('\u0000')
      .some((arg) => arg === 'Launcher' || arg.endsWith('Launcher.java'));
  } catch {
    return true; // cannot tell (e.g. hidepid): trust kill(pid, 0)
  }
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
