import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeKubernetes, type KubernetesAnalysis } from '../../../src/analyzers/kubernetes/analyze.js';
import { collectKubernetes } from '../../../src/collectors/kubernetes/collect.js';
import { COLLECTED_KINDS } from '../../../src/collectors/kubernetes/kinds.js';
import { expandGrants } from '../../../src/model/grants.js';
import { validateInventory } from '../../../src/model/validate.js';
import { analyzeProviders, outcomeOf, providerJob } from '../../../src/pipeline/sync.js';
import { kubernetesProvider } from '../../../src/providers/kubernetes/index.js';
import { PROVIDER_REGISTRY } from '../../../src/providers/registry.js';
import { ABSENT_EDGES, EXPECTED_EDGES, edgeKey, K8S_FIXTURE_ROOT } from './expected.js';

const temps: string[] = [];
afterEach(() => {
  for (const t of temps.splice(0)) rmSync(t, { recursive: true, force: true });
});

/** A copy of the fixture root whose prod-eks files can be spoiled. */
function fixtureCopy(): { root: string; cluster: string } {
  const root = mkdtempSync(join(tmpdir(), 'k8s-snap-'));
  temps.push(root);
  cpSync(join(K8S_FIXTURE_ROOT, 'kubernetes'), join(root, 'kubernetes'), { recursive: true });
  return { root, cluster: join(root, 'kubernetes', 'prod-eks') };
}

describe('the Kubernetes snapshot reader', () => {
  it('reads the fixture into the environment, keeping nothing secret', async () => {
    const env = await collectKubernetes({ snapshotDir: K8S_FIXTURE_ROOT });
    expect(env.clusters.map((c) => c.name)).toEqual(['prod-eks']);
    const cluster = env.clusters[0];
    if (!cluster) throw new Error('no cluster');
    expect(cluster.collectedKinds).toEqual(COLLECTED_KINDS.map((k) => k.file).sort());
    expect(cluster.oidcIssuer).toBe(
      'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
    );
    expect(cluster.userGroups).toEqual({ alice: ['payments-auditors'] });
    expect(cluster.awsAuth).toEqual([
      {
        arn: 'arn:aws:iam::111111111111:role/eks-node',
        kind: 'role',
        username: 'system:node:{{EC2PrivateDNSName}}',
        groups: ['system:bootstrappers', 'system:nodes'],
      },
      {
        arn: 'arn:aws:iam::111111111111:role/ci-deploy',
        kind: 'role',
        username: 'ci-deploy',
        groups: ['system:masters'],
      },
      { arn: 'arn:aws:iam::111111111111:user/alice', kind: 'user', username: 'alice', groups: [] },
    ]);
    // Secret values, the last-applied copy of them and CSR material never reach the environment.
    const text = JSON.stringify(env);
    expect(text).not.toContain('c2VjcmV0');
    expect(text).not.toContain('LS0tLS1CRUdJTi');
    expect(cluster.secrets.map((s) => [s.metadata.name, s.type])).toEqual([
      ['db-credentials', 'Opaque'],
      ['api-token', 'kubernetes.io/service-account-token'],
    ]);
    expect(env.issues).toEqual([
      expect.objectContaining({
        severity: 'info',
        source: join(K8S_FIXTURE_ROOT, 'kubernetes', 'prod-eks', 'secrets.json'),
        object: 'k8s:prod-eks Secret payments/db-credentials',
      }),
    ]);
    // Items carry their kind; workloads their pod template (a CronJob's from its job template).
    expect(cluster.workloads.map((w) => `${w.kind}/${w.metadata.name}`).sort()).toEqual([
      'DaemonSet/node-agent',
      'Deployment/api',
      'ReplicaSet/api-7d9f8',
    ]);
  });

  it('gives the fixture README’s edges, and none of its near misses', async () => {
    // With Grant hubs, as a sync writes them: the pair edges they stand for.
    const analysis = analyzeKubernetes(await collectKubernetes({ snapshotDir: K8S_FIXTURE_ROOT }));
    const pairs = expandGrants({ nodes: analysis.nodes, relationships: analysis.edges });
    const keys = new Set(pairs.relationships.map(edgeKey));
    expect(keys.size).toBe(pairs.relationships.length);
    expect(EXPECTED_EDGES.filter((e) => !keys.has(e))).toEqual([]);
    expect(ABSENT_EDGES.filter((e) => keys.has(e))).toEqual([]);
    expect([...keys].sort()).toEqual([...EXPECTED_EDGES].sort());
  });

  it('gives the node read access to the secrets its pods reference, each pod and field in the evidence', async () => {
    const analysis = analyzeKubernetes(await collectKubernetes({ snapshotDir: K8S_FIXTURE_ROOT }));
    const c = 'k8s:prod-eks';
    const edge = analysis.edges.find(
      (e) =>
        e.type === 'CAN_ACCESS' &&
        e.from === `${c}:node:ip-10-0-1-10.ec2.internal` &&
        e.to === `${c}:payments:secret:db-credentials`,
    );
    expect(edge?.properties).toEqual({ levels: ['read'], actions: ['get secrets'] });
    expect(edge?.evidence.map((e) => [e.ref, e.statement])).toEqual([
      [`${c}:payments:pod:api-7d9f8-abcde`, 'spec.containers[0].env[1].valueFrom.secretKeyRef'],
      [`${c}:payments:pod:db-migrate`, 'spec.volumes[0].secret.secretName'],
    ]);
  });

  it('treats a missing kind file as a kind not collected', async () => {
    const { root, cluster } = fixtureCopy();
    rmSync(join(cluster, 'secrets.json'));
    rmSync(join(cluster, 'cluster.json'));
    const env = await collectKubernetes({ snapshotDir: root });
    expect(env.clusters[0]?.collectedKinds).not.toContain('secrets');
    expect(env.clusters[0]?.secrets).toEqual([]);
    expect(env.clusters[0]?.oidcIssuer).toBeUndefined();
    expect(env.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it('names the file and the object of bad input, and leaves the object out', async () => {
    const { root, cluster } = fixtureCopy();
    const pods = readFileSync(join(cluster, 'pods.json'), 'utf8');
    writeFileSync(join(cluster, 'pods.json'), pods.slice(0, pods.length / 2));
    const sas = JSON.parse(readFileSync(join(cluster, 'serviceaccounts.json'), 'utf8'));
    sas.items.push({ metadata: { namespace: 'payments' } });
    writeFileSync(join(cluster, 'serviceaccounts.json'), JSON.stringify(sas));
    writeFileSync(join(cluster, 'nodes.json'), JSON.stringify({ kind: 'List', items: {} }));
    const roles = JSON.parse(readFileSync(join(cluster, 'roles.json'), 'utf8'));
    roles.items[0].rules[0].verb = ['get'];
    writeFileSync(join(cluster, 'roles.json'), JSON.stringify(roles));

    const env = await collectKubernetes({ snapshotDir: root });
    const errors = env.issues.filter((i) => i.severity === 'error');
    const at = (file: string) => errors.find((i) => i.source === join(cluster, file));
    expect(at('pods.json')?.message).toMatch(/^malformed JSON \(truncated\?\)/);
    expect(at('serviceaccounts.json')).toMatchObject({
      object: 'k8s:prod-eks ServiceAccount items[5]',
      message: expect.stringContaining('no metadata.name'),
    });
    expect(at('nodes.json')?.message).toBe('"items" is not an array');
    expect(at('roles.json')).toMatchObject({
      object: 'k8s:prod-eks Role payments/secret-reader',
      message: expect.stringContaining('rules[0] has a field PolicyRule does not have: verb'),
    });
    const data = env.clusters[0];
    expect(data?.collectedKinds).not.toContain('pods');
    expect(data?.collectedKinds).not.toContain('nodes');
    expect(data?.serviceAccounts).toHaveLength(5);
    expect(data?.roles).toEqual([]);

    // The cluster is loaded incomplete: its stale data is kept.
    const run = await analyzeProviders([
      providerJob(
        kubernetesProvider,
        kubernetesProvider.requestOf({ snapshotRoot: root, options: {} }, await defaultConfig()),
      ),
    ]);
    expect(run.valid.inventory.scopes).toEqual([
      expect.objectContaining({ id: 'k8s:prod-eks', complete: false }),
    ]);
  });

  it('a binding to a missing role in a snapshot is a finding naming it, and loads no grant', async () => {
    const { root, cluster } = fixtureCopy();
    const bindings = JSON.parse(readFileSync(join(cluster, 'rolebindings.json'), 'utf8'));
    bindings.items.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'RoleBinding',
      metadata: { name: 'later', namespace: 'payments' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'not-yet' },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'mallory' }],
    });
    writeFileSync(join(cluster, 'rolebindings.json'), JSON.stringify(bindings));
    const run = await analyzeProviders([
      providerJob(
        kubernetesProvider,
        kubernetesProvider.requestOf({ snapshotRoot: root, options: {} }, await defaultConfig()),
      ),
    ]);
    const binding = 'k8s:prod-eks:payments:rolebinding:later';
    const { relationships } = run.valid.inventory;
    // The finding (report rule k8s-binding-to-missing-role) names the binding and its role.
    const analysis = run.outcomes[0]?.analysis as KubernetesAnalysis;
    const finding = analysis.findings.find((f) => f.rule === 'k8s-binding-to-missing-role');
    expect(finding?.subject).toBe(binding);
    expect(finding?.message).toContain('not-yet');
    expect(relationships.filter((r) => r.type === 'BOUND_TO' && r.from === binding)).toEqual([]);
    // mallory is bound to nothing that exists: no edge starts at her, none names the binding.
    expect(
      relationships.filter((r) => r.from === 'k8s:prod-eks:user:mallory' && r.type !== 'BOUND_TO'),
    ).toEqual([]);
    expect(
      JSON.stringify(
        relationships.filter((r) => r.type !== 'BOUND_TO' && r.type !== 'CONTAINS' && r.type !== 'HAS_FLAG'),
      ),
    ).not.toContain('rolebinding:later');
    expect(run.valid.inventory.scopes).toEqual([
      expect.objectContaining({ id: 'k8s:prod-eks', complete: true }),
    ]);
  });

  it('rejects a cluster folder whose name cannot be part of a node id', async () => {
    const { root } = fixtureCopy();
    cpSync(join(root, 'kubernetes', 'prod-eks'), join(root, 'kubernetes', 'arn:aws:eks:x'), {
      recursive: true,
    });
    await expect(collectKubernetes({ snapshotDir: root })).rejects.toThrow(
      /the cluster folder name "arn:aws:eks:x" holds ":"/,
    );
  });
});

describe('the Kubernetes provider', () => {
  it('is registered, and `analyze` of a snapshot root holding kubernetes/ runs it', () => {
    expect(PROVIDER_REGISTRY.named(['kubernetes'])).toEqual([kubernetesProvider]);
    expect(PROVIDER_REGISTRY.inSnapshot(join(K8S_FIXTURE_ROOT)).map((p) => p.name)).toContain('kubernetes');
  });

  it('builds a valid inventory: cluster with its issuer, principals, workloads, RBAC objects, secrets without values', async () => {
    const request = kubernetesProvider.requestOf(
      { snapshotRoot: K8S_FIXTURE_ROOT, options: {} },
      await defaultConfig({ kubernetes: { clusterEnvironments: { 'prod-eks': 'production' } } }),
    );
    const run = await analyzeProviders([providerJob(kubernetesProvider, request)]);
    const outcome = outcomeOf(run.outcomes, kubernetesProvider);
    expect(outcome?.summary.clusters).toEqual([{ id: 'k8s:prod-eks', complete: true }]);
    const inventory = run.valid.inventory;
    expect(() => validateInventory(inventory, 'test')).not.toThrow();
    const node = (id: string) => inventory.nodes.find((n) => n.id === id);
    expect(node('k8s:prod-eks')).toMatchObject({
      kind: 'K8sCluster',
      properties: {
        oidcIssuer: 'https://oidc.eks.us-east-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE',
      },
    });
    expect(node('k8s:prod-eks:payments:sa:api')).toMatchObject({
      kind: 'K8sServiceAccount',
      properties: {
        nonHuman: true,
        nhiType: 'service-account',
        environment: 'production',
        annotations: ['eks.amazonaws.com/role-arn=arn:aws:iam::111111111111:role/payments-api'],
      },
    });
    // Environment: the namespace label first, then the configured cluster environment.
    expect(node('k8s:prod-eks:ns:payments')?.properties.environment).toBe('production');
    expect(node('k8s:prod-eks:ns:monitoring')?.properties.environment).toBe('production');
    expect(node('k8s:prod-eks:node:ip-10-0-1-10.ec2.internal')).toMatchObject({
      kind: 'K8sNode',
      properties: { nonHuman: true },
    });
    expect(node('k8s:prod-eks:user:alice')).toMatchObject({
      kind: 'K8sUser',
      properties: { nonHuman: false },
    });
    expect(node('k8s:prod-eks:user:ci-deploy')?.kind).toBe('K8sUser');
    expect(node('k8s:prod-eks:group:system:masters')?.kind).toBe('K8sGroup');
    expect(node('k8s:prod-eks:monitoring:pod:node-agent-x7k2p')).toMatchObject({
      kind: 'K8sPod',
      properties: { nonHuman: true, privileged: true, hostPath: true, hostPID: true },
    });
    expect(node('k8s:prod-eks:payments:deployment:api')?.kind).toBe('K8sWorkload');
    expect(JSON.parse(String(node('k8s:prod-eks:payments:role:secret-reader')?.properties.rules))).toEqual([
      { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
    ]);
    expect(node('k8s:prod-eks:payments:secret:api-token')?.properties).toMatchObject({
      secretType: 'kubernetes.io/service-account-token',
      serviceAccount: 'api',
    });
    expect(JSON.stringify(inventory)).not.toContain('c2VjcmV0');
    const rels = new Set(inventory.relationships.map((r) => `${r.type} ${r.from} -> ${r.to}`));
    for (const r of [
      'BOUND_TO k8s:prod-eks:ci:sa:deployer -> k8s:prod-eks:payments:rolebinding:ci-deployer',
      'BOUND_TO k8s:prod-eks:payments:rolebinding:ci-deployer -> k8s:prod-eks:clusterrole:pod-manager',
      'BOUND_TO k8s:prod-eks:group:system:masters -> k8s:prod-eks:clusterrolebinding:cluster-admin',
      'MEMBER_OF k8s:prod-eks:user:alice -> k8s:prod-eks:group:payments-auditors',
      'CHILD_OF k8s:prod-eks:payments:pod:api-7d9f8-abcde -> k8s:prod-eks:payments:replicaset:api-7d9f8',
      'CHILD_OF k8s:prod-eks:payments:replicaset:api-7d9f8 -> k8s:prod-eks:payments:deployment:api',
      'CONTAINS k8s:prod-eks -> k8s:prod-eks:ns:payments',
      'CONTAINS k8s:prod-eks:ns:payments -> k8s:prod-eks:payments:sa:api',
    ])
      expect(rels).toContain(r);
  });

  it('binds a ServiceAccount subject without a namespace in the RoleBinding’s namespace, and in a ClusterRoleBinding to nobody', async () => {
    const { root, cluster } = fixtureCopy();
    for (const file of ['rolebindings.json', 'clusterrolebindings.json']) {
      const list = JSON.parse(readFileSync(join(cluster, file), 'utf8'));
      list.items[0].subjects.push({ kind: 'ServiceAccount', name: 'default' });
      writeFileSync(join(cluster, file), JSON.stringify(list));
    }
    const config = await defaultConfig();
    const run = await analyzeProviders([
      providerJob(
        kubernetesProvider,
        kubernetesProvider.requestOf({ snapshotRoot: root, options: {} }, config),
      ),
    ]);
    const bound = run.valid.inventory.relationships
      .filter((r) => r.type === 'BOUND_TO' && r.from.endsWith(':sa:default'))
      .map((r) => `${r.from} -> ${r.to}`);
    expect(bound).toEqual([
      'k8s:prod-eks:payments:sa:default -> k8s:prod-eks:payments:rolebinding:ci-deployer',
    ]);
  });

  it('loads the bootstrap Roles and RoleBindings whose names hold colons, as every cluster has in kube-system', async () => {
    // kube-system's `system:controller:bootstrap-signer` Role and `system::leader-locking-kube-scheduler`
    // RoleBinding are created by the API server's RBAC bootstrap policy.
    const { root, cluster } = fixtureCopy();
    const role = 'system:controller:bootstrap-signer';
    const binding = 'system::leader-locking-kube-scheduler';
    const edit = (file: string, item: unknown) => {
      const list = JSON.parse(readFileSync(join(cluster, file), 'utf8'));
      list.items.push(item);
      writeFileSync(join(cluster, file), JSON.stringify(list));
    };
    edit('roles.json', {
      metadata: { name: role, namespace: 'kube-system' },
      rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list', 'watch'] }],
    });
    edit('rolebindings.json', {
      metadata: { name: binding, namespace: 'kube-system' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role },
      subjects: [{ kind: 'User', apiGroup: 'rbac.authorization.k8s.io', name: 'system:kube-scheduler' }],
    });
    const run = await analyzeProviders([
      providerJob(
        kubernetesProvider,
        kubernetesProvider.requestOf({ snapshotRoot: root, options: {} }, await defaultConfig()),
      ),
    ]);
    expect(run.issues.filter((i) => i.severity !== 'info')).toEqual([]);
    const ids = new Set(run.valid.inventory.nodes.map((n) => n.id));
    expect(ids).toContain(`k8s:prod-eks:kube-system:role:${role}`);
    expect(ids).toContain(`k8s:prod-eks:kube-system:rolebinding:${binding}`);
  });

  it('refuses live flags next to --snapshot', async () => {
    const config = await defaultConfig();
    expect(() =>
      kubernetesProvider.requestOf({ snapshotRoot: K8S_FIXTURE_ROOT, options: { context: ['a'] } }, config),
    ).toThrow('--snapshot reads a directory: --context only apply to live collection');
  });
});

async function defaultConfig(overrides: Record<string, unknown> = {}) {
  const { ConfigSchema } = await import('../../../src/config/schema.js');
  return ConfigSchema.parse(overrides);
}

describe('scripts/snapshot-kubernetes.sh', () => {
  const script = readFileSync(
    join(import.meta.dirname, '..', '..', '..', 'scripts', 'snapshot-kubernetes.sh'),
    'utf8',
  );
  it('lists every collected kind (secrets and the aws-auth ConfigMap on their own)', () => {
    const listed = /KINDS=\(([^)]*)\)/.exec(script)?.[1]?.split(/\s+/).filter(Boolean) ?? [];
    expect([...listed, 'secrets', 'configmaps'].sort()).toEqual(COLLECTED_KINDS.map((k) => k.file).sort());
  });
  it('never writes secret data: secrets go through jq before the disk, CSRs lose their request and certificate', () => {
    expect(script).toContain('get secrets -A -o json \\\n    | jq');
    expect(script).not.toMatch(/get secrets[^|\n]*>/);
    expect(script).toContain('del(.items[].spec.request, .items[].status.certificate)');
    expect(script).not.toMatch(/kubectl[^\n]*\b(create|apply|delete|patch|edit|replace)\b/);
  });
});
