import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLOUDTRAIL_EVENT } from '../../../src/activity/aws/cloudtrail-event.js';
import { ingestCloudTrail } from '../../../src/activity/aws/ingest.js';
import { gcpAuditRow } from '../../../src/activity/gcp/audit-log.js';
import { ingestGcpAudit } from '../../../src/activity/gcp/ingest.js';
import { generateActivity, type Manifest } from '../../../src/activity/generate/index.js';
import { incidentEvents } from '../../../src/activity/generate/ingest-set.js';
import { shapeProblem } from '../../../src/activity/json-shape.js';
import { k8sAuditRow } from '../../../src/activity/kubernetes/audit-event.js';
import { ingestKubernetesAudit } from '../../../src/activity/kubernetes/ingest.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { SAMPLE_ENV } from '../../../src/cli/demo.js';
import { packageRoot } from '../../../src/package-root.js';

// The generated logs of the sample estate: every record is one the project's readers take (no
// malformed line, no unresolved actor), the same seed and end give the same bytes, and each injected
// incident is in the logs where its manifest says (and not in the set generated without incidents).

const END = new Date('2026-11-15T00:00:00Z');
const DAYS = 8;
const snapshot = join(packageRoot(), SAMPLE_ENV);
let dir: string;
let withIncidents: Manifest;
let clean: Manifest;
let store: ActivityStore;

const setOf = (name: string) => join(dir, name);
const files = (root: string): string[] =>
  readdirSync(root, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(root, join(e.parentPath, e.name)))
    .sort();
const textOf = (path: string) => {
  const bytes = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'activity-generate-'));
  withIncidents = await generateActivity({ out: setOf('a'), snapshot, days: DAYS, seed: 7, end: END });
  clean = await generateActivity({
    out: setOf('clean'),
    snapshot,
    days: DAYS,
    seed: 7,
    end: END,
    incidents: false,
  });
  store = await ActivityStore.open(join(dir, 'activity.duckdb'));
}, 120_000);
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('activity generate', () => {
  it('writes each source in its delivery layout, with the manifest', () => {
    const written = files(setOf('a'));
    expect(written).toContain('manifest.json');
    expect(
      written
        .filter((f) => f.startsWith('aws-cloudtrail/'))
        .every((f) =>
          /^aws-cloudtrail\/AWSLogs\/o-acme12345\/\d{12}\/CloudTrail\/[a-z0-9-]+\/\d{4}\/\d{2}\/\d{2}\/\d{12}_CloudTrail_[a-z0-9-]+_\d{8}T\d{4}Z_[A-Za-z0-9]{16}\.json\.gz$/.test(
            f,
          ),
        ),
    ).toBe(true);
    expect(
      written
        .filter((f) => f.startsWith('gcp-audit/'))
        .every((f) =>
          /^gcp-audit\/cloudaudit\.googleapis\.com\/(activity|data_access)\/\d{4}\/\d{2}\/\d{2}\/\d{2}:00:00_\d{2}:59:59_S0\.json$/.test(
            f,
          ),
        ),
    ).toBe(true);
    expect(
      written
        .filter((f) => f.startsWith('kubernetes-audit/'))
        .every((f) =>
          /^kubernetes-audit\/prod-payments\/audit-\d{4}-\d{2}-\d{2}T00-00-00\.000\.log\.gz$/.test(f),
        ),
    ).toBe(true);
    expect(withIncidents.start).toBe('2026-11-07T00:00:00.000Z');
    expect(withIncidents.end).toBe(END.toISOString());
    expect(withIncidents.nonHumanIdentities).toBeGreaterThan(40);
  });

  it('writes records of the documented shapes that the readers take whole', () => {
    const root = setOf('a');
    let records = 0;
    for (const file of files(join(root, 'aws-cloudtrail'))) {
      const document = JSON.parse(textOf(join(root, 'aws-cloudtrail', file))) as {
        Records: Record<string, unknown>[];
      };
      for (const record of document.Records) {
        expect(shapeProblem(record, CLOUDTRAIL_EVENT)).toBeUndefined();
        expect(record).toMatchObject({
          eventVersion: '1.09',
          eventType: 'AwsApiCall',
          eventID: expect.any(String),
        });
        records += 1;
      }
    }
    expect(records).toBe(withIncidents.sources['aws-cloudtrail'].events);
    const k8s = k8sAuditRow('prod-payments');
    for (const [source, read] of [
      ['gcp-audit', gcpAuditRow],
      ['kubernetes-audit', k8s],
    ] as const) {
      let lines = 0;
      for (const file of files(join(root, source)))
        for (const line of textOf(join(root, source, file))
          .split('\n')
          .filter(Boolean)) {
          const row = read(JSON.parse(line));
          expect(row).toBeDefined();
          expect(row).not.toHaveProperty('malformed');
          expect(row).toMatchObject({ unresolvedReason: null });
          lines += 1;
        }
      expect(lines).toBe(withIncidents.sources[source].events);
    }
  }, 30_000);

  it('is ingested without a malformed line or an unresolved actor', async () => {
    const root = setOf('a');
    const now = END;
    const aws = await ingestCloudTrail(store, [join(root, 'aws-cloudtrail')], { now });
    const gcp = await ingestGcpAudit(store, [join(root, 'gcp-audit')], { now });
    const k8s = await ingestKubernetesAudit(
      store,
      [join(root, 'kubernetes-audit', 'prod-payments')],
      'prod-payments',
      { now },
    );
    for (const [result, source] of [
      [aws, 'aws-cloudtrail'],
      [gcp, 'gcp-audit'],
      [k8s, 'kubernetes-audit'],
    ] as const) {
      expect(result).toMatchObject({ filesFailed: [], malformed: [], unresolved: 0, duplicates: 0 });
      expect(result.events).toBe(withIncidents.sources[source].events);
      expect(result.filesRead).toBe(withIncidents.sources[source].files);
    }
    // Every account has events every day (AWS Config at least): no gap in coverage.
    expect(aws.coverage.map((c) => [c.account, c.days])).toEqual([
      ['111111111111', DAYS],
      ['222222222222', DAYS],
      ['333333333333', DAYS],
      ['555555555555', DAYS],
    ]);
    // The identities and credentials the period saw created, each with its creator (owner evidence),
    // as the manifest says.
    const creations = await store.creations();
    expect(creations.map((c) => [c.source, c.created, c.creator, c.action, c.time]).sort()).toEqual(
      withIncidents.creations.map((c) => [c.source, c.created, c.creator, c.action, c.time]).sort(),
    );
    expect(creations.map((c) => [c.source, c.action, c.created, c.creator, c.origin])).toEqual([
      [
        'aws-cloudtrail',
        'iam:CreateRole',
        'arn:aws:iam::222222222222:role/prod-poweruser',
        'arn:aws:iam::222222222222:role/prod-deployer',
        null,
      ],
      [
        'aws-cloudtrail',
        'iam:CreateAccessKey',
        'aws:key:AKIAIAMHELPEREXAMPL8',
        'arn:aws:iam::222222222222:role/prod-deployer',
        null,
      ],
      [
        'gcp-audit',
        'google.iam.admin.v1.CreateServiceAccount',
        'gcp:sa:data-exporter@acme-prod-data.iam.gserviceaccount.com',
        'gcp:sa:gha-deployer@acme-prod-data.iam.gserviceaccount.com',
        'gcp:principalset:principal://iam.googleapis.com/projects/400000000001/locations/global/workloadIdentityPools/github/subject/repo:acme/deploy:ref:refs/heads/main > gcp:sa:gha-deployer@acme-prod-data.iam.gserviceaccount.com',
      ],
      [
        'kubernetes-audit',
        'create serviceaccounts',
        'k8s:prod-payments:monitoring:sa:node-exporter',
        'k8s:prod-payments:user:alice@acme.example',
        null,
      ],
    ]);
  }, 60_000);

  it('contains each incident where its manifest says, and the set without incidents does not', async () => {
    expect(withIncidents.incidents.map((i) => i.id)).toEqual([
      'leaked-ci-key',
      'dormant-deploy-role',
      'bot-reads-production-bucket',
      'gcp-service-account-key-minting',
      'workload-token-outside-cluster',
    ]);
    expect(clean.incidents).toEqual([]);
    for (const source of ['aws-cloudtrail', 'gcp-audit', 'kubernetes-audit'] as const) {
      const injected = withIncidents.incidents.reduce((n, i) => n + (i.events[source] ?? 0), 0);
      expect(withIncidents.sources[source].events - clean.sources[source].events).toBe(injected);
    }
    for (const incident of withIncidents.incidents) {
      expect(incident.start >= withIncidents.start && incident.end < withIncidents.end).toBe(true);
      const [row] = await store.rows<{ n: string }>(
        `SELECT sum(count)::VARCHAR AS n FROM daily WHERE identity = '${incident.identity}'
           AND last_time >= '${incident.start.slice(0, 19)}'::TIMESTAMP AND first_time <= '${incident.end.slice(0, 19)}'::TIMESTAMP`,
      );
      expect(Number(row?.n ?? 0), incident.id).toBeGreaterThan(0);
    }
    const [leak] = await store.rows<{ denied: string; networks: string }>(
      `SELECT sum(count) FILTER (outcome = 'denied')::VARCHAR AS denied, string_agg(DISTINCT network, ' ') AS networks
         FROM daily WHERE identity = 'arn:aws:iam::222222222222:user/ci/iam-helper'`,
    );
    expect(Number(leak?.denied)).toBeGreaterThanOrEqual(20);
    expect(leak?.networks).toContain('203.0.113.0/24');
    // The chain: the user's key assumed prod-poweruser, whose session assumed prod-ops-automation.
    expect(
      await store.rows(
        `SELECT identity, resource FROM daily WHERE action = 'sts:AssumeRole' AND network = '203.0.113.0/24' ORDER BY first_time`,
      ),
    ).toEqual([
      {
        identity: 'arn:aws:iam::222222222222:user/ci/iam-helper',
        resource: 'arn:aws:iam::222222222222:role/prod-poweruser',
      },
      {
        identity: 'arn:aws:iam::222222222222:role/prod-poweruser',
        resource: 'arn:aws:iam::222222222222:role/prod-ops-automation',
      },
    ]);
  }, 30_000);

  it('tells an incident’s events apart from the identity’s normal calls of the day', async () => {
    const leak = withIncidents.incidents.find((i) => i.id === 'leaked-ci-key');
    const events = await incidentEvents(store, leak as Manifest['incidents'][number]);
    expect(new Set(events.map((e) => e.network))).toEqual(new Set(['203.0.113.0/24']));
    expect(
      events.filter((e) => e.outcome === 'denied').reduce((n, e) => n + e.count, 0),
    ).toBeGreaterThanOrEqual(20);
    expect(events.find((e) => e.action === 'ec2:DescribeInstances')?.regions).toHaveLength(5);
    expect(events.at(-1)).toMatchObject({
      identity: 'arn:aws:iam::222222222222:role/prod-ops-automation',
      action: 's3:GetObject',
      resource: 'arn:aws:s3:::acme-prod-customer-data',
      count: 40,
    });
  }, 30_000);

  it('gives the same bytes for the same seed and end, and other logs for another seed', async () => {
    const again = await generateActivity({ out: setOf('b'), snapshot, days: DAYS, seed: 7, end: END });
    expect(again).toEqual(withIncidents);
    const names = files(setOf('a'));
    expect(files(setOf('b'))).toEqual(names);
    for (const name of names)
      expect(readFileSync(join(setOf('b'), name)).equals(readFileSync(join(setOf('a'), name))), name).toBe(
        true,
      );
    const other = await generateActivity({ out: setOf('c'), snapshot, days: DAYS, seed: 8, end: END });
    expect(other.sources['aws-cloudtrail'].events).not.toBe(withIncidents.sources['aws-cloudtrail'].events);
  }, 60_000);

  it('refuses a directory that is not empty', async () => {
    await expect(generateActivity({ out: setOf('a'), snapshot, days: 1, end: END })).rejects.toThrow(
      /is not empty/,
    );
  });
});
