import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gcpAuditRow, gcpOutcome } from '../../../src/activity/gcp/audit-log.js';
import { ingestGcpAudit } from '../../../src/activity/gcp/ingest.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { gcpAuditEntry, writeEvents } from '../../helpers/audit-logs.js';

// Cloud Audit Logs into the activity store: identity resolution on hand-written entries, and the
// ingest over a real DuckDB file (gcloud's JSON array, sink exports in JSON lines, gzip, bad input).

const SA = 'deployer@prod-app.iam.gserviceaccount.com';

describe('gcp audit rows', () => {
  it('names a service account as the GCP provider does, with action, resource, network and outcome', () => {
    expect(gcpAuditRow(gcpAuditEntry({ insertId: 'x' }))).toMatchObject({
      identity: `gcp:sa:${SA}`,
      identityType: 'GcpServiceAccount',
      account: 'prod-app',
      action: 'storage.objects.get',
      resource: 'gcp:storage:projects/_/buckets/prod-data/objects/a.csv',
      ip: '203.0.113.9',
      region: 'europe-west1',
      userAgent: 'google-cloud-sdk gcloud/450.0.0',
      outcome: 'success',
      origin: null,
      unresolvedReason: null,
    });
    expect(gcpAuditRow(gcpAuditEntry({ insertId: 'u', principalEmail: 'Alice@Example.com' }))).toMatchObject({
      identity: 'gcp:user:alice@example.com',
      identityType: 'GcpUser',
    });
    expect(
      gcpAuditRow(gcpAuditEntry({ insertId: 'w', principalEmail: 'prod-app.svc.id.goog[ci/runner]' })),
    ).toMatchObject({ identity: 'gcp:principalset:serviceAccount:prod-app.svc.id.goog[ci/runner]' });
  });

  it('keeps an impersonation chain, real actor first, as the origin of the impersonated account', () => {
    const row = gcpAuditRow(
      gcpAuditEntry({
        insertId: 'i',
        principalEmail: SA,
        delegation: ['alice@example.com', 'hop@prod-app.iam.gserviceaccount.com'],
      }),
    );
    expect(row).toMatchObject({
      identity: `gcp:sa:${SA}`,
      origin: `gcp:user:alice@example.com > gcp:sa:hop@prod-app.iam.gserviceaccount.com > gcp:sa:${SA}`,
    });
  });

  it('reads outcomes from status.code, and leaves other logs and callers it cannot name apart', () => {
    expect([undefined, 0, 7, 16, 5].map((c) => gcpOutcome(c))).toEqual([
      'success',
      'success',
      'denied',
      'denied',
      'error',
    ]);
    expect(
      gcpAuditRow({ insertId: 'n', protoPayload: { '@type': 'type.googleapis.com/other' } }),
    ).toBeUndefined();
    expect(gcpAuditRow({ insertId: 'n', textPayload: 'hello' })).toBeUndefined();
    expect(gcpAuditRow(gcpAuditEntry({ insertId: 'a', principalEmail: null }))).toMatchObject({
      identity: null,
      unresolvedReason: 'no authenticationInfo.principalEmail',
    });
    expect(gcpAuditRow({ ...gcpAuditEntry({ insertId: 'b' }), protoPayload: 'text' })).toEqual({
      malformed: 'protoPayload: not an object',
    });
  });

  it('takes the project from the logName when the resource has no project label', () => {
    const entry = gcpAuditEntry({ insertId: 'o' });
    entry.resource = { type: 'organization', labels: {} };
    entry.logName = 'organizations/123/logs/cloudaudit.googleapis.com%2Factivity';
    expect(gcpAuditRow(entry)).toMatchObject({ account: 'organizations/123' });
  });
});

let dir: string;
let store: ActivityStore;
const NOW = new Date('2026-11-10T00:00:00Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'activity-gcp-'));
  store = await ActivityStore.open(join(dir, 'activity.duckdb'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const ingest = (paths: string[]) => ingestGcpAudit(store, paths, { now: NOW });
const totals = () =>
  store.rows<{ identity: string | null; outcome: string; network: string; events: string }>(
    `SELECT identity, outcome, network, sum(count)::VARCHAR AS events FROM daily WHERE source = 'gcp-audit'
     GROUP BY ALL ORDER BY identity NULLS LAST, outcome`,
  );

describe('ingest gcp-audit', () => {
  it('reads gcloud output and a gzipped sink export, counts each entry once, and records coverage per project', async () => {
    const gcloud = join(dir, 'logs', 'read.json');
    writeEvents(gcloud, [gcpAuditEntry({ insertId: 'a' }), gcpAuditEntry({ insertId: 'b', statusCode: 7 })], {
      array: true,
    });
    // The sink repeats entry a (same log and insertId), and holds an entry of another project.
    const sink = join(
      dir,
      'logs',
      'cloudaudit.googleapis.com',
      'data_access',
      '2026',
      '11',
      '02',
      '10:00:00_10:59:59_S0.json.gz',
    );
    writeEvents(sink, [
      gcpAuditEntry({ insertId: 'a' }),
      gcpAuditEntry({
        insertId: 'c',
        project: 'dev-app',
        principalEmail: 'alice@example.com',
        callerIp: '2001:db8:7:1::5',
      }),
      { insertId: 'd', logName: 'projects/dev-app/logs/syslog', textPayload: 'not an audit log' },
    ]);
    const first = await ingest([join(dir, 'logs')]);
    expect(first).toMatchObject({ filesRead: 2, events: 3, duplicates: 1, ignored: 1, malformed: [] });
    expect(first.coverage.map((c) => [c.account, c.events])).toEqual([
      ['dev-app', 1],
      ['prod-app', 2],
    ]);
    expect(await totals()).toEqual([
      { identity: `gcp:sa:${SA}`, outcome: 'denied', network: '203.0.113.0/24', events: '1' },
      { identity: `gcp:sa:${SA}`, outcome: 'success', network: '203.0.113.0/24', events: '1' },
      { identity: 'gcp:user:alice@example.com', outcome: 'success', network: '2001:db8:7::/48', events: '1' },
    ]);
    const again = await ingest([join(dir, 'logs')]);
    expect(again).toMatchObject({ filesRead: 0, filesSkipped: 2, events: 0 });
  });

  it('names malformed lines file:line, fails a truncated archive whole, and lists unresolved callers', async () => {
    const sink = join(dir, 'sink.json');
    writeEvents(sink, [
      gcpAuditEntry({ insertId: 'a' }),
      gcpAuditEntry({ insertId: 'n', principalEmail: null }),
    ]);
    appendFileSync(sink, '{"insertId": "broken", \n');
    appendFileSync(sink, `${JSON.stringify(gcpAuditEntry({ insertId: 'late', timestamp: 'yesterday' }))}\n`);
    const gz = join(dir, 'cut.json.gz');
    writeEvents(gz, [gcpAuditEntry({ insertId: 'z' })]);
    writeFileSync(gz, readFileSync(gz).subarray(0, 40));
    const result = await ingest([sink, gz]);
    expect(result).toMatchObject({ filesRead: 1, events: 2, unresolved: 1 });
    expect(result.filesFailed.map((f) => f.file)).toEqual([gz]);
    expect(
      result.malformed.filter((m) => m.file === sink).map((m) => [m.line, m.reason.split(/[:(]/)[0]?.trim()]),
    ).toEqual([
      [3, 'not JSON'],
      [4, 'no valid eventTime'],
    ]);
    expect(result.unresolvedActors).toMatchObject([
      { account: 'prod-app', principalId: '', reason: 'no authenticationInfo.principalEmail', count: 1 },
    ]);
  });
});
