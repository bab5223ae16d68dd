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

/** `reachgraph query reach --from F --to T --json` from the graph. */
async function reach(from: string, to: string, ...flags: string[]): Promise<AccessPathAnswer[]> {
  const result = await cli(['query', 'reach', '--from', from, '--to', to, ...flags, '--json']);
  expect(result.code, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as AccessPathAnswer[];
}

afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('reachgraph sync aws kubernetes gcp --snapshot examples/sample-env', () => {
  it('loads the three providers in one run, every scope complete, and answers across them', async () => {
    await wipe(executor);
    const sync = await cli(['sync', 'aws', 'kubernetes', 'gcp', '--snapshot', ROOT, '--json']);
    expect(sync.code, sync.stderr).toBe(0);
    const out = JSON.parse(sync.stdout) as {
      status: string;
      summary: Record<string, unknown>;
      protectedScopes: string[];
      issues: { severity: string }[];
    };
    expect(out.status).toBe('succeeded');
    expect(Object.keys(out.summary).sort()).toEqual(['aws', 'gcp', 'kubernetes']);
    // Every scope complete: no error, nothing kept for an incomplete one.
    expect(out.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(out.protectedScopes).toEqual([]);
    const scopes = await executor.read<{ id: string }>('MATCH (s:Scope) RETURN s.id AS id ORDER BY id');
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

    const [github] = await reach('type=GcpPrincipalSet', 'type=GcpStorageBucket,environment=production');
    expect(github?.resource).toBe('gcp:storage:projects/_/buckets/acme-prod-exports');
    expect(github?.path.map((h) => h.type)).toEqual(['FEDERATES_TO', 'CAN_IMPERSONATE', 'CAN_ACCESS']);
    expect(github?.path.every((h) => h.evidence.length > 0)).toBe(true);

    // Across two providers: a pod of the cluster reaches production data in AWS through IRSA.
    const [pod] = await reach(
      'type=K8sPod,namespace=payments',
      'provider=aws,environment=production,type=AwsS3Bucket',
      '--certain',
    );
    expect(pod?.path.map((h) => [h.type, h.to])).toEqual([
      ['RUNS_AS', 'k8s:prod-payments:payments:sa:api'],
      ['FEDERATES_TO', 'arn:aws:iam::222222222222:role/payments-irsa'],
      ['CAN_ACCESS', 'arn:aws:s3:::acme-prod-customer-data'],
    ]);
  }, 900_000);
});
