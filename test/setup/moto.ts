import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { ensureVenvPackages, venvBin } from './python-venv.js';

/**
 * moto's server, a local stand-in for the AWS APIs, for the live collector's tests, and the AWS CLI
 * (v1, from PyPI) that scripts/snapshot-aws.sh runs against it. Both are installed once into the
 * project's virtualenv (`.venv/`, git-ignored) and moto is started on a free loopback port for the
 * tests that need it.
 */

export const MOTO_VERSION = '5.2.5';
/**
 * awscli 1.46 ships its own copy of botocore (awscli/botocore) instead of depending on the botocore
 * package, so it installs next to moto's boto3/botocore without changing them.
 */
export const AWSCLI_VERSION = '1.46.3';

export { venvBin };

/** moto[server] and the AWS CLI, both pinned, in one pip run (so one resolution covers both). */
async function ensurePythonTools(log: (message: string) => void): Promise<void> {
  await ensureVenvPackages(
    {
      requirements: [`moto[server]==${MOTO_VERSION}`, `awscli==${AWSCLI_VERSION}`],
      marker: `.moto-${MOTO_VERSION}-awscli-${AWSCLI_VERSION}`,
      commands: ['moto_server', 'aws'],
      purpose: 'moto',
    },
    log,
  );
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
