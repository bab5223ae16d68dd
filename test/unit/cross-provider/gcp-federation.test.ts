import { beforeAll, describe, expect, it } from 'vitest';
import { gcpWorkloadIdentityFederation } from '../../../src/analyzers/cross-provider/gcp-workload-identity-federation.js';
import { gkeIdentityOf } from '../../../src/analyzers/cross-provider/gke-workload-identity.js';
import { ConfigSchema } from '../../../src/config/schema.js';
import type { GcpEnvironment, GcpWorkloadIdentityProvider } from '../../../src/model/gcp/environment.js';
import type { InventoryNode, InventoryRelationship } from '../../../src/model/inventory.js';
import type { CrossProviderUnion } from '../../../src/pipeline/cross-provider.js';
import { type AnalyzedRun, analyzeProviders, providerJob } from '../../../src/pipeline/sync.js';
import { awsProvider } from '../../../src/providers/aws/index.js';
import { gcpProvider } from '../../../src/providers/gcp/index.js';
import { kubernetesProvider } from '../../../src/providers/kubernetes/index.js';
import { CROSS_CLOUD_ROOT } from './cross-cloud.js';

// test/fixtures/cross-cloud (its README explains each fact): a GKE cluster, an AWS account and a GCP
// organization analysed in one run, and the rules joining them on small hand-made unions.

const A = '111122223333';
const N = '778899000111';
const BUCKET = 'gcp:storage:projects/_/buckets/shop-orders';
const READER = 'gcp:sa:reader@shop-prod-778899.iam.gserviceaccount.com';
const DEPLOYER = 'gcp:sa:deployer@shop-prod-778899.iam.gserviceaccount.com';
const GHOST = 'gcp:sa:ghost@shop-prod-778899.iam.gserviceaccount.com';
const ETL = `arn:aws:iam::${A}:role/data/etl`;
const GITHUB_MAIN = 'oidc:token.actions.githubusercontent.com:repo:acme/shop:ref:refs/heads/main';
const POOL = `projects/${N}/locations/global/workloadIdentityPools/partners`;

async function crossCloudRun(): Promise<AnalyzedRun> {
  const config = ConfigSchema.parse({});
  const root = { snapshotRoot: CROSS_CLOUD_ROOT, options: {} };
  return analyzeProviders(
    [
      providerJob(awsProvider, awsProvider.requestOf(root, config)),
      providerJob(kubernetesProvider, kubernetesProvider.requestOf(root, config)),
      providerJob(gcpProvider, gcpProvider.requestOf(root, config)),
    ],
    { asOf: new Date('2026-12-01T00:00:00Z') },
  );
}

const key = (r: Pick<InventoryRelationship, 'type' | 'from' | 'to' | 'properties'>) =>
  `${r.type} ${r.from} -> ${r.to}${r.properties.conditional ? ' (conditional)' : ''}`;

describe('the cross-cloud fixture in one run', () => {
  let run: AnalyzedRun;
  let edges: string[];
  beforeAll(async () => {
    run = await crossCloudRun();
    edges = run.valid.relationships.map(key);
  });

  it('joins the GKE service accounts to what their pool identities hold, decided from the GCP side', () => {
    expect(
      run.crossProvider.edges
        .filter((e) => e.from.startsWith('k8s:'))
        .map(key)
        .sort(),
    ).toEqual(
      [
        // serviceAccount:shop-prod-778899.svc.id.goog[shop/api] is workloadIdentityUser of reader@
        `FEDERATES_TO k8s:shop-gke:shop:sa:api -> ${READER}`,
        // principalSet://…/namespace/batch holds objectAdmin on the bucket (direct resource access)
        `CAN_ACCESS k8s:shop-gke:batch:sa:worker -> ${BUCKET}`,
        // principal://…/subject/ns/shop/sa/reporter holds objectViewer on the bucket
        `CAN_ACCESS k8s:shop-gke:shop:sa:reporter -> ${BUCKET}`,
      ].sort(),
    );
    const api = run.crossProvider.edges.find((e) => e.from === 'k8s:shop-gke:shop:sa:api');
    expect(api?.evidence.map((e) => e.reason).join('\n')).toContain('identity sameness');
    expect(api?.evidence.some((e) => e.statement?.includes('roles/iam.workloadIdentityUser'))).toBe(true);
  });

  it('replaces the annotation’s conditional edge and reports the annotation the GCP side disagrees with', () => {
    expect(edges).not.toContain(`FEDERATES_TO k8s:shop-gke:shop:sa:api -> ${READER} (conditional)`);
    expect(edges.filter((e) => e.includes('k8s:shop-gke:shop:sa:legacy ->'))).toEqual([]);
    expect(edges.some((e) => e.includes(GHOST) && e.startsWith('FEDERATES_TO'))).toBe(false);
    expect(run.crossProvider.issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: 'k8s:shop-gke:shop:sa:legacy',
        message: expect.stringContaining('ghost@shop-prod-778899.iam.gserviceaccount.com'),
      }),
    ]);
    expect(run.crossProvider.superseded.map((s) => s.from).sort()).toEqual([
      'k8s:shop-gke:shop:sa:api',
      'k8s:shop-gke:shop:sa:legacy',
    ]);
  });

  it('admits the AWS role through the pool’s AWS provider, and not the role its attribute condition rejects', () => {
    expect(edges).toContain(`FEDERATES_TO ${ETL} -> ${READER}`);
    // principal://…/subject/arn:aws:sts::…:assumed-role/etl/nightly: only the session named nightly
    expect(edges).toContain(`CAN_ACCESS ${ETL} -> ${BUCKET} (conditional)`);
    const bucket = run.valid.relationships.find((r) => r.from === ETL && r.to === BUCKET);
    expect(bucket?.properties.conditions).toEqual(['the AWS session is named nightly']);
    expect(edges.filter((e) => e.includes(`arn:aws:iam::${A}:role/blocked`) && e.includes('gcp:'))).toEqual(
      [],
    );
    expect(edges.filter((e) => e.includes(`arn:aws:iam::${A}:role/other`) && e.includes('gcp:'))).toEqual([]);
  });

  it('gives the GitHub subject of the AWS trust the GCP grant of its repository: one node reaches both clouds', () => {
    expect(edges).toContain(`FEDERATES_TO ${GITHUB_MAIN} -> ${DEPLOYER}`);
    expect(edges).toContain(`FEDERATES_TO ${GITHUB_MAIN} -> arn:aws:iam::${A}:role/gh-deploy`);
  });

  it('group grants reach the collected members; a deny rule naming a nested group is decided', () => {
    expect(edges).toContain('MEMBER_OF gcp:user:ann@acme.example -> gcp:group:data-readers@acme.example');
    expect(edges).toContain(
      'MEMBER_OF gcp:group:contractors@acme.example -> gcp:group:data-readers@acme.example',
    );
    const levels = (from: string) =>
      run.valid.relationships.find((r) => r.type === 'CAN_ACCESS' && r.from === from && r.to === BUCKET)
        ?.properties;
    expect(levels('gcp:user:ann@acme.example')).toMatchObject({ levels: ['list', 'read'] });
    // bob is in contractors@, nested in data-readers@: objects.get is denied to contractors@, decided.
    expect(levels('gcp:user:bob@acme.example')).toMatchObject({ levels: ['list'] });
    expect(levels('gcp:user:bob@acme.example')?.conditional).not.toBe(true);
    const ann = run.valid.relationships.find(
      (r) => r.from === 'gcp:user:ann@acme.example' && r.to === BUCKET,
    );
    expect(ann?.properties.conditional).not.toBe(true);
    expect(ann?.evidence?.map((e) => e.reason).join()).toContain(
      'as a member of group data-readers@acme.example',
    );
  });
});

describe('GKE pool identifiers', () => {
  const pool = `projects/${N}/locations/global/workloadIdentityPools/shop-prod-778899.svc.id.goog`;
  it('reads each form Workload Identity Federation for GKE names a service account by', () => {
    expect(gkeIdentityOf('serviceAccount:p-1.svc.id.goog[ns/ksa]')).toMatchObject({
      pool: 'p-1.svc.id.goog',
      kind: 'subject',
      namespace: 'ns',
      name: 'ksa',
    });
    expect(gkeIdentityOf(`principal://iam.googleapis.com/${pool}/subject/ns/a/sa/b`)).toMatchObject({
      kind: 'subject',
      projectNumber: N,
      namespace: 'a',
      name: 'b',
    });
    expect(gkeIdentityOf(`principalSet://iam.googleapis.com/${pool}/namespace/a`)).toMatchObject({
      kind: 'namespace',
      namespace: 'a',
    });
    expect(gkeIdentityOf(`principalSet://iam.googleapis.com/${pool}/*`)).toMatchObject({ kind: 'pool' });
    expect(
      gkeIdentityOf(`principalSet://iam.googleapis.com/${pool}/kubernetes.serviceaccount.uid/u-1`),
    ).toMatchObject({ kind: 'uid', uid: 'u-1' });
    expect(
      gkeIdentityOf(
        `principalSet://iam.googleapis.com/${pool}/kubernetes.cluster/https://container.googleapis.com/v1/projects/p/zones/z/clusters/c`,
      ),
    ).toMatchObject({
      kind: 'cluster',
      url: 'https://container.googleapis.com/v1/projects/p/locations/z/clusters/c',
    });
    expect(gkeIdentityOf(`principalSet://iam.googleapis.com/${pool}/attribute.x/y`)).toMatchObject({
      kind: 'attribute',
    });
  });

  it('is no GKE identity outside a *.svc.id.goog pool', () => {
    expect(gkeIdentityOf(`principalSet://iam.googleapis.com/${POOL}/*`)).toBeUndefined();
    expect(gkeIdentityOf('serviceAccount:app@p.iam.gserviceaccount.com')).toBeUndefined();
  });
});

/** A union of one principal set's grant and the run's identities, with a GCP environment holding one pool provider. */
function union(
  provider: Partial<GcpWorkloadIdentityProvider>,
  member: string,
  identities: InventoryNode[],
): CrossProviderUnion {
  const principal = `gcp:principalset:${member}`;
  const environment = {
    containers: new Map(),
    serviceAccounts: [],
    resources: [],
    roles: {},
    issues: [],
    pools: [
      {
        name: POOL,
        project: 'projects/shop',
        disabled: false,
        providers: [
          {
            name: `${POOL}/providers/p`,
            disabled: false,
            protocol: 'oidc',
            attributeMapping: {},
            ...provider,
          },
        ],
      },
    ],
  } as unknown as GcpEnvironment;
  const grant: InventoryRelationship = {
    type: 'FEDERATES_TO',
    from: principal,
    to: READER,
    toKind: 'GcpServiceAccount',
    properties: {},
    evidence: [
      {
        source: 'iam-binding',
        ref: READER,
        statement: 'bindings[0] roles/iam.workloadIdentityUser',
        reason: 'grant',
      },
    ],
  };
  return {
    providers: ['aws', 'gcp'],
    nodes: [{ id: principal, kind: 'GcpPrincipalSet', properties: {} }, ...identities],
    relationships: [grant],
    dataOf: ((p: { name: string }) =>
      p.name === 'gcp'
        ? { environment, analysis: {}, inventory: {} }
        : undefined) as CrossProviderUnion['dataOf'],
  };
}

const role = (name: string, account = A): InventoryNode => ({
  id: `arn:aws:iam::${account}:role/${name}`,
  kind: 'AwsRole',
  properties: {},
});
const subject = (sub: string): InventoryNode => ({
  id: `oidc:token.actions.githubusercontent.com:${sub}`,
  kind: 'OidcSubject',
  properties: { issuer: 'https://token.actions.githubusercontent.com', subject: sub },
});
const GITHUB = { protocol: 'oidc' as const, issuer: 'https://token.actions.githubusercontent.com' };
const REPO_MAPPING = { 'google.subject': 'assertion.sub', 'attribute.repository': 'assertion.repository' };
const derive = (u: CrossProviderUnion) =>
  gcpWorkloadIdentityFederation.derive(u).edges.map((e) => ({
    key: key(e),
    conditions: e.properties.conditions,
  }));

describe('AWS and OIDC identities admitted by a GCP pool provider', () => {
  const awsRole = `principalSet://iam.googleapis.com/${POOL}/attribute.aws_role/arn:aws:sts::${A}:assumed-role/etl`;

  it('an AWS provider with the default mapping admits the role its aws_role names, in its account only', () => {
    const u = union({ protocol: 'aws', issuer: `aws:${A}` }, awsRole, [
      role('etl'),
      role('other'),
      role('etl', '999999999999'),
    ]);
    expect(derive(u)).toEqual([
      { key: `FEDERATES_TO arn:aws:iam::${A}:role/etl -> ${READER}`, conditions: undefined },
    ]);
  });

  it('a mapping it cannot evaluate, or an attribute condition on claims not known, leaves the edge conditional', () => {
    const custom = union(
      {
        protocol: 'aws',
        issuer: `aws:${A}`,
        attributeMapping: { 'attribute.aws_role': 'assertion.arn.extract("{x}")' },
      },
      awsRole,
      [role('etl')],
    );
    expect(derive(custom)).toEqual([
      {
        key: `FEDERATES_TO arn:aws:iam::${A}:role/etl -> ${READER} (conditional)`,
        conditions: [`attribute.aws_role of the token is arn:aws:sts::${A}:assumed-role/etl`],
      },
    ]);
    const condition = "assertion.workflow_ref.startsWith('acme/shop/.github/workflows/deploy.yml')";
    const github = union(
      { ...GITHUB, attributeMapping: REPO_MAPPING, attributeCondition: condition },
      `principalSet://iam.googleapis.com/${POOL}/attribute.repository/acme/shop`,
      [subject('repo:acme/shop:ref:refs/heads/main')],
    );
    expect(derive(github)).toEqual([
      { key: `FEDERATES_TO ${GITHUB_MAIN} -> ${READER} (conditional)`, conditions: [condition] },
    ]);
  });

  it('an attribute condition decided false, another repository or another issuer admits nothing', () => {
    const member = `principalSet://iam.googleapis.com/${POOL}/attribute.repository/acme/shop`;
    const main = [subject('repo:acme/shop:ref:refs/heads/main')];
    expect(
      derive(
        union(
          {
            ...GITHUB,
            attributeMapping: REPO_MAPPING,
            attributeCondition: "assertion.repository_owner == 'evil'",
          },
          member,
          main,
        ),
      ),
    ).toEqual([]);
    expect(
      derive(
        union({ ...GITHUB, attributeMapping: REPO_MAPPING }, member, [
          subject('repo:acme/other:ref:refs/heads/main'),
        ]),
      ),
    ).toEqual([]);
    expect(
      derive(
        union(
          { protocol: 'oidc', issuer: 'https://gitlab.com', attributeMapping: REPO_MAPPING },
          member,
          main,
        ),
      ),
    ).toEqual([]);
  });

  it('a principal:// subject is the exact sub; a wildcard subject of an AWS trust may be it (conditional)', () => {
    const member = `principal://iam.googleapis.com/${POOL}/subject/repo:acme/shop:ref:refs/heads/main`;
    expect(derive(union({ ...GITHUB, attributeMapping: REPO_MAPPING }, member, main()))).toEqual([
      { key: `FEDERATES_TO ${GITHUB_MAIN} -> ${READER}`, conditions: undefined },
    ]);
    const wildcard = subject('repo:acme/shop:*');
    expect(derive(union({ ...GITHUB, attributeMapping: REPO_MAPPING }, member, [wildcard]))).toEqual([
      {
        key: `FEDERATES_TO ${wildcard.id} -> ${READER} (conditional)`,
        conditions: ["the token's sub is repo:acme/shop:ref:refs/heads/main"],
      },
    ]);
    function main() {
      return [subject('repo:acme/shop:ref:refs/heads/main')];
    }
  });
});
