import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executorReader } from '../../src/answers/graph-reader.js';
import { KubernetesRbacQueries } from '../../src/answers/kubernetes-rbac.js';
import { MemoryGraph } from '../../src/answers/memory-graph.js';
import { GraphPathQueries, MemoryPathQueries } from '../../src/answers/questions.js';
import { ConfigSchema } from '../../src/config/schema.js';
import type { GraphExecutor } from '../../src/graph/executor.js';
import type { KubernetesEnvironment } from '../../src/model/kubernetes/environment.js';
import { analyzeProviders, providerJobs, syncProviders } from '../../src/pipeline/sync.js';
import { PROVIDER_REGISTRY } from '../../src/providers/registry.js';
import { runFindings } from '../../src/reports/findings.js';
import { loadRules } from '../../src/reports/rules/registry.js';
import { testExecutor, wipe } from '../helpers/graph.js';
import { graphqlBody, graphqlData, graphqlErrors, tokenApi } from '../helpers/graphql.js';
import { MULTI_ACCOUNT } from '../unit/aws-fixture/expected.js';
import { K8S_FIXTURE_ROOT } from '../unit/kubernetes-collector/expected.js';

// The answers over clusters, from Neo4j and from the snapshot in memory: the same escalations
// (cluster-admin, node root), administrators and reach on the EKS fixture; then the AWS fixture
// and the cluster loaded in one run, where a pod reaches production data in S3 through IRSA and an
// AWS CI role becomes cluster-admin through aws-auth, each as one route.

const executor: GraphExecutor = testExecutor();
const TOKEN = 'rg_kubernetes';
const api = tokenApi(executor, TOKEN);
const _graphql = (query: string) => graphqlBody(api, query, { token: TOKEN });
const gql = (query: string) => graphqlData(api, query, { token: TOKEN });
const gqlErrors = (query: string) => graphqlErrors(api, query, { token: TOKEN });
const CLUSTER = 'k8s:prod-eks';
const POD = 'k8s:prod-eks:payments:pod:api-7d9f8-abcde';
const SA = 'k8s:prod-eks:payments:sa:api';
const IRSA_ROLE = 'arn:aws:iam::222222222222:role/payments-irsa';
const BUCKET = 'arn:aws:s3:::acme-prod-customer-data';
const CI_ROLE = 'arn:aws:iam::111111111111:role/ci/gha-deploy';
let estate: string;

/**
 * The AWS fixture and the EKS fixture as one estate: the cluster is the AWS fixture's EKS cluster
 * (its issuer is the OIDC provider of 222222222222, whose role payments-irsa trusts
 * `system:serviceaccount:payments:api`), and aws-auth maps the CI role gha-deploy (path /ci/, which
 * aws-auth leaves out) where the EKS fixture maps ci-deploy.
 */
function combinedEstate(): string {
  const root = mkdtempSync(join(tmpdir(), 'reachgraph-eks-estate-'));
  cpSync(join(MULTI_ACCOUNT, 'aws'), join(root, 'aws'), { recursive: true });
  const cluster = join(root, 'kubernetes', 'prod-eks');
  cpSync(join(K8S_FIXTURE_ROOT, 'kubernetes', 'prod-eks'), cluster, { recursive: true });
  const edit = (file: string, from: string, to: string) => {
    const text = readFileSync(join(cluster, file), 'utf8');
    if (!text.includes(from)) throw new Error(`${file} does not hold ${from}`);
    writeFileSync(join(cluster, file), text.replaceAll(from, to));
  };
  edit(
    'cluster.json',
    'us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    'eu-west-1.amazonaws.com/id/5C4F1A2B3D4E5F60718293A4B5C6D7E8',
  );
  edit(
    'configmaps.json',
    'arn:aws:iam::111111111111:role/ci-deploy',
    'arn:aws:iam::111111111111:role/gha-deploy',
  );
  edit('serviceaccounts.json', 'arn:aws:iam::111111111111:role/payments-api', IRSA_ROLE);
  return root;
}

async function load(root: string, providers: string[]) {
  const jobs = () =>
    providerJobs(PROVIDER_REGISTRY, providers, { snapshotRoot: root, options: {} }, ConfigSchema.parse({}));
  await wipe(executor);
  const result = await syncProviders(executor, jobs(), { summary: true });
  expect(result.load.status).toBe('succeeded');
  const { valid, outcomes } = await analyzeProviders(jobs());
  const environment = outcomes.find((o) => o.provider.name === 'kubernetes')
    ?.environment as KubernetesEnvironment;
  return {
    graph: new GraphPathQueries(executor),
    memory: new MemoryPathQueries(MemoryGraph.fromInventory(valid)),
    rbac: {
      collected: new KubernetesRbacQueries(environment.clusters),
      memory: KubernetesRbacQueries.fromInventory(valid),
      graph: () => KubernetesRbacQueries.fromGraph(executorReader(executor)),
    },
  };
}

beforeAll(() => {
  estate = combinedEstate();
});
afterAll(async () => {
  rmSync(estate, { recursive: true, force: true });
  await executor.close();
});

type Loaded = Awaited<ReturnType<typeof load>>;

describe('the EKS fixture: Neo4j and memory give the same answers', () => {
  let graph: GraphPathQueries;
  let memory: MemoryPathQueries;
  let rbac: Loaded['rbac'];
  beforeAll(async () => {
    ({ graph, memory, rbac } = await load(K8S_FIXTURE_ROOT, ['kubernetes']));
  }, 120_000);

  it('who-can and can-i: the RBAC objects read back from Neo4j and from memory decide as the collected ones', async () => {
    const stored = await rbac.graph();
    const whoCan = [
      { verb: 'get', resource: 'secrets' },
      { verb: 'list', resource: 'secrets', namespace: 'payments' },
      { verb: 'create', resource: 'pods/exec', namespace: 'payments' },
      { verb: 'create', resource: 'pods', namespace: 'ci' },
      { verb: 'impersonate', resource: 'serviceaccounts' },
      { verb: 'escalate', resource: 'clusterroles.rbac.authorization.k8s.io' },
      { verb: 'get', resource: '/metrics' },
    ];
    for (const ask of whoCan) {
      const answers = rbac.collected.whoCan(ask);
      expect(stored.whoCan(ask), JSON.stringify(ask)).toEqual(answers);
      expect(rbac.memory.whoCan(ask), JSON.stringify(ask)).toEqual(answers);
    }
    // The API gives the same answers.
    const api = await gql(
      `query { kubernetesWhoCan(verb: "create", resource: "pods/exec", namespace: "payments") {
        cluster subject { kind name namespace } masters through { kind name }
        grant { bindingKind bindingName roleKind roleName ruleIndex verbs resources } } }`,
    );
    const exec = rbac.collected.whoCan({ verb: 'create', resource: 'pods/exec', namespace: 'payments' });
    expect(api.kubernetesWhoCan).toEqual(
      exec.map((a) => ({
        cluster: a.cluster,
        subject: { kind: a.subject.kind, name: a.subject.name, namespace: a.subject.namespace ?? null },
        masters: a.masters,
        through: a.through && { kind: a.through.kind, name: a.through.name },
        grant: a.grant && {
          bindingKind: a.grant.binding.kind,
          bindingName: a.grant.binding.name,
          roleKind: a.grant.role.kind,
          roleName: a.grant.role.name,
          ruleIndex: a.grant.ruleIndex,
          verbs: a.grant.rule.verbs,
          resources: a.grant.rule.resources ?? [],
        },
      })),
    );
    expect(exec.length).toBeGreaterThan(1);
    const canI = await gql(
      `query { kubernetesCanI(as: "alice") { cluster namespace user { name groups } grant { roleName ruleIndex } } }`,
    );
    expect(canI.kubernetesCanI).toEqual(
      rbac.collected.canI({ as: 'alice' }).map((r) => ({
        cluster: r.cluster,
        namespace: r.namespace,
        user: r.user,
        grant: r.grant && { roleName: r.grant.role.name, ruleIndex: r.grant.ruleIndex },
      })),
    );
    expect(
      await gqlErrors('query { kubernetesWhoCan(verb: "get", resource: "widgets") { cluster } }'),
    ).toEqual([expect.stringContaining('widgets is not a built-in resource')]);
    // Users are placed in their groups (the users file, aws-auth) from what the graph stores.
    const secrets = rbac.collected.whoCan({ verb: 'get', resource: 'secrets', namespace: 'payments' });
    expect(secrets.map((a) => `${a.subject.kind}:${a.subject.name}`)).toContain('User:alice');
    const subjects = [
      'alice',
      'ci-deploy',
      'system:serviceaccount:ci:deployer',
      'system:serviceaccount:payments:api',
      'system:node:ip-10-0-1-10.ec2.internal',
    ];
    for (const as of subjects) {
      const rights = rbac.collected.canI({ as });
      // payments/api and the node hold no RBAC rule (the Node authorizer is not RBAC).
      expect(rights.length > 0, as).toBe(!/payments:api|system:node:/.test(as));
      expect(stored.canI({ as }), as).toEqual(rights);
      expect(rbac.memory.canI({ as }), as).toEqual(rights);
    }
  });

  it('escalations: node root, each with its route; cluster-admins are left out', async () => {
    const answers = await graph.escalations();
    expect(answers).toEqual(await memory.escalations());
    const node = 'k8s:prod-eks:node:ip-10-0-1-10.ec2.internal';
    expect(answers.map((a) => [a.principal, a.target, a.targetKind, a.path.map((h) => h.technique)])).toEqual(
      [
        ['k8s:prod-eks:ci:sa:deployer', node, 'K8sNode', ['k8s-create-privileged-pod']],
        ['k8s:prod-eks:monitoring:pod:node-agent-x7k2p', node, 'K8sNode', ['k8s-escape-privileged']],
      ],
    );
    expect(answers.every((a) => a.account === null && !a.self)).toBe(true);
    expect(await graph.escalations({ kind: 'K8sCluster' })).toEqual([]);
    expect(await graph.escalations({ cluster: 'other' })).toEqual([]);
    expect(await graph.escalations({ account: '111111111111' })).toEqual([]);
  });

  it('administrators of the cluster', async () => {
    const answers = await graph.admins();
    expect(answers).toEqual(await memory.admins());
    expect(answers.filter((a) => a.target === CLUSTER).map((a) => a.principal)).toEqual([
      'k8s:prod-eks:group:system:masters',
      'k8s:prod-eks:user:ci-deploy',
    ]);
    expect(await graph.admins({ cluster: 'prod-eks' })).toEqual(await memory.admins({ cluster: 'prod-eks' }));
  });

  it('reach: Kubernetes identities to secrets', async () => {
    const ask = { from: 'provider=kubernetes', to: 'type=K8sSecret' };
    const answers = await graph.reach(ask);
    expect(answers).toEqual(await memory.reach(ask));
    expect(answers.length).toBeGreaterThan(0);
  });
});

describe('AWS and the cluster in one run', () => {
  let graph: GraphPathQueries;
  let memory: MemoryPathQueries;
  beforeAll(async () => {
    ({ graph, memory } = await load(estate, ['aws', 'kubernetes']));
  }, 180_000);

  it('a pod reaches production data in S3: pod → service account → AWS role (IRSA) → bucket', async () => {
    const ask = { from: POD, to: BUCKET };
    const answers = await graph.reach(ask);
    expect(answers).toEqual(await memory.reach(ask));
    expect(answers.map((a) => a.path.map((h) => [h.from, h.type, h.to]))).toEqual([
      [
        [POD, 'RUNS_AS', SA],
        [SA, 'FEDERATES_TO', IRSA_ROLE],
        [IRSA_ROLE, 'CAN_ACCESS', BUCKET],
      ],
    ]);
  });

  it('an AWS CI role becomes cluster-admin through aws-auth, as one route', async () => {
    const answers = await graph.escalations({ cluster: 'prod-eks', kind: 'K8sCluster' });
    expect(answers).toEqual(await memory.escalations({ cluster: 'prod-eks', kind: 'K8sCluster' }));
    const ci = answers.find((a) => a.principal === CI_ROLE);
    expect(ci?.path.map((h) => [h.from, h.type, h.to])).toEqual([
      [CI_ROLE, 'FEDERATES_TO', 'k8s:prod-eks:user:ci-deploy'],
      ['k8s:prod-eks:user:ci-deploy', 'ADMINISTERS', CLUSTER],
    ]);
    expect(ci).toMatchObject({ target: CLUSTER, targetKind: 'K8sCluster', account: null, hops: 1 });
    // Every escalation, AWS accounts and the cluster together, agrees too.
    expect(await graph.escalations()).toEqual(await memory.escalations());
  });

  it('the escalation rule fires for the cluster as for accounts', async () => {
    const rules = loadRules().filter((r) => r.id === 'nhi-can-escalate-to-admin');
    const findings = await runFindings(executor, rules);
    const ci = findings.find((f) => f.subject.id === CI_ROLE && f.target?.id === CLUSTER);
    expect(ci?.message).toBe('gha-deploy can become cluster-admin of prod-eks in 1 hop via ci-deploy');
    expect(findings.some((f) => f.target?.id.startsWith('aws:account:'))).toBe(true);
  });
});
