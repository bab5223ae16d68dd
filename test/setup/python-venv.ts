import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rmdir, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/package-root.js';

/**
 * The project's Python virtualenv (`.venv/`, git-ignored) for the tests that need Python tools
 * (moto and the AWS CLI, the notebook runner). Each set of pinned packages is installed once and
 * recorded by a marker file, so later runs start at once.
 */

const run = promisify(execFile);

export function venvDir(): string {
  return join(packageRoot(), '.venv');
}

/** The virtualenv's `bin/`: put it first on PATH to run its tools. */
export function venvBin(): string {
  return join(venvDir(), 'bin');
}

/** The virtualenv's interpreter. */
export function venvPython(): string {
  return join(venvBin(), 'python');
}

export interface VenvPackages {
  /** pip requirement specifiers, pinned (`name==version`). */
  requirements: string[];
  /** Marker file name inside `.venv/`: name it after the pins, so new pins reinstall. */
  marker: string;
  /** Files (under `.venv/bin/`) that must exist too, e.g. the installed commands. */
  commands?: string[];
  /** What the packages are for, named in errors. */
  purpose: string;
}

// One pip at a time in the shared virtualenv: within a process through this queue, across the test
// workers through a lock directory (mkdir is atomic).
let queue: Promise<unknown> = Promise.resolve();
const pending = new Map<string, Promise<void>>();

/**
 * Creates `.venv` when missing and installs the requirements in one pip run (one resolution covers
 * them all), unless the marker says exactly these versions are already there.
 */
export async function ensureVenvPackages(
  packages: VenvPackages,
  log: (message: string) => void = () => {},
): Promise<void> {
  const marker = join(venvDir(), packages.marker);
  const commands = (packages.commands ?? []).map((command) => join(venvBin(), command));
  if (existsSync(marker) && commands.every((command) => existsSync(command))) return;
  let installing = pending.get(marker);
  if (!installing) {
    installing = queue
      .catch(() => {})
      .then(() => withVenvLock(() => installUnlessMarked(packages, marker, commands, log)))
      .finally(() => pending.delete(marker));
    queue = installing;
    pending.set(marker, installing);
  }
  await installing;
}

const LOCK_POLL_MS = 500;
/** A lock older than pip's own timeout is left by a killed process. */
const STALE_LOCK_MS = 15 * 60_000;

async function withVenvLock<T>(work: () => Promise<T>): Promise<T> {
  const hash = createHash('sha256').update(venvDir()).digest('hex').slice(0, 16);
  const lock = join(tmpdir(), `reachgraph-venv-${hash}.lock`);
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const held = await stat(lock).catch(() => undefined);
      if (held && Date.now() - held.mtimeMs > STALE_LOCK_MS) await rmdir(lock).catch(() => {});
      await new Promise((resolve) => setTimeout(resolve, LOCK_POLL_MS));
    }
  }
  try {
    return await work();
  } finally {
    await rmdir(lock).catch(() => {});
  }
}

/** Another worker may have installed the same packages while this one waited for the lock. */
async function installUnlessMarked(
  packages: VenvPackages,
  marker: string,
  commands: string[],
  log: (message: string) => void,
): Promise<void> {
  if (existsSync(marker) && commands.every((command) => existsSync(command))) return;
  await install(packages, marker, log);
}

async function install(
  packages: VenvPackages,
  marker: string,
  log: (message: string) => void,
): Promise<void> {
  const venv = venvDir();
  if (!existsSync(join(venv, 'bin', 'pip'))) {
    log(`creating the Python virtualenv ${venv}`);
    try {
      await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
    } catch (error) {
      const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message);
      const hint = /ensurepip|venv/.test(detail)
        ? ' (on Debian/Ubuntu: apt-get install python3-venv)'
        : ' (python3 with the venv module is needed)';
      throw new Error(
        `cannot create the virtualenv ${venv} for ${packages.purpose}${hint}: ${detail.trim()}`,
      );
    }
  }
  const requirements = packages.requirements.join(' ');
  log(`installing ${requirements} from PyPI into ${venv}`);
  try {
    await run(
      join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', ...packages.requirements],
      { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    throw new Error(`cannot install ${requirements} into ${venv}: ${detail.trim()}`);
  }
  await writeFile(marker, `${new Date().toISOString()}\n`);
}
