import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AccessPathAnswer } from '../../src/answers/answer-types.js';
import { MemoryGraph } from '../../src/answers/memory-graph.js';
import { MemoryPathQueries } from '../../src/answers/questions.js';
import { DEMO_CROSS_PROVIDER, SAMPLE_ENV } from '../../src/cli/demo.js';
import { ConfigSchema } from '../../src/config/schema.js';
import { type AnalyzedRun, analyzeProviders, providerJobs } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';

// The demo's sample estate, analyzed in memory: the EKS cluster prod-payments joins the AWS accounts
// through IRSA and aws-auth, a GitHub Actions workflow reaches a production bucket of the GCP
// organization through workload identity federation and impersonation, and the demo's
// cross-provider questions find the routes examples/sample-env/README.md tells.
// test/e2e/demo.test.ts asserts the same routes from Neo4j.
const ROOT = join(import.meta.dirname, '..', '..', SAMPLE_ENV);
const CLUSTER = 'k8s:prod-payments';
const IRSA_ROLE = 'arn:aws:iam::222222222222:role/payments-irsa';
const DEPLOYER = 'arn:aws:iam::222222222222:role/prod-deployer';
const DEPLOYER_USER = `${CLUSTER}:user:ci-deploy`;
const GHA_DEPLOY = 'arn:aws:iam::111111111111:role/ci/gha-deploy';
const CUSTOMER_DATA = 'arn:aws:s3:::acme-prod-customer-data';
const PAYMENTS_DB = `${CLUSTER}:payments:secret:payments-db`;
const GITHUB_DEPLOY =
  'gcp:principalset:principalSet://iam.googleapis.com/projects/400000000001/locations/global/workloadIdentityPools/github/attribute.repository/acme/deploy';
const GHA_DEPLOYER = 'gcp:sa:gha-deployer@acme-prod-data.iam.gserviceaccount.com';
const EXPORTER = 'gcp:sa:data-exporter@acme-prod-data.iam.gserviceaccount.com';
const EXPORTS = 'gcp:storage:projects/_/buckets/acme-prod-exports';

let run: AnalyzedRun;
let queries: MemoryPathQueries;
beforeAll(async () => {
  run = await analyzeProviders(
    providerJobs(PROVIDER_REGISTRY, [], { snapshotRoot: ROOT, options: {} }, ConfigSchema.parse({})),
  );
  queries = new MemoryPathQueries(MemoryGraph.fromInventory(run.valid));
});

/** Each hop as (from, type, to) and the (ref, statement) of its evidence. */
function hops(answer: Pick<AccessPathAnswer, 'path'>) {
  return answer.path.map((h) => ({
    hop: [h.from, h.type, h.to],
    evidence: h.evidence.map((e) => [e.ref, e.statement]),
  }));
}

describe('the sample estate', () => {
  it('holds the three providers, every scope complete, with no warning about the cluster or GCP', () => {
    expect(run.outcomes.map((o) => o.provider.name).sort()).toEqual(['aws', 'gcp', 'kubernetes']);
    expect(run.valid.inventory.scopes.map((s) => [s.id, s.complete])).toEqual(
      expect.arrayContaining([
        ['aws:222222222222', true],
        [CLUSTER, true],
        ['gcp:organizations/300000000001', true],
        ['gcp:folders/300000000010', true],
        ['gcp:acme-prod-data', true],
        ['gcp:acme-platform', true],
      ]),
    );
    const otherIssues = run.issues.filter(
      (i) => i.severity !== 'info' && /k8s|kubernetes|eks|gcp/i.test(`${i.source} ${i.object ?? ''}`),
    );
    expect(otherIssues).toEqual([]);
  });

  it('(c) a GitHub Actions workflow reaches the production exports bucket in GCP, each hop with its binding', async () => {
    const question = DEMO_CROSS_PROVIDER.gcp;
    const answers = await queries.reach({ from: question.from, to: question.to, certain: true });
    expect(answers.map((a) => [a.principal, a.resource, a.levels, a.conditional])).toEqual([
      [GITHUB_DEPLOY, EXPORTS, ['list', 'read'], false],
    ]);
    expect(hops(answers[0] as AccessPathAnswer)).toEqual([
      {
        hop: [GITHUB_DEPLOY, 'FEDERATES_TO', GHA_DEPLOYER],
        evidence: [
          [
            'projects/acme-prod-data/serviceAccounts/gha-deployer@acme-prod-data.iam.gserviceaccount.com',
            `bindings[0] roles/iam.workloadIdentityUser ${GITHUB_DEPLOY.slice('gcp:principalset:'.length)}`,
          ],
        ],
      },
      {
        hop: [GHA_DEPLOYER, 'CAN_IMPERSONATE', EXPORTER],
        evidence: [
          [
            'projects/acme-prod-data/serviceAccounts/data-exporter@acme-prod-data.iam.gserviceaccount.com',
            'bindings[0] roles/iam.serviceAccountTokenCreator serviceAccount:gha-deployer@acme-prod-data.iam.gserviceaccount.com',
          ],
        ],
      },
      {
        hop: [EXPORTER, 'CAN_ACCESS', EXPORTS],
        evidence: [
          [
            'projects/_/buckets/acme-prod-exports',
            'bindings[0] roles/storage.objectViewer serviceAccount:data-exporter@acme-prod-data.iam.gserviceaccount.com',
          ],
        ],
      },
    ]);
    expect(answers[0]?.path[1]?.reason).toContain('iam.serviceAccounts.getAccessToken');
    expect(answers[0]?.path[2]?.reason).toContain('storage.objects.get');
  });

  it('(c) the workflow reaches nothing else, and the pool provider admits only the acme organization', async () => {
    const answers = await queries.reach({ from: GITHUB_DEPLOY, to: 'provider=gcp' });
    expect(answers.map((a) => a.resource)).toEqual([EXPORTS]);
    const provider = run.valid.inventory.nodes.find((n) => n.kind === 'GcpWorkloadIdentityProvider');
    expect(provider?.properties.attributeCondition).toBe("assertion.repository_owner == 'acme'");
    // The organization's deny policy takes key creation from everyone but the admins: a chain
    // through terraform's (owner) key creation is no delegation, so ci-runner impersonates only it.
    const fromRunner = run.valid.inventory.relationships.filter(
      (r) =>
        r.type === 'CAN_IMPERSONATE' && r.from === 'gcp:sa:ci-runner@acme-platform.iam.gserviceaccount.com',
    );
    expect(fromRunner.map((r) => r.to)).toEqual(['gcp:sa:terraform@acme-platform.iam.gserviceaccount.com']);
  });

  it('(a) the payments API pods reach the production customer data through IRSA', async () => {
    const question = DEMO_CROSS_PROVIDER.reach;
    const answers = await queries.reach({ from: question.from, to: question.to, certain: true });
    expect(answers.map((a) => [a.principal, a.resource, a.levels])).toEqual([
      [`${CLUSTER}:payments:pod:api-6c8d9f7b5-k2x7q`, CUSTOMER_DATA, ['read', 'write']],
      [`${CLUSTER}:payments:pod:api-6c8d9f7b5-p9w4n`, CUSTOMER_DATA, ['read', 'write']],
    ]);
    const pod = `${CLUSTER}:payments:pod:api-6c8d9f7b5-k2x7q`;
    expect(hops(answers[0] as AccessPathAnswer)).toEqual([
      { hop: [pod, 'RUNS_AS', `${CLUSTER}:payments:sa:api`], evidence: [[pod, 'spec.serviceAccountName']] },
      {
        hop: [`${CLUSTER}:payments:sa:api`, 'FEDERATES_TO', IRSA_ROLE],
        evidence: [
          [`${IRSA_ROLE}#trust`, 'PaymentsApiServiceAccount'],
          [`${IRSA_ROLE}#trust`, 'PaymentsApiServiceAccount'],
        ],
      },
      {
        hop: [IRSA_ROLE, 'CAN_ACCESS', CUSTOMER_DATA],
        // The statement, then the bucket's own record.
        evidence: [
          [`${IRSA_ROLE}#inline/payments-objects`, 'Objects'],
          [CUSTOMER_DATA, undefined],
        ],
      },
    ]);
    const irsa = answers[0]?.path[1]?.evidence.map((e) => e.reason).join('\n');
    expect(irsa).toContain('subject system:serviceaccount:payments:api');
    expect(irsa).toContain(
      "cluster prod-payments's OIDC issuer signs tokens for system:serviceaccount:payments:api",
    );
  });

  it('(b) the CI deploy role becomes cluster-admin through aws-auth, and so reads the production secret', async () => {
    const { escalation } = DEMO_CROSS_PROVIDER;
    const routes = (await queries.escalations({ cluster: escalation.cluster, kind: escalation.kind })).filter(
      (a) => a.principal === escalation.principal,
    );
    const binding = [`${CLUSTER}:clusterrolebinding:platform-deployers`, 'ClusterRole cluster-admin rule #0'];
    const assume = {
      hop: [GHA_DEPLOY, 'CAN_ASSUME', DEPLOYER],
      evidence: [
        [`${GHA_DEPLOY}#inline/assume-prod-deployer`, 'AssumeProdDeployer'],
        [`${DEPLOYER}#trust`, 'ToolingDeployRole'],
      ],
    };
    const awsAuth = {
      hop: [DEPLOYER, 'FEDERATES_TO', DEPLOYER_USER],
      evidence: [[`${CLUSTER}:kube-system:configmap:aws-auth`, `mapRoles ${DEPLOYER}`]],
    };
    expect(routes.map((a) => [a.target, a.targetKind, a.conditional])).toEqual([
      [CLUSTER, 'K8sCluster', false],
    ]);
    expect(hops(routes[0] as Pick<AccessPathAnswer, 'path'>)).toEqual([
      assume,
      awsAuth,
      {
        hop: [DEPLOYER_USER, 'ADMINISTERS', CLUSTER],
        evidence: [
          binding,
          [`${CLUSTER}:clusterrolebinding:platform-deployers`, 'ClusterRole cluster-admin rule #1'],
        ],
      },
    ]);
    // What cluster-admin opens: the cluster's production secret, on the same route.
    const answers = await queries.reach({
      from: GHA_DEPLOY,
      to: 'provider=kubernetes,environment=production',
      certain: true,
    });
    expect(answers.map((a) => [a.principal, a.resource, a.levels])).toEqual([
      [GHA_DEPLOY, PAYMENTS_DB, ['read', 'write']],
    ]);
    expect(hops(answers[0] as AccessPathAnswer)).toEqual([
      assume,
      awsAuth,
      { hop: [DEPLOYER_USER, 'CAN_ACCESS', PAYMENTS_DB], evidence: [binding] },
    ]);
    // The user aws-auth maps the role to administers the cluster, through the group's binding.
    const admin = run.valid.inventory.relationships.filter(
      (r) => r.type === 'ADMINISTERS' && r.from === DEPLOYER_USER,
    );
    expect(admin.map((r) => [r.to, r.evidence.map((e) => [e.ref, e.statement])])).toEqual([
      [
        CLUSTER,
        [binding, [`${CLUSTER}:clusterrolebinding:platform-deployers`, 'ClusterRole cluster-admin rule #1']],
      ],
    ]);
  });
});
