import { type ChildProcess, execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { neo4jEnv, runCli, startServe, stopChild } from '../helpers/cli.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';
import { ensureVenvPackages, venvPython } from '../setup/python-venv.js';

/**
 * examples/notebooks/reachgraph.ipynb, executed unchanged with nbclient against `reachgraph serve`
 * over the hand-checked multi-account fixture: every cell must run, and the identities the fixture
 * says reach production data must be in what the notebook printed.
 */

// Pinned to versions that install as wheels on Python 3.11 (pandas 3 needs 3.11 or later).
const NOTEBOOK_REQUIREMENTS = [
  'nbclient==0.11.0',
  'nbformat==5.11.1',
  'ipykernel==7.4.0',
  'pandas==3.1.1',
  'networkx==3.6.1',
  'matplotlib==3.11.2',
  'requests==2.34.2',
];

const NOTEBOOKS = fileURLToPath(new URL('../../examples/notebooks/', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/aws/multi-account', import.meta.url));
const PROD_ACCOUNT = '222222222222';

const expected = JSON.parse(readFileSync(join(FIXTURE, 'expected.json'), 'utf8')) as {
  edges: { type: string; from: string; to: string; conditional?: boolean }[];
  canAccess: { from: string; to: string }[];
};
const prodBuckets = new Set(
  (
    JSON.parse(readFileSync(join(FIXTURE, 'aws', PROD_ACCOUNT, 's3api-list-buckets.json'), 'utf8')) as {
      Buckets: { Name: string }[];
    }
  ).Buckets.map((bucket) => `arn:aws:s3:::${bucket.Name}`),
);

/** A resource of the production account: its ARN names the account, or (S3) it is listed there. */
function isProduction(arn: string): boolean {
  return prodBuckets.has(arn) || arn.split(':')[4] === PROD_ACCOUNT;
}

/** Workload identities, roles and the fixture's CI users (`user/ci/`): never people, never `*`. */
const NON_HUMAN = /^oidc:(?!.*:\*$)|:role\/|:user\/ci\/|:function:|:instance\//;
const HOP_TYPES = new Set(['FEDERATES_TO', 'CAN_ASSUME', 'RUNS_AS', 'CAN_ESCALATE']);
const MAX_HOPS = 4; // the notebook's default

/**
 * The non-human identities the fixture's hand-checked answers say reach production data: those
 * with direct access to a production resource, then, up to MAX_HOPS hops back, those with an
 * unconditional hop edge to one of them.
 */
function expectedIdentities(): string[] {
  let frontier = new Set(
    expected.canAccess.filter((a) => isProduction(a.to) && NON_HUMAN.test(a.from)).map((a) => a.from),
  );
  const reached = new Set(frontier);
  for (let hop = 0; hop < MAX_HOPS && frontier.size > 0; hop++) {
    const next = new Set<string>();
    for (const edge of expected.edges) {
      if (!HOP_TYPES.has(edge.type) || edge.conditional === true) continue;
      if (frontier.has(edge.to) && NON_HUMAN.test(edge.from) && !reached.has(edge.from)) next.add(edge.from);
    }
    for (const identity of next) reached.add(identity);
    frontier = next;
  }
  return [...reached].sort();
}
const identities = expectedIdentities();

const neo4j = testNeo4j();
const executor = testExecutor();
const work = mkdtempSync(join(tmpdir(), 'reachgraph-notebook-'));

const env = (extra: Record<string, string> = {}) => neo4jEnv(neo4j, extra);
const serve = (extraEnv: Record<string, string>) => startServe(['--port', '0'], env(extraEnv), work);
const stop = stopChild;

/** Runs examples/notebooks/run_notebook.py with the virtualenv's Python; never rejects. */
function runNotebook(
  extraEnv: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      venvPython(),
      [join(NOTEBOOKS, 'run_notebook.py'), join(NOTEBOOKS, 'reachgraph.ipynb'), work],
      {
        env: { PATH: process.env.PATH, HOME: work, JUPYTER_PLATFORM_DIRS: '1', ...extraEnv },
        cwd: work,
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

let server: { child: ChildProcess; url: string } | undefined;
let token = '';

beforeAll(async () => {
  const installStarted = Date.now();
  await ensureVenvPackages(
    {
      requirements: NOTEBOOK_REQUIREMENTS,
      marker: `.notebook-${NOTEBOOK_REQUIREMENTS.map((r) => r.replace('==', '-')).join('_')}`,
      purpose: 'the notebook test',
    },
    (message) => console.log(message),
  );
  if (Date.now() - installStarted > 1000)
    console.log(`notebook packages installed in ${Math.round((Date.now() - installStarted) / 1000)} s`);

  await wipe(executor);
  const sync = await runCli(['sync', 'aws', '--snapshot', FIXTURE, '--json'], env(), work);
  expect(sync.code, sync.stderr).toBe(0);
  const created = await runCli(['token', 'create', '--name', 'notebook', '--json'], env(), work);
  expect(created.code, created.stderr).toBe(0);
  const parsed = JSON.parse(created.stdout) as { token: string; name: string; sha256: string };
  token = parsed.token;
  server = await serve({ REACHGRAPH_API_TOKENS: `${parsed.name}:${parsed.sha256}` });
}, 900_000);

afterAll(async () => {
  if (server) await stop(server.child);
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('examples/notebooks/reachgraph.ipynb', () => {
  it('the fixture names bots to look for, direct and through hops', () => {
    expect(identities).toContain('arn:aws:iam::222222222222:role/service-role/payments-api-exec');
    expect(identities).toContain('oidc:token.actions.githubusercontent.com:repo:acme/infra:environment:prod');
    expect(identities).toContain('arn:aws:lambda:eu-west-1:222222222222:function:payments-api');
    expect(identities).not.toContain('arn:aws:iam::111111111111:user/people/alice');
  });

  it('runs unchanged against the API and lists the bots that reach production data', async () => {
    const result = await runNotebook({ REACHGRAPH_URL: server?.url ?? '', REACHGRAPH_TOKEN: token });
    expect(result.code, `${result.stderr}\n${result.stdout}`).toBe(0);
    const listed = result.stdout.split('Non-human identities that reach production data:')[1] ?? '';
    for (const identity of identities) expect(listed, identity).toContain(identity);
    expect(result.stdout).toMatch(/\d+ paths from non-human identities to production resources/);
    expect(result.stdout).toMatch(/\d+ nodes, \d+ edges: reachgraph-paths\.png/);
    // The notebook is committed without outputs and is never rewritten by running it.
    const notebook = JSON.parse(readFileSync(join(NOTEBOOKS, 'reachgraph.ipynb'), 'utf8')) as {
      cells: { outputs?: unknown[] }[];
    };
    expect(notebook.cells.every((cell) => (cell.outputs ?? []).length === 0)).toBe(true);
  });

  it('fails loudly when the token is wrong', async () => {
    const result = await runNotebook({ REACHGRAPH_URL: server?.url ?? '', REACHGRAPH_TOKEN: 'rg_wrong' });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/401/);
  });
});
