import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { datasetPolicy, type GcpLiveOptions, getGcpLive } from '../../../src/collectors/gcp/live.js';
import { writeGcpSnapshot } from '../../../src/collectors/gcp/snapshot.js';
import { gcpIssueScope, transformGcp } from '../../../src/collectors/gcp/transform.js';
import type { GcpEnvironment } from '../../../src/model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';
import { fakeAuthClient, type GcpStandIn, startGcpStandIn } from '../../helpers/gcp-api-standin.js';
import { GCP_FIXTURE_ROOT } from './expected.js';

// The loopback stand-in replays the fixture organization as Google's REST APIs answer it (paging,
// one 429); live collection of it must give the environment the snapshot reader gives.

const ORG = '111111111111';
const PROD = 'prod-app-123456';
let standIn: GcpStandIn;

beforeAll(async () => {
  standIn = await startGcpStandIn(GCP_FIXTURE_ROOT);
});
afterAll(() => standIn.close());
afterEach(() => {
  standIn.requests.length = 0;
  standIn.unknown.length = 0;
  standIn.faults.clear();
  standIn.extra.clear();
});

const live = (options: Partial<GcpLiveOptions> = {}) =>
  getGcpLive({
    organization: ORG,
    endpoint: standIn.url,
    authClient: fakeAuthClient(),
    pageSize: 1,
    backoffMs: 1,
    ...options,
  });

/**
 * The environment with what differs by source alone taken out: where each document was read (a file
 * or an API call), and a policy without bindings, which the API answers where the fixture has no file.
 */
function comparable(env: GcpEnvironment): unknown {
  const strip = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(strip);
    if (value instanceof Map) return [...value.entries()].map(([k, v]) => [k, strip(v)]);
    if (value && typeof value === 'object') {
      const entries = Object.entries(value as Record<string, unknown>)
        .filter(
          ([k, v]) =>
            k !== 'source' && !(k === 'policy' && (v as { bindings: unknown[] }).bindings.length === 0),
        )
        .map(([k, v]) => [k, strip(v)]);
      return Object.fromEntries(entries);
    }
    return value;
  };
  const { roles, ...rest } = env;
  return strip({ ...rest, roles: { collected: roles.collected, custom: roles.custom } });
}

describe('the live GCP collector', () => {
  it('gives the environment the snapshot gives, paging and retrying a 429, reads only', async () => {
    standIn.faults.set(`/v1/projects/${PROD}/serviceAccounts`, {
      status: 429,
      times: 1,
      headers: { 'retry-after': '0' },
    });
    const environment = transformGcp(await live(), { dataset: shippedPredefinedRoles() });
    const snapshot = await collectGcp({ snapshotDir: GCP_FIXTURE_ROOT });
    expect(standIn.unknown).toEqual([]);
    expect(environment.issues).toEqual([]);
    expect(comparable(environment)).toEqual(comparable(snapshot));
    expect(environment.containers.size).toBe(4);

    // Every list was read page by page (one item a page), the 429 was retried.
    const accounts = standIn.requests.filter((r) => r.path === `/v1/projects/${PROD}/serviceAccounts`);
    expect(accounts.map((r) => r.query.get('pageToken'))).toEqual([null, null, '1', '2']);
    const providers = standIn.requests.filter((r) =>
      r.path.endsWith('/workloadIdentityPools/github/providers'),
    );
    expect(providers.map((r) => r.query.get('pageToken'))).toEqual([null, '1']);
    // Reads only: GETs, and POSTs to getIamPolicy; every policy asked for in version 3 (the body, or the
    // `options.requestedPolicyVersion` parameter of IAM's and the GET methods).
    for (const request of standIn.requests) {
      expect(request.auth).toBe('Bearer test-token');
      if (request.method === 'POST') expect(request.path).toMatch(/:getIamPolicy$/);
      else expect(request.method).toBe('GET');
      if (request.path.endsWith(':getIamPolicy'))
        expect(
          request.query.get('options.requestedPolicyVersion') ??
            (request.body as { options?: { requestedPolicyVersion?: number } }).options
              ?.requestedPolicyVersion,
        ).toEqual(expect.toSatisfy((v) => Number(v) === 3));
    }
    const bucketPolicy = standIn.requests.find((r) => r.path === '/storage/v1/b/prod-data-example/iam');
    expect(bucketPolicy?.query.get('optionsRequestedPolicyVersion')).toBe('3');
    // Deny policies: listed by attachment point, then each read in full.
    expect(standIn.requests.map((r) => r.path)).toContain(
      `/v2/policies/cloudresourcemanager.googleapis.com%2Forganizations%2F${ORG}/denypolicies/no-sa-keys`,
    );
  });

  it('writes a live collection in the snapshot layout, which reads back to the same environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gcp-live-'));
    try {
      await writeGcpSnapshot(await live(), dir);
      const written = await collectGcp({ snapshotDir: dir });
      const snapshot = await collectGcp({ snapshotDir: GCP_FIXTURE_ROOT });
      expect(written.issues).toEqual([]);
      expect(comparable(written)).toEqual(comparable(snapshot));
      expect(
        existsSync(
          join(dir, 'gcp/projects', PROD, 'service-account-keys', `app@${PROD}.iam.gserviceaccount.com.json`),
        ),
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('collects named projects alone, and every project listed when nothing is named', async () => {
    const one = await live({ organization: undefined, projects: ['dev-sandbox-654321'] });
    expect(one.levels.map((l) => `${l.kind}:${l.id}`)).toEqual(['project:dev-sandbox-654321']);
    const all = await live({ organization: undefined });
    expect(all.levels.map((l) => `${l.kind}:${l.id}`)).toEqual([
      'project:dev-sandbox-654321',
      `project:${PROD}`,
    ]);
    expect(
      standIn.requests.some(
        (r) => r.path === '/v1/projects' && r.query.get('filter') === 'lifecycleState:ACTIVE',
      ),
    ).toBe(true);
  });

  it('turns a failed call into an issue naming the call and object, marking that scope alone incomplete', async () => {
    standIn.faults.set('/storage/v1/b/prod-data-example/iam', { status: 403 });
    standIn.faults.set(`/v1/projects/${PROD}/topics`, { status: 403, reason: 'SERVICE_DISABLED' });
    standIn.faults.set(`/v1/projects/${PROD}/serviceAccounts`, { status: 503, times: 10 });
    const raw = await live({ retries: 2 });
    expect(raw.issues).toHaveLength(3);
    expect(raw.issues).toEqual(
      expect.arrayContaining([
        {
          severity: 'error',
          source: `iam.projects.serviceAccounts.list projects/${PROD}`,
          object: `gcp:${PROD}`,
          message: 'HTTP 503: fault 503',
        },
        {
          severity: 'error',
          source: 'storage.buckets.getIamPolicy prod-data-example',
          object: `gcp:${PROD} prod-data-example`,
          message: 'HTTP 403: fault 403',
        },
        {
          severity: 'warning',
          source: `pubsub.projects.topics.list projects/${PROD}`,
          object: `gcp:${PROD}`,
          message: expect.stringMatching(/^the API is not enabled: not collected \(HTTP 403: /),
        },
      ]),
    );
    // The issues name the project's scope alone: it is incomplete, the organization and the rest are not.
    expect(new Set(raw.issues.filter((i) => i.severity === 'error').map(gcpIssueScope))).toEqual(
      new Set([`gcp:${PROD}`]),
    );
    // The 503 was retried twice after the first answer, then given up.
    expect(standIn.requests.filter((r) => r.path === `/v1/projects/${PROD}/serviceAccounts`)).toHaveLength(3);
    const environment = transformGcp(raw, { dataset: shippedPredefinedRoles() });
    const prod = environment.resources.find((r) => r.shortName === 'prod-data-example');
    expect(prod && 'policy' in prod).toBe(false);
    expect(environment.resources.some((r) => r.kind === 'secret')).toBe(true);
    expect(environment.serviceAccounts.map((a) => a.project)).toEqual(['projects/dev-sandbox-654321']);
  });

  it('reads KMS keys of every location and a dataset access list as its IAM policy', async () => {
    const ring = `projects/${PROD}/locations/europe-west1/keyRings/payments`;
    standIn.extra.set(`list /v1/projects/${PROD}/locations/europe-west1/keyRings`, [
      'keyRings',
      [{ name: ring }],
    ]);
    standIn.extra.set(`list /v1/${ring}/cryptoKeys`, [
      'cryptoKeys',
      [{ name: `${ring}/cryptoKeys/card-data`, purpose: 'ENCRYPT_DECRYPT' }],
    ]);
    standIn.extra.set(`/v1/${ring}/cryptoKeys/card-data:getIamPolicy`, {
      version: 1,
      etag: 'BwK=',
      bindings: [
        {
          role: 'roles/cloudkms.cryptoKeyDecrypter',
          members: [`serviceAccount:app@${PROD}.iam.gserviceaccount.com`],
        },
      ],
    });
    const dataset = {
      kind: 'bigquery#dataset',
      id: `${PROD}:sales`,
      datasetReference: { datasetId: 'sales', projectId: PROD },
      location: 'EU',
    };
    standIn.extra.set(`list /bigquery/v2/projects/${PROD}/datasets`, ['datasets', [dataset]]);
    standIn.extra.set(`/bigquery/v2/projects/${PROD}/datasets/sales`, {
      ...dataset,
      etag: 'e1',
      access: [
        { role: 'OWNER', specialGroup: 'projectOwners' },
        { role: 'READER', groupByEmail: 'analysts@example.com' },
        { role: 'READER', iamMember: `serviceAccount:app@${PROD}.iam.gserviceaccount.com` },
        { view: { projectId: PROD, datasetId: 'reports', tableId: 'v' } },
      ],
    });
    const environment = transformGcp(await live({ organization: undefined, projects: [PROD] }), {
      dataset: shippedPredefinedRoles(),
    });
    expect(environment.issues).toEqual([]);
    const key = environment.resources.find((r) => r.kind === 'kmsKey');
    expect(key?.fullName).toBe(`//cloudkms.googleapis.com/${ring}/cryptoKeys/card-data`);
    expect(key?.policy?.bindings.map((b) => b.role)).toEqual(['roles/cloudkms.cryptoKeyDecrypter']);
    const sales = environment.resources.find((r) => r.kind === 'dataset');
    expect(sales?.policy?.bindings).toEqual([
      { role: 'roles/bigquery.dataOwner', members: [`projectOwner:${PROD}`] },
      {
        role: 'roles/bigquery.dataViewer',
        members: ['group:analysts@example.com', `serviceAccount:app@${PROD}.iam.gserviceaccount.com`],
      },
    ]);
    expect(
      standIn.requests.find((r) => r.path.endsWith('/datasets/sales'))?.query.get('accessPolicyVersion'),
    ).toBe('3');
  });

  it('keeps a conditional dataset grant conditional', () => {
    const condition = { expression: 'request.time < timestamp("2030-01-01T00:00:00Z")', title: 'until 2030' };
    expect(
      datasetPolicy({ access: [{ role: 'WRITER', userByEmail: 'a@example.com', condition }] }, PROD),
    ).toEqual({
      bindings: [{ role: 'roles/bigquery.dataEditor', members: ['user:a@example.com'], condition }],
    });
  });

  it('refuses an organization or folder that is not a number before any call', async () => {
    await expect(live({ organization: 'example.com' })).rejects.toThrow(
      /"example.com" is not an organization or folder number/,
    );
    expect(standIn.requests).toEqual([]);
  });
});
