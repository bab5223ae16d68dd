import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { k8sAuditRow, k8sOutcome } from '../../../src/activity/kubernetes/audit-event.js';
import { ingestKubernetesAudit, isKubernetesAuditFile } from '../../../src/activity/kubernetes/ingest.js';
import { ActivityStore } from '../../../src/activity/store.js';
import { k8sAuditEvent, writeEvents } from '../../helpers/audit-logs.js';

// Kubernetes audit events into the activity store: identity resolution on hand-written events, and
// the ingest over a real DuckDB file (stages, repeated auditIDs, gzip, bad input).

const row = k8sAuditRow('prod-eks');

describe('kubernetes audit rows', () => {
  it('names service accounts, nodes and users as the Kubernetes provider does', () => {
    expect(row(k8sAuditEvent({ auditID: 'a' }))).toMatchObject({
      eventId: 'prod-eks:a',
      account: 'prod-eks',
      identity: 'k8s:prod-eks:ci:sa:deployer',
      identityType: 'K8sServiceAccount',
      action: 'get secrets',
      resource: 'k8s:prod-eks:prod:secret:db',
      ip: '10.0.12.7',
      outcome: 'success',
      origin: null,
    });
    expect(row(k8sAuditEvent({ auditID: 'n', username: 'system:node:ip-10-0-1-5' }))).toMatchObject({
      identity: 'k8s:prod-eks:node:ip-10-0-1-5',
      identityType: 'K8sNode',
    });
    expect(row(k8sAuditEvent({ auditID: 'u', username: 'alice@example.com' }))).toMatchObject({
      identity: 'k8s:prod-eks:user:alice@example.com',
      identityType: 'K8sUser',
    });
  });

  it('takes an impersonated user as the identity and keeps the real actor as the origin', () => {
    expect(
      row(
        k8sAuditEvent({
          auditID: 'i',
          username: 'alice@example.com',
          impersonated: 'system:serviceaccount:kube-system:admin',
        }),
      ),
    ).toMatchObject({
      identity: 'k8s:prod-eks:kube-system:sa:admin',
      origin: 'k8s:prod-eks:user:alice@example.com',
      principalId: 'alice@example.com',
    });
  });

  it('writes the action as verb and group/resource/subresource, or the URL of a non-resource request', () => {
    expect(
      row(
        k8sAuditEvent({ auditID: 'x', verb: 'create', resource: 'pods', subresource: 'exec', name: 'web-0' }),
      ),
    ).toMatchObject({ action: 'create pods/exec', resource: 'k8s:prod-eks:prod:pod:web-0' });
    expect(
      row(k8sAuditEvent({ auditID: 'd', verb: 'patch', apiGroup: 'apps', resource: 'deployments' })),
    ).toMatchObject({
      action: 'patch apps/deployments',
    });
    const healthz = {
      ...k8sAuditEvent({ auditID: 'h' }),
      objectRef: undefined,
      requestURI: '/healthz?verbose',
    };
    expect(row(healthz)).toMatchObject({ action: 'get /healthz', resource: null });
    expect(
      row(
        k8sAuditEvent({
          auditID: 'c',
          resource: 'clusterroles',
          apiGroup: 'rbac.authorization.k8s.io',
          namespace: '',
          name: 'admin',
        }),
      ),
    ).toMatchObject({
      resource: 'k8s:prod-eks:clusterrole:admin',
    });
    expect(
      row(k8sAuditEvent({ auditID: 'l', resource: 'leases', apiGroup: 'coordination.k8s.io', name: 'lock' })),
    ).toMatchObject({
      resource: 'prod/lock',
    });
    expect(
      row(k8sAuditEvent({ auditID: 'w', resource: 'deployments', apiGroup: 'apps', name: 'api' })),
    ).toMatchObject({
      resource: 'k8s:prod-eks:prod:deployment:api',
    });
  });

  it('counts only the final stage, reads outcomes from the HTTP status, and names what it cannot read', () => {
    expect(row(k8sAuditEvent({ auditID: 'r', stage: 'RequestReceived' }))).toBeUndefined();
    expect(row(k8sAuditEvent({ auditID: 's', stage: 'ResponseStarted' }))).toBeUndefined();
    expect(row(k8sAuditEvent({ auditID: 'p', stage: 'Panic', code: 500 }))).toMatchObject({
      outcome: 'error',
    });
    expect([undefined, 201, 401, 403, 404].map((c) => k8sOutcome(c))).toEqual([
      'success',
      'success',
      'denied',
      'denied',
      'error',
    ]);
    expect(row({ ...k8sAuditEvent({ auditID: 'b' }), user: 'alice' })).toEqual({
      malformed: 'user: not an object',
    });
    expect(row({ kind: 'Pod', stage: 'ResponseComplete' })).toEqual({
      malformed: 'kind Pod is not an audit Event',
    });
    expect(row(k8sAuditEvent({ auditID: 'a', username: null }))).toMatchObject({
      identity: null,
      unresolvedReason: 'no user.username',
    });
  });
});

let dir: string;
let store: ActivityStore;
const NOW = new Date('2026-11-10T00:00:00Z');

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'activity-k8s-'));
  store = await ActivityStore.open(join(dir, 'activity.duckdb'));
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ingest kubernetes-audit', () => {
  it('counts each request once across stages and rotated files, per cluster, and is idempotent', async () => {
    const logs = join(dir, 'audit');
    writeEvents(join(logs, 'audit.log'), [
      k8sAuditEvent({ auditID: 'a', stage: 'RequestReceived' }),
      k8sAuditEvent({ auditID: 'a' }),
      k8sAuditEvent({ auditID: 'b', code: 403, username: 'system:node:ip-10-0-1-5' }),
    ]);
    // A rotated copy repeats request b.
    writeEvents(join(logs, 'audit-2026-11-02T11-00-00.000.log.gz'), [
      k8sAuditEvent({ auditID: 'b', code: 403, username: 'system:node:ip-10-0-1-5' }),
      k8sAuditEvent({ auditID: 'c', time: '2026-11-03T09:00:00Z' }),
    ]);
    const first = await ingestKubernetesAudit(store, [logs], 'prod-eks', { now: NOW });
    expect(first).toMatchObject({ filesRead: 2, events: 3, duplicates: 1, ignored: 1, malformed: [] });
    expect(first.coverage).toMatchObject([
      { source: 'kubernetes-audit', account: 'prod-eks', days: 2, events: 3 },
    ]);
    // The same auditID in another cluster is another request.
    const other = await ingestKubernetesAudit(store, [join(logs, 'audit.log')], 'dev-gke', { now: NOW });
    expect(other).toMatchObject({ filesRead: 0, filesSkipped: 1 });
    const copy = join(dir, 'dev', 'audit.log');
    writeEvents(copy, [k8sAuditEvent({ auditID: 'a' }), k8sAuditEvent({ auditID: 'z' })]);
    expect(await ingestKubernetesAudit(store, [copy], 'dev-gke', { now: NOW })).toMatchObject({ events: 2 });
    expect(
      await store.rows(
        `SELECT account, identity, action, outcome, sum(count)::VARCHAR AS events FROM daily
         WHERE source = 'kubernetes-audit' GROUP BY ALL ORDER BY account, identity, outcome`,
      ),
    ).toEqual([
      {
        account: 'dev-gke',
        identity: 'k8s:dev-gke:ci:sa:deployer',
        action: 'get secrets',
        outcome: 'success',
        events: '2',
      },
      {
        account: 'prod-eks',
        identity: 'k8s:prod-eks:ci:sa:deployer',
        action: 'get secrets',
        outcome: 'success',
        events: '2',
      },
      {
        account: 'prod-eks',
        identity: 'k8s:prod-eks:node:ip-10-0-1-5',
        action: 'get secrets',
        outcome: 'denied',
        events: '1',
      },
    ]);
  });

  it('names malformed lines file:line and lists events without a user as unresolved', async () => {
    const log = join(dir, 'audit.log');
    writeEvents(log, [k8sAuditEvent({ auditID: 'a' }), k8sAuditEvent({ auditID: 'anon', username: null })]);
    appendFileSync(log, 'I1102 10:00:00 not an event\n');
    appendFileSync(log, `${JSON.stringify({ ...k8sAuditEvent({ auditID: 'q' }), sourceIPs: '10.0.0.1' })}\n`);
    const result = await ingestKubernetesAudit(store, [log], 'prod-eks', { now: NOW });
    expect(result).toMatchObject({ filesRead: 1, events: 2, unresolved: 1 });
    expect(result.malformed.map((m) => [m.line, m.reason.split(':')[0]])).toEqual([
      [3, 'not JSON'],
      [4, 'sourceIPs'],
    ]);
    expect(result.unresolvedActors).toMatchObject([
      { account: 'prod-eks', reason: 'no user.username', count: 1 },
    ]);
  });
});

describe('EKS audit logs through CloudWatch Logs', () => {
  it('reads filter-log-events output and a CloudWatch Logs export to S3', async () => {
    const cli = join(dir, 'events.json');
    writeFileSync(
      cli,
      JSON.stringify(
        {
          events: [
            {
              logStreamName: 'kube-apiserver-audit-1',
              timestamp: 1,
              message: JSON.stringify(k8sAuditEvent({ auditID: 'a' })),
            },
            { logStreamName: 'kube-apiserver-audit-1', timestamp: 2, message: 'not json' },
          ],
          searchedLogStreams: [],
        },
        null,
        2,
      ),
    );
    const exported = join(dir, 'export', 'abc', 'kube-apiserver-audit-1', '000000.gz');
    mkdirSync(dirname(exported), { recursive: true });
    writeFileSync(
      exported,
      gzipSync(`2026-11-02T10:00:00.000Z ${JSON.stringify(k8sAuditEvent({ auditID: 'b' }))}\n`),
    );
    expect(isKubernetesAuditFile(exported)).toBe(true);
    const result = await ingestKubernetesAudit(store, [cli, join(dir, 'export')], 'prod-eks', { now: NOW });
    expect(result).toMatchObject({ filesRead: 2, events: 2 });
    expect(result.malformed.map((m) => [m.record, m.reason.split(':')[0]])).toEqual([[2, 'message']]);
  });
});
