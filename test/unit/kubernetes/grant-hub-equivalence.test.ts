// Kubernetes Grant hubs are exact: on seeded random clusters, the hubs the analysis writes expand
// (src/model/grants.ts expandGrants) to exactly the edges its per-pair mode writes — the same
// pairs, properties and evidence records in the same order — and the hubbed inventory is valid.
import { describe, expect, it } from 'vitest';
import { syntheticKubernetesRaw } from '../../../bench/synthetic-kubernetes.js';
import { analyzeKubernetes } from '../../../src/analyzers/kubernetes/analyze.js';
import { transformKubernetes } from '../../../src/collectors/kubernetes/transform.js';
import { expandGrants, isGrantNode } from '../../../src/model/grants.js';
import type {
  KubernetesClusterData,
  KubernetesEnvironment,
} from '../../../src/model/kubernetes/environment.js';
import type { PolicyRule, Subject } from '../../../src/model/kubernetes/rbac.js';
import { validateInventory } from '../../../src/model/validate.js';
import { buildKubernetesInventory } from '../../../src/providers/kubernetes/inventory.js';
import { sortedEdges } from '../../helpers/k8s-edges.js';
import { seededRandom } from '../../helpers/random.js';

const RBAC = 'rbac.authorization.k8s.io';
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'impersonate', '*'];
const RESOURCES: [string, string][] = [
  ['', 'pods'],
  ['', 'pods/exec'],
  ['', 'pods/attach'],
  ['', 'pods/ephemeralcontainers'],
  ['', 'secrets'],
  ['', 'serviceaccounts'],
  ['', 'serviceaccounts/token'],
  ['', 'nodes/proxy'],
  ['', 'users'],
  ['apps', 'deployments'],
  ['apps', 'daemonsets'],
  ['batch', 'jobs'],
  ['*', '*'],
];

/** A small cluster where every product and every exception to it is likely: named rules, self-targets, some proxied nodes. */
function randomCluster(seed: number): KubernetesClusterData {
  const random = seededRandom(seed);
  const int = (n: number) => Math.floor(random() * n);
  const pick = <T>(list: readonly T[]): T => list[int(list.length)] as T;
  const namespaces = ['a', 'b', 'c', 'kube-system'];
  const nodes = ['n1', 'n2', 'n3'];
  const accounts = namespaces.flatMap((ns) =>
    Array.from({ length: 1 + int(4) }, (_, i) => ({ ns, name: i === 0 ? 'default' : `sa${i}` })),
  );
  const pods = Array.from({ length: 12 }, (_, i) => {
    const sa = pick(accounts);
    return {
      metadata: { name: `p${i}`, namespace: sa.ns },
      spec: {
        serviceAccountName: sa.name,
        containers: random() < 0.1 ? [] : [{ name: 'c' }],
        ...(random() < 0.9 ? { nodeName: pick(nodes) } : {}),
      },
    };
  });
  const secrets = namespaces.flatMap((ns) => [
    ...accounts
      .filter((a) => a.ns === ns && random() < 0.5)
      .map((a, i) => ({
        metadata: {
          name: `${a.name}-token-${i}`,
          namespace: ns,
          annotations: { 'kubernetes.io/service-account.name': a.name },
        },
        type: 'kubernetes.io/service-account-token',
      })),
    { metadata: { name: 'opaque', namespace: ns }, type: 'Opaque' },
  ]);
  const names = [...pods.map((p) => p.metadata.name), ...nodes, ...accounts.map((a) => a.name), 'opaque'];
  const rule = (): PolicyRule => {
    const [group, resource] = pick(RESOURCES);
    return {
      verbs: Array.from({ length: 1 + int(2) }, () => pick(VERBS)),
      apiGroups: [group],
      resources: [resource],
      ...(random() < 0.3 ? { resourceNames: [pick(names), pick(names)] } : {}),
    };
  };
  const subject = (): Subject => {
    const r = random();
    if (r < 0.5) {
      const a = pick(accounts);
      return { kind: 'ServiceAccount', name: a.name, namespace: a.ns };
    }
    if (r < 0.65)
      return { kind: 'User', apiGroup: RBAC, name: pick(['alice', 'bob', `system:node:${pick(nodes)}`]) };
    return {
      kind: 'Group',
      apiGroup: RBAC,
      name: pick(['devs', 'system:serviceaccounts', 'system:nodes', 'system:serviceaccounts:a']),
    };
  };
  const clusterRoles = Array.from({ length: 6 }, (_, i) => ({
    metadata: { name: `cr${i}` },
    rules: Array.from({ length: 1 + int(3) }, rule),
  }));
  const roles = Array.from({ length: 6 }, (_, i) => ({
    metadata: { name: `r${i}`, namespace: pick(namespaces) },
    rules: Array.from({ length: 1 + int(3) }, rule),
  }));
  const roleBindings = Array.from({ length: 10 }, (_, i) => {
    const useRole = random() < 0.5;
    const role = pick(roles);
    return {
      metadata: { name: `rb${i}`, namespace: useRole ? role.metadata.namespace : pick(namespaces) },
      roleRef: useRole
        ? { apiGroup: RBAC, kind: 'Role', name: role.metadata.name }
        : { apiGroup: RBAC, kind: 'ClusterRole', name: pick(clusterRoles).metadata.name },
      subjects: Array.from({ length: 1 + int(3) }, subject),
    };
  });
  const clusterRoleBindings = Array.from({ length: 3 }, (_, i) => ({
    metadata: { name: `crb${i}` },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: pick(clusterRoles).metadata.name },
    subjects: Array.from({ length: 1 + int(2) }, subject),
  }));
  return {
    name: 'rnd',
    namespaces: namespaces.map((name) => ({
      metadata: {
        name,
        labels:
          random() < 0.5 ? { 'pod-security.kubernetes.io/enforce': pick(['restricted', 'baseline']) } : {},
      },
    })),
    nodes: nodes.map((name) => ({ metadata: { name } })),
    serviceAccounts: accounts.map((a) => ({ metadata: { name: a.name, namespace: a.ns } })),
    pods,
    workloads: [],
    roles,
    clusterRoles,
    roleBindings,
    clusterRoleBindings,
    secrets,
    certificateSigningRequests: [],
    webhookConfigurations: [],
    services: [],
    endpointSlices: [],
    awsAuth: [],
    userGroups: { alice: ['devs'] },
    collectedKinds: [],
  } as unknown as KubernetesClusterData;
}

function bothModes(environment: KubernetesEnvironment) {
  const hubbed = analyzeKubernetes(environment);
  const pairs = analyzeKubernetes(environment, { grantHubs: false });
  expect(pairs.nodes).toEqual([]);
  expect(() =>
    validateInventory(buildKubernetesInventory(environment, hubbed, { sourceName: 'test' }), 'hubs'),
  ).not.toThrow();
  const expanded = expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges });
  return {
    hubs: hubbed.nodes.filter(isGrantNode).length,
    expanded: sortedEdges(expanded.relationships),
    perPair: sortedEdges(pairs.edges),
  };
}

describe('Kubernetes Grant hubs', () => {
  it('expand to exactly the per-pair edges on seeded random clusters', () => {
    let hubs = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const result = bothModes({ clusters: [randomCluster(seed)], issues: [] });
      expect(result.expanded, `seed ${seed}`).toEqual(result.perPair);
      hubs += result.hubs;
    }
    expect(hubs).toBeGreaterThan(0);
  }, 60_000);

  it('expand to exactly the per-pair edges on the benchmark’s cluster, with fewer edges stored', () => {
    const environment = transformKubernetes(syntheticKubernetesRaw({ pods: 400, seed: 7 }).raw);
    const result = bothModes(environment);
    expect(result.hubs).toBeGreaterThan(0);
    expect(result.expanded).toEqual(result.perPair);
    const stored = analyzeKubernetes(environment).edges.length;
    expect(stored).toBeLessThan(result.perPair.length);
  }, 60_000);
});
