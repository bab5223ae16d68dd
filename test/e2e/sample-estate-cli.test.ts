import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AccessPathAnswer } from '../../src/answers/answer-types.js';
import { SAMPLE_ENV } from '../../src/cli/demo.js';
import { neo4jEnv, runCli } from '../helpers/cli.js';
import { testExecutor, testNeo4j, wipe } from '../helpers/graph.js';

// The built CLI syncs the demo's sample estate with the three providers named in one run
// (`sync aws kubernetes gcp --snapshot`), then answers one route inside GCP and one across
// Kubernetes and AWS from the graph.

const work = mkdtempSync(join(tmpdir(), 'reachgraph-sample-cli-'));
const ROOT = join(import.meta.dirname, '..', '..', SAMPLE_ENV);
const neo4j = testNeo4j();
const executor = testExecutor();
const env = neo4jEnv(neo4j, { HOME: work });
const cli = (args: string[]) => runCli(args, env, work, 400_000);

afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reachgraph sync aws kubernetes gcp --snapshot examples/sample-env', () => {
  it('loads the three providers in one run, every scope complete, and answers across them', async () => {
    await wipe(executor);
    const sync = await cli(['sync', 'aws', 'kubernetes', 'gcp', '--snapshot', ROOT, '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    const out = JSON.parse(sync.stdout) as { status: string; summary: Record<string, unknown> };
    expect(out.status).toBe('succeeded');
    expect(Object.keys(out.summary).sort()).toEqual(['aws', 'gcp', 'kubernetes']);
    const scopes = await executor.read<{ id: string; complete: boolean }>(
      'MATCH (s:Scope) RETURN s.id AS id, s.complete AS complete ORDER BY id',
    );
    expect(scopes.map((s) => s.id)).toEqual(
      expect.arrayContaining([
        'aws:111111111111',
        'aws:222222222222',
        'k8s:prod-payments',
        'gcp:organizations/300000000001',
        'gcp:folders/300000000010',
        'gcp:acme-prod-data',
        'gcp:acme-platform',
      ]),
    );
    expect(scopes.filter((s) => !s.complete && /^(k8s|gcp):/.test(s.id))).toEqual([]);

    const gcp = await cli([
      'query',
      'reach',
      '--from',
      'type=GcpPrincipalSet',
      '--to',
      'type=GcpStorageBucket,environment=production',
      '--json',
    ]);
    expect(gcp.code, gcp.stderr).toBe(0);
    const [github] = JSON.parse(gcp.stdout) as AccessPathAnswer[];
    expect(github?.resource).toBe('gcp:storage:projects/_/buckets/acme-prod-exports');
    expect(github?.path.map((h) => h.type)).toEqual(['FEDERATES_TO', 'CAN_IMPERSONATE', 'CAN_ACCESS']);
    expect(github?.path.every((h) => h.evidence.length > 0)).toBe(true);

    // Across two providers: a pod of the cluster reaches production data in AWS through IRSA.
    const irsa = await cli([
      'query',
      'reach',
      '--from',
      'type=K8sPod,namespace=payments',
      '--to',
      'provider=aws,environment=production,type=AwsS3Bucket',
      '--certain',
      '--json',
    ]);
    expect(irsa.code, irsa.stderr).toBe(0);
    const [pod] = JSON.parse(irsa.stdout) as AccessPathAnswer[];
    expect(pod?.path.map((h) => [h.type, h.to])).toEqual([
      ['RUNS_AS', 'k8s:prod-payments:payments:sa:api'],
      ['FEDERATES_TO', 'arn:aws:iam::222222222222:role/payments-irsa'],
      ['CAN_ACCESS', 'arn:aws:s3:::acme-prod-customer-data'],
    ]);
  }, 900_000);
});
