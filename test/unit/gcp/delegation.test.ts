import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeGcp, type GcpAnalysis } from '../../../src/analyzers/gcp-iam/analyze.js';
import { collectGcp } from '../../../src/collectors/gcp/collect.js';
import { GCP_FIXTURE_AS_OF, GCP_FIXTURE_ROOT } from './expected.js';

// Delegation chains (https://cloud.google.com/iam/docs/create-short-lived-credentials-delegated) on
// the fixture with three more bindings and without the organization's deny policy on key creation:
// ci@ may delegate through deployer@ (token creator, under an office-hours condition) and through
// the Compute Engine default account (token creator, unconditional). deployer@ holds
// getAccessToken on app@; the compute account (editor) only serviceAccountKeys.create on it.

const SA = (name: string) => `gcp:sa:${name}`;
const CI = SA('ci@dev-sandbox-654321.iam.gserviceaccount.com');
const APP = SA('app@prod-app-123456.iam.gserviceaccount.com');
const COMPUTE = SA('123456789012-compute@developer.gserviceaccount.com');
const OFFICE_HOURS = 'request.time.getHours("Europe/Berlin") >= 8';

let root: string;
let analysis: GcpAnalysis;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'gcp-delegation-'));
  await cp(join(GCP_FIXTURE_ROOT, 'gcp'), join(root, 'gcp'), { recursive: true });
  await rm(join(root, 'gcp/organization/deny-policies.json'));
  const policies = join(root, 'gcp/projects/prod-app-123456/service-account-iam-policies');
  const tokenCreator = (condition?: string) => ({
    role: 'roles/iam.serviceAccountTokenCreator',
    members: ['serviceAccount:ci@dev-sandbox-654321.iam.gserviceaccount.com'],
    ...(condition ? { condition: { title: 'office hours', expression: condition } } : {}),
  });
  await writeFile(
    join(policies, 'deployer@prod-app-123456.iam.gserviceaccount.com.json'),
    JSON.stringify({
      bindings: [
        {
          role: 'roles/iam.workloadIdentityUser',
          members: [
            'principalSet://iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/github/attribute.repository/example/deploy',
          ],
        },
        tokenCreator(OFFICE_HOURS),
      ],
    }),
  );
  await writeFile(
    join(policies, '123456789012-compute@developer.gserviceaccount.com.json'),
    JSON.stringify({ bindings: [tokenCreator()] }),
  );
  const environment = await collectGcp({ snapshotDir: root });
  expect(environment.issues).toEqual([]);
  analysis = analyzeGcp(environment, { asOf: GCP_FIXTURE_AS_OF });
});
afterAll(() => rm(root, { recursive: true, force: true }));

const impersonations = (from: string) =>
  analysis.edges.filter((e) => e.type === 'CAN_IMPERSONATE' && e.from === from);

describe('delegation chains', () => {
  it('follow a token permission of the middle account, conditional when a link is, naming both bindings', () => {
    const chain = impersonations(CI).find((e) => e.to === APP);
    expect(chain?.properties).toMatchObject({ conditional: true });
    expect(chain?.properties.conditions).toEqual([expect.stringContaining(OFFICE_HOURS)]);
    expect(chain?.evidence.map((e) => [e.ref, e.statement])).toEqual([
      [
        'projects/prod-app-123456/serviceAccounts/deployer@prod-app-123456.iam.gserviceaccount.com',
        'bindings[1] roles/iam.serviceAccountTokenCreator serviceAccount:ci@dev-sandbox-654321.iam.gserviceaccount.com',
      ],
      [
        'projects/prod-app-123456/serviceAccounts/app@prod-app-123456.iam.gserviceaccount.com',
        'bindings[0] roles/iam.serviceAccountTokenCreator serviceAccount:deployer@prod-app-123456.iam.gserviceaccount.com',
      ],
    ]);
    expect(chain?.evidence[0]?.reason).toContain('delegation through deployer@prod-app-123456');
  });

  it("never through the middle account's key creation: no short-lived credential is delegated", () => {
    // The compute account creates keys of every account of its project (editor), and ci@ may
    // delegate through it, unconditionally: ci@ impersonates the compute account itself only.
    expect(
      analysis.edges.some(
        (e) =>
          e.type === 'CAN_IMPERSONATE' &&
          e.from === COMPUTE &&
          e.to === APP &&
          e.evidence.some((x) => x.reason.includes('iam.serviceAccountKeys.create')),
      ),
    ).toBe(true);
    const direct = impersonations(CI).find((e) => e.to === COMPUTE);
    expect(direct?.properties.conditional).toBeUndefined();
    expect(
      impersonations(CI)
        .filter((e) => !e.properties.conditional)
        .map((e) => e.to),
    ).toEqual([COMPUTE]);
  });
});
