import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { neo4jEnv, runCli } from '../helpers/cli.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { EXPECTED_EDGES, edgeKey, K8S_FIXTURE_ROOT } from '../unit/kubernetes-collector/expected.js';

// The built CLI on the Kubernetes fixture: `analyze kubernetes --snapshot` without Neo4j, then
// `sync kubernetes --snapshot` into the test Neo4j. No pipeline code names the provider.

const work = mkdtempSync(join(tmpdir(), 'reachgraph-k8s-cli-'));
const neo4j = inject('neo4j');
const executor = testExecutor();
const offline = { PATH: process.env.PATH, HOME: work };
const online = neo4jEnv(neo4j, { HOME: work });
const cli = (args: string[], env: NodeJS.ProcessEnv = offline) => runCli(args, env, work, 120_000);

afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reachgraph on a Kubernetes snapshot', () => {
  it('analyze kubernetes --snapshot --json answers without Neo4j', async () => {
    const result = await cli(['analyze', 'kubernetes', '--snapshot', K8S_FIXTURE_ROOT, '--json']);
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as {
      clusters: { id: string; complete: boolean }[];
      edges: { type: string; from: string; to: string; properties: Record<string, unknown> }[];
    };
    expect(out.clusters).toEqual([{ id: 'k8s:prod-eks', complete: true }]);
    expect(out.edges.map(edgeKey).sort()).toEqual([...EXPECTED_EDGES].sort());
  });

  it('sync kubernetes --snapshot loads the cluster as one complete scope', async () => {
    await wipe(executor);
    const result = await cli(
      ['sync', 'kubernetes', '--snapshot', K8S_FIXTURE_ROOT, '--json', '--no-summary'],
      online,
    );
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { status: string; cleanedScopes: string[] };
    expect(out.status).toBe('succeeded');
    const [row] = await executor.read<{ n: number }>(
      `MATCH (:K8sCluster {id: 'k8s:prod-eks'})-[:CONTAINS]->(ns:K8sNamespace) RETURN count(ns) AS n`,
    );
    expect(Number(row?.n)).toBe(4);
  });

  it('refuses live flags next to --snapshot', async () => {
    const result = await cli(['analyze', 'kubernetes', '--snapshot', K8S_FIXTURE_ROOT, '--context', 'x']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--snapshot reads a directory: --context only apply to live collection');
  });
});
