import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { EscalationAnswer } from '../../src/answers/answer-types.js';
import type { RbacWhoCanAnswer } from '../../src/answers/kubernetes-rbac.js';
import { neo4jEnv, runCli } from '../helpers/cli.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';
import { EXPECTED_EDGES, edgeKey, K8S_FIXTURE_ROOT } from '../unit/kubernetes-collector/expected.js';

// The built CLI on the Kubernetes fixture: `analyze kubernetes --snapshot` without Neo4j, then
// `sync kubernetes --snapshot` into the test Neo4j. No pipeline code names the provider.

const work = mkdtempSync(join(tmpdir(), 'reachgraph-k8s-cli-'));
const neo4j = testNeo4j();
const executor = testExecutor();
const offline = { PATH: process.env.PATH, HOME: work };
const online = neo4jEnv(neo4j, { HOME: work });
const cli = (args: string[], env: NodeJS.ProcessEnv = offline) => runCli(args, env, work, 120_000);
// The questions read every provider of a snapshot; the fixture root also holds AWS fixtures that are
// not one snapshot, so they are asked of a snapshot holding the cluster alone.
const k8sOnly = join(work, 'k8s-only');
cpSync(join(K8S_FIXTURE_ROOT, 'kubernetes'), join(k8sOnly, 'kubernetes'), { recursive: true });

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

  it('query who-can VERB RESOURCE answers the RBAC decision with its evidence, from the snapshot', async () => {
    const whoCan = async (...args: string[]) => {
      const result = await cli(['query', 'who-can', ...args, '--snapshot', k8sOnly, '--json']);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as RbacWhoCanAnswer[]).map(
        (a) =>
          `${a.subject.kind} ${a.subject.namespace ? `${a.subject.namespace}/` : ''}${a.subject.name}` +
          (a.grant ? ` ${a.grant.binding.kind} ${a.grant.role.name}#${a.grant.ruleIndex}` : ' masters'),
      );
    };
    // exec over a WebSocket is a GET: get on pods/exec is exec; the RoleBinding counts in payments only.
    expect(await whoCan('get', 'pods/exec', '-n', 'payments')).toEqual([
      'Group system:masters masters',
      'ServiceAccount ci/deployer RoleBinding pod-manager#1',
      'User ci-deploy masters',
    ]);
    expect(await whoCan('create', 'pods', '-n', 'ci')).toEqual([
      'Group system:masters masters',
      'User ci-deploy masters',
    ]);
    expect(await whoCan('list', 'secrets', '-n', 'payments')).toEqual([
      'Group system:masters masters',
      'User alice RoleBinding secret-reader#0',
      'User ci-deploy masters',
    ]);
    expect(await whoCan('list', 'secrets')).toEqual([
      'Group system:masters masters',
      'User ci-deploy masters',
    ]);
  });

  it("query can-i --as lists one requester's rights; escalations answer from the snapshot", async () => {
    const result = await cli([
      'query',
      'can-i',
      '--as',
      'system:serviceaccount:ci:deployer',
      '--snapshot',
      k8sOnly,
    ]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('payments   create,get       ""          pods/exec');
    expect(result.stdout).not.toContain(' ci ');
    const escalations = await cli(['query', 'escalations', '--snapshot', k8sOnly, '--json']);
    expect(escalations.code, escalations.stderr).toBe(0);
    expect(
      (JSON.parse(escalations.stdout) as EscalationAnswer[]).map((a) => [a.principal, a.targetKind]),
    ).toEqual([
      ['k8s:prod-eks:ci:sa:deployer', 'K8sNode'],
      ['k8s:prod-eks:monitoring:pod:node-agent-x7k2p', 'K8sNode'],
    ]);
  });

  it('refuses live flags next to --snapshot', async () => {
    const result = await cli(['analyze', 'kubernetes', '--snapshot', K8S_FIXTURE_ROOT, '--context', 'x']);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('--snapshot reads a directory: --context only apply to live collection');
  });
});
