import { execFile, spawn } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { copyCheckout } from '../helpers/checkout.js';
import { BIN, runCli } from '../helpers/cli.js';
import { testExecutor, wipe } from '../helpers/graph.js';

// The demo against the test server (NEO4J_URI), so no second Neo4j is started. It runs where users
// run it, in a checkout (a copy of this one), and writes its report there.
const neo4j = inject('neo4j');
const executor = testExecutor();
const work = copyCheckout();

const env: NodeJS.ProcessEnv = {
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  NEO4J_URI: neo4j.uri,
  NEO4J_USER: neo4j.user,
  NEO4J_PASSWORD: neo4j.password,
  NEO4J_DATABASE: neo4j.database,
};

beforeEach(() => wipe(executor));
afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reachgraph demo', () => {
  it('syncs the sample estate and answers which non-human identities reach production data', async () => {
    const result = await runCli(['demo', '--no-serve'], env, work, 240_000);
    expect(result.stderr).toContain('Using Neo4j at');
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/Synced examples\/sample-env: \d+ accounts.*reachability rows/);
    const out = result.stdout;
    expect(out).toContain('Which non-human identities can reach production data, and how?');
    // The multi-hop chain: CI role → prod deployer → Lambda PassRole escalation → admin → data.
    expect(out).toMatch(
      /111111111111 role\/ci\/gha-deploy\n {2}table\/payments \[[a-z,]*write[a-z,]*\] via \[CAN_ASSUME: assume-prod-deployer AssumeProdDeployer\] → role\/prod-deployer → \[CAN_ESCALATE: lambda-001\] → role\/prod-ops-automation → \[CAN_ACCESS: AdministratorAccess #0\]/,
    );
    // Direct cross-account read, both sides allowing.
    expect(out).toContain(
      '  acme-prod-customer-data [list,read] via [CAN_ACCESS: infra-plan ReadCustomerData]',
    );
    // A workload reaching data through the role it runs as.
    expect(out).toMatch(/instance\/i-0b5e7c1d2a3f40001\n {2}\S+ \[[a-z,]+\] via \[RUNS_AS: /);
    // Compact: capped, with the count of what was left out, then the report's path.
    const lines = out.trimEnd().split('\n');
    expect(lines.length).toBeLessThanOrEqual(46);
    const total = Number(out.match(/(\d+) path\(s\) from \d+ non-human identities\./)?.[1]);
    expect(total).toBeGreaterThan(40);
    expect(out).toMatch(/… and \d+ more/);
    // Human users never appear as a source.
    expect(out).not.toMatch(/^\d{12} user\/people\/alice$/m);
    // It ends with the HTML risk report of the sample estate, in ./reports by default.
    const report = join(work, 'reports', 'reachgraph-report.html');
    expect(out).toContain(`The risk report of the sample estate (one HTML file, works offline): ${report}`);
    expect(existsSync(report)).toBe(true);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<svg');
    expect(html).toContain('gha-deploy');
    expect(result.stderr).toMatch(/Report report-\S+: \d+ finding\(s\)/);
  }, 240_000);

  it('serves the API in demo mode; the printed query answers without a token; Ctrl-C exits 0', async () => {
    const child = spawn(process.execPath, [BIN, 'demo', '--port', '0'], { env, cwd: work });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = await new Promise<{ url: string; query: string }>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`demo did not serve: ${stderr}`)), 200_000);
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const url = stdout.match(/listening on (http:\/\/127\.0\.0\.1:\d+\/graphql)/)?.[1];
        const query = stdout.match(/^\{ paths\(.*\}$/m)?.[0];
        if (url && query) {
          clearTimeout(timer);
          resolve({ url, query });
        }
      });
      exited.then((code) => reject(new Error(`demo exited with ${code}: ${stderr}`)));
    });
    try {
      const response = await fetch(ready.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ query: ready.query }),
      });
      expect(response.status).toBe(200);
      const body = await response.json();
      expect(body.errors).toBeUndefined();
      const paths = body.data.paths.edges;
      expect(paths.length).toBeGreaterThan(0);
      for (const { node } of paths) {
        expect(node.hops.length).toBe(node.length);
        expect(node.hops.at(-1).edge.type).toBe('CAN_ACCESS');
        expect(node.hops.every((h: { edge: { reason: string } }) => h.edge.reason.length > 0)).toBe(true);
      }
    } finally {
      child.kill('SIGINT');
    }
    // Ctrl-C is how the demo is meant to end: a clean stop, exit code 0.
    expect(await exited).toBe(0);
    expect(stderr).toContain('Stopping…');
  }, 240_000);

  it('leaves the checkout passing the lint `npm test` runs first (biome skips what the demo wrote)', async () => {
    expect(existsSync(join(work, 'reports', 'reachgraph-report.html'))).toBe(true);
    const lint = await new Promise<{ code: number; output: string }>((resolve) => {
      execFile(
        'npx',
        ['biome', 'check', '--error-on-warnings', '.'],
        { cwd: work, env, timeout: 120_000 },
        (error, stdout, stderr) =>
          resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: stdout + stderr }),
      );
    });
    expect(lint.output).not.toContain('reports/');
    expect(lint.code, lint.output).toBe(0);
  }, 180_000);
});
