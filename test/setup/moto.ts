import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/package-root.js';

/**
 * moto's server, a local stand-in for the AWS APIs, for the live collector's tests, and the AWS CLI
 * (v1, from PyPI) that scripts/snapshot-aws.sh runs against it. Both are installed once into the
 * project's virtualenv (`.venv/`, git-ignored) and moto is started on a free loopback port for the
 * tests that need it.
 */

const run = promisify(execFile);
export const MOTO_VERSION = '5.2.5';
/**
 * awscli 1.46 ships its own copy of botocore (awscli/botocore) instead of depending on the botocore
 * package, so it installs next to moto's boto3/botocore without changing them.
 */
export const AWSCLI_VERSION = '1.46.3';
const REQUIREMENTS = [`moto[server]==${MOTO_VERSION}`, `awscli==${AWSCLI_VERSION}`];

function venvDir(): string {
  return join(packageRoot(), '.venv');
}

/** The virtualenv's `bin/`: put it first on PATH to run its `aws`. */
export function venvBin(): string {
  return join(venvDir(), 'bin');
}

let installing: Promise<void> | undefined;

/**
 * Creates `.venv` and installs moto[server] and the AWS CLI, both pinned, in one pip run (so one
 * resolution covers both), unless a marker says exactly these versions are already there.
 */
async function ensurePythonTools(log: (message: string) => void): Promise<void> {
  const venv = venvDir();
  const marker = join(venv, `.moto-${MOTO_VERSION}-awscli-${AWSCLI_VERSION}`);
  const tools = ['moto_server', 'aws'].map((tool) => join(venvBin(), tool));
  if (existsSync(marker) && tools.every((tool) => existsSync(tool))) return;
  installing ??= install(venv, marker, log).finally(() => {
    installing = undefined;
  });
  await installing;
}

async function install(venv: string, marker: string, log: (message: string) => void): Promise<void> {
  if (!existsSync(join(venv, 'bin', 'pip'))) {
    log(`creating the Python virtualenv ${venv}`);
    try {
      await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
    } catch (error) {
      const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message);
      const hint = /ensurepip|venv/.test(detail)
        ? ' (on Debian/Ubuntu: apt-get install python3-venv)'
        : ' (python3 with the venv module is needed)';
      throw new Error(`cannot create the virtualenv ${venv} for moto${hint}: ${detail.trim()}`);
    }
  }
  log(`installing ${REQUIREMENTS.join(' ')} from PyPI into ${venv}`);
  try {
    await run(
      join(venv, 'bin', 'pip'),
      ['install', '--quiet', '--disable-pip-version-check', ...REQUIREMENTS],
      { timeout: 600_000, maxBuffer: 16 * 1024 * 1024 },
    );
  } catch (error) {
    const detail = String((error as { stderr?: string }).stderr ?? (error as Error).message);
    throw new Error(`cannot install ${REQUIREMENTS.join(' ')} into ${venv}: ${detail.trim()}`);
  }
  await writeFile(marker, `${new Date().toISOString()}\n`);
}

/** Installs moto's server when missing; returns the path of `moto_server`. */
export async function ensureMoto(log: (message: string) => void = () => {}): Promise<string> {
  await ensurePythonTools(log);
  return join(venvBin(), 'moto_server');
}

/** Installs the AWS CLI v1 when missing; returns the path of `aws` (in `venvBin()`). */
export async function ensureAwsCli(log: (message: string) => void = () => {}): Promise<string> {
  await ensurePythonTools(log);
  return join(venvBin(), 'aws');
}

async function freePort(): Promise<number> {
  return await new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface MotoServer {
  /** `http://127.0.0.1:<port>`: give it to every SDK client as `endpoint`. */
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts moto's server on a free loopback port and waits until it answers. */
export async function startMoto(log: (message: string) => void = () => {}): Promise<MotoServer> {
  const server = await ensureMoto(log);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(server, ['-H', '127.0.0.1', '-p', String(port)], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-4000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`moto_server exited with ${child.exitCode}: ${stderr.trim()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return { endpoint, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await stop();
  throw new Error(`moto_server did not answer on ${endpoint} within 60 s: ${stderr.trim()}`);
}
