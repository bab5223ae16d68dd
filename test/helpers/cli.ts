import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI, as users run it (npm test builds dist/ first). */
export const BIN = fileURLToPath(new URL('../../bin/reachgraph.js', import.meta.url));

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `reachgraph ARGS` in a child process with exactly this environment. */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
  timeoutMs = 180_000,
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env, cwd, timeout: timeoutMs }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** The environment of a CLI child process talking to the test Neo4j, plus `extra`. */
export function neo4jEnv(
  neo4j: { uri: string; user: string; password: string; database: string },
  extra: Record<string, string> = {},
): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    NEO4J_URI: neo4j.uri,
    NEO4J_USER: neo4j.user,
    NEO4J_PASSWORD: neo4j.password,
    NEO4J_DATABASE: neo4j.database,
    ...extra,
  };
}

/** `reachgraph serve ARGS` in a child process; resolves with its URL once it prints the listening line. */
export function startServe(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, 'serve', ...args], { env, cwd });
  return new Promise((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${stderr}`)), 60_000);
    child.stdout?.on('data', (chunk) => {
      stdout += chunk;
      const url = stdout.match(/listening on (http:\/\/\S+)/)?.[1];
      if (url) {
        clearTimeout(timer);
        resolve({ child, url });
      }
    });
    child.stderr?.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('exit', (code) => reject(new Error(`serve exited with ${code}: ${stderr}`)));
  });
}

/** SIGTERM a child process and resolve with its exit code. */
export function stopChild(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}
