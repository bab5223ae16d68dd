// A seeded synthetic EKS-like cluster in the collector's raw shapes (the items of
// `kubectl get <kind> -A -o json` Lists), sized by its pods P:
//
//   namespaces   P/100 application namespaces plus kube-system, monitoring, logging and ci; about 40 %
//                enforce Pod Security `restricted`, 20 % `baseline`, the rest nothing (privileged)
//   nodes        P/40, each with a kubelet identity; EKS-style names
//   workloads    per application namespace 19 Deployments (each with a current and an old ReplicaSet,
//                the current one owning its pods), a StatefulSet in one namespace of five, a CronJob
//                and its Job in one of four; DaemonSets in kube-system, monitoring and logging, one
//                pod per node each: a CNI plugin (privileged, hostNetwork), a node exporter (hostPID,
//                hostPath /), a log agent (hostPath /var/log)
//   accounts     P/5 service accounts (20 per application namespace, `default` among them); some
//                opt out of token automounting
//   RBAC         about 2P/25 Roles and as many bindings: per namespace a reader, a deployer (create
//                deployments), a debugger (pods/exec), a secret reader by name, a token minter, an
//                operator (list secrets) and a config editor, bound to the namespace's accounts, to
//                CI deployers of the ci namespace and to team groups; ClusterRoles admin/edit/view
//                (edit aggregated from labelled roles), cluster-admin, a few wildcard ClusterRoles
//                (`*` on `*` in one group, every verb on secrets, nodes/proxy), bound to a handful of
//                users, groups and platform service accounts
//   secrets      metadata only: per namespace three Opaque and one TLS secret, and legacy
//                `kubernetes.io/service-account-token` secrets for one account in six
//   aws-auth     the node role, a CI role in system:masters, a few roles and users in team groups
//
// The same seed gives the same cluster. Users are placed in their groups by user-groups.json.
import { COLLECTED_KINDS } from '../src/collectors/kubernetes/kinds.js';
import type { KubernetesRaw } from '../src/collectors/kubernetes/raw.js';
import { prng } from './synthetic-inventory.js';

export interface SyntheticKubernetesOptions {
  pods: number;
  seed: number;
  /** The cluster's name (folder and ids). */
  name?: string;
}

const RBAC = 'rbac.authorization.k8s.io';
const RBAC_V1 = `${RBAC}/v1`;
const SYSTEM_NAMESPACES = ['kube-system', 'monitoring', 'logging', 'ci'];
const ACCOUNTS_PER_NAMESPACE = 20;
const DEPLOYMENTS_PER_NAMESPACE = ACCOUNTS_PER_NAMESPACE - 1;
const TEAMS = 12;

type Item = Record<string, unknown>;

export interface SyntheticKubernetesShape {
  namespaces: number;
  nodes: number;
  pods: number;
  serviceAccounts: number;
  roles: number;
  clusterRoles: number;
  roleBindings: number;
  clusterRoleBindings: number;
  secrets: number;
  legacyTokenSecrets: number;
  workloads: number;
}

export function syntheticKubernetesRaw(options: SyntheticKubernetesOptions): {
  raw: KubernetesRaw;
  shape: SyntheticKubernetesShape;
} {
  const random = prng(options.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const chance = (p: number) => random() < p;
  const cluster = options.name ?? 'bench-eks';
  const hex = (n: number) => Array.from({ length: n }, () => Math.floor(random() * 16).toString(16)).join('');

  const lists: Record<string, Item[]> = {};
  const push = (file: string, item: Item) => {
    const list = lists[file];
    if (list) list.push(item);
    else lists[file] = [item];
  };

  // Nodes.
  const nodeCount = Math.max(1, Math.round(options.pods / 40));
  const nodes = Array.from(
    { length: nodeCount },
    (_, i) => `ip-10-${(i >> 8) & 255}-${i & 255}-${10 + (i % 200)}.ec2.internal`,
  );
  for (const name of nodes)
    push('nodes', {
      apiVersion: 'v1',
      kind: 'Node',
      metadata: {
        name,
        labels: { 'kubernetes.io/os': 'linux', 'node.kubernetes.io/instance-type': 'm6i.xlarge' },
      },
      spec: { providerID: `aws:///us-east-1a/i-0${hex(16)}` },
    });

  // DaemonSets: one pod per node each.
  const daemonSets = [
    {
      ns: 'kube-system',
      name: 'aws-node',
      spec: {
        hostNetwork: true,
        containers: [{ name: 'cni', image: 'amazon-k8s-cni:1.18', securityContext: { privileged: true } }],
      },
    },
    {
      ns: 'monitoring',
      name: 'node-exporter',
      spec: {
        hostPID: true,
        containers: [{ name: 'exporter', image: 'node-exporter:1.8' }],
        volumes: [{ name: 'root', hostPath: { path: '/' } }],
      },
    },
    {
      ns: 'logging',
      name: 'log-agent',
      spec: {
        containers: [{ name: 'agent', image: 'fluent-bit:3.1' }],
        volumes: [{ name: 'logs', hostPath: { path: '/var/log' } }],
      },
    },
  ];
  // Namespaces.
  const appNamespaces = Math.max(1, Math.round(options.pods / 100));
  const namespaces = [
    ...SYSTEM_NAMESPACES,
    ...Array.from({ length: appNamespaces }, (_, i) => `team${i % TEAMS}-app${i}`),
  ];
  for (const ns of namespaces) {
    const r = random();
    const level = SYSTEM_NAMESPACES.includes(ns)
      ? undefined
      : r < 0.4
        ? 'restricted'
        : r < 0.6
          ? 'baseline'
          : undefined;
    push('namespaces', {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: {
        name: ns,
        labels: {
          'kubernetes.io/metadata.name': ns,
          ...(level ? { 'pod-security.kubernetes.io/enforce': level } : {}),
          ...(ns.startsWith('team') ? { environment: pick(['production', 'staging', 'development']) } : {}),
        },
      },
    });
  }

  let podCount = 0;
  const nodeFor = () => pick(nodes);
  const pod = (
    ns: string,
    name: string,
    spec: Item,
    owner?: { kind: string; name: string; apiVersion: string },
  ) => {
    podCount++;
    push('pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name,
        namespace: ns,
        ...(owner ? { ownerReferences: [{ ...owner, controller: true, uid: hex(8) }] } : {}),
      },
      spec: { ...spec, nodeName: (spec.nodeName as string | undefined) ?? nodeFor() },
      status: { phase: 'Running' },
    });
  };
  const account = (ns: string, name: string, extra: Item = {}) =>
    push('serviceaccounts', {
      apiVersion: 'v1',
      kind: 'ServiceAccount',
      metadata: { name, namespace: ns },
      ...extra,
    });

  for (const ds of daemonSets) {
    account(ds.ns, ds.name);
    const template = { serviceAccountName: ds.name, ...ds.spec };
    push('daemonsets', {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: ds.name, namespace: ds.ns },
      spec: { template: { spec: template } },
    });
    for (const node of nodes)
      pod(
        ds.ns,
        `${ds.name}-${hex(5)}`,
        { ...template, nodeName: node },
        {
          apiVersion: 'apps/v1',
          kind: 'DaemonSet',
          name: ds.name,
        },
      );
  }
  for (const ns of SYSTEM_NAMESPACES) account(ns, 'default');
  account('ci', 'deployer');
  account('ci', 'runner');
  account('kube-system', 'cluster-autoscaler');

  // Application namespaces: accounts, deployments → replicasets → pods, secrets.
  let legacyTokens = 0;
  const addSecret = (ns: string, name: string, type: string, annotations: Record<string, string> = {}) =>
    push('secrets', {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name, namespace: ns, ...(Object.keys(annotations).length ? { annotations } : {}) },
      type,
    });
  const podsLeft = () => options.pods - podCount;
  const appList = namespaces.slice(SYSTEM_NAMESPACES.length);
  appList.forEach((ns, nsIndex) => {
    const accounts = ['default', ...Array.from({ length: DEPLOYMENTS_PER_NAMESPACE }, (_, i) => `svc${i}`)];
    for (const sa of accounts) {
      account(ns, sa, chance(0.05) ? { automountServiceAccountToken: false } : {});
      if (sa !== 'default' && chance(1 / 6)) {
        legacyTokens++;
        addSecret(ns, `${sa}-token-${hex(5)}`, 'kubernetes.io/service-account-token', {
          'kubernetes.io/service-account.name': sa,
        });
      }
    }
    for (let i = 0; i < 3; i++) addSecret(ns, `app-secret-${i}`, 'Opaque');
    addSecret(ns, 'tls', 'kubernetes.io/tls');
    // Spread the remaining pods evenly over the remaining namespaces' deployments.
    const budget = Math.round(podsLeft() / (appList.length - nsIndex));
    for (let d = 0; d < DEPLOYMENTS_PER_NAMESPACE; d++) {
      const name = `svc${d}`;
      const replicas =
        Math.floor(budget / DEPLOYMENTS_PER_NAMESPACE) + (d < budget % DEPLOYMENTS_PER_NAMESPACE ? 1 : 0);
      const template = {
        serviceAccountName: name,
        containers: [{ name: 'app', image: `registry.example/${ns}/${name}:${1 + (d % 7)}` }],
      };
      const statefulSet = d === 0 && nsIndex % 5 === 0;
      const cron = d === 1 && nsIndex % 4 === 0;
      if (statefulSet) {
        push('statefulsets', {
          apiVersion: 'apps/v1',
          kind: 'StatefulSet',
          metadata: { name, namespace: ns },
          spec: { replicas, template: { spec: template } },
        });
        for (let r = 0; r < replicas; r++)
          pod(ns, `${name}-${r}`, template, { apiVersion: 'apps/v1', kind: 'StatefulSet', name });
        continue;
      }
      if (cron) {
        const job = `${name}-${28_000_000 + nsIndex}`;
        push('cronjobs', {
          apiVersion: 'batch/v1',
          kind: 'CronJob',
          metadata: { name, namespace: ns },
          spec: { schedule: '0 * * * *', jobTemplate: { spec: { template: { spec: template } } } },
        });
        push('jobs', {
          apiVersion: 'batch/v1',
          kind: 'Job',
          metadata: {
            name: job,
            namespace: ns,
            ownerReferences: [{ apiVersion: 'batch/v1', kind: 'CronJob', name, controller: true }],
          },
          spec: { template: { spec: template } },
        });
        for (let r = 0; r < replicas; r++)
          pod(ns, `${job}-${hex(5)}`, template, { apiVersion: 'batch/v1', kind: 'Job', name: job });
        continue;
      }
      push('deployments', {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name, namespace: ns },
        spec: { replicas, template: { spec: template } },
      });
      const current = `${name}-${hex(9)}`;
      for (const rs of [current, `${name}-${hex(9)}`])
        push('replicasets', {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          metadata: {
            name: rs,
            namespace: ns,
            ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name, controller: true }],
          },
          spec: { replicas: rs === current ? replicas : 0, template: { spec: template } },
        });
      for (let r = 0; r < replicas; r++)
        pod(ns, `${current}-${hex(5)}`, template, {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: current,
        });
    }
  });

  // ClusterRoles: the user-facing defaults, an aggregated edit role, wildcards.
  const clusterRole = (name: string, rules: Item[], extra: Item = {}) =>
    push('clusterroles', { apiVersion: RBAC_V1, kind: 'ClusterRole', metadata: { name, ...extra }, rules });
  clusterRole('cluster-admin', [
    { apiGroups: ['*'], resources: ['*'], verbs: ['*'] },
    { nonResourceURLs: ['*'], verbs: ['*'] },
  ]);
  clusterRole('admin', [{ apiGroups: ['', 'apps', 'batch', RBAC], resources: ['*'], verbs: ['*'] }]);
  clusterRole('view', [
    {
      apiGroups: ['', 'apps', 'batch'],
      resources: ['pods', 'services', 'configmaps', 'deployments', 'replicasets', 'jobs'],
      verbs: ['get', 'list', 'watch'],
    },
  ]);
  push('clusterroles', {
    apiVersion: RBAC_V1,
    kind: 'ClusterRole',
    metadata: { name: 'edit' },
    aggregationRule: {
      clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-edit': 'true' } }],
    },
    rules: [],
  });
  const aggregateLabel = { labels: { 'rbac.example.com/aggregate-to-edit': 'true' } };
  clusterRole(
    'edit-workloads',
    [
      {
        apiGroups: ['apps', 'batch'],
        resources: ['deployments', 'statefulsets', 'jobs', 'cronjobs'],
        verbs: ['create', 'update', 'patch', 'delete', 'get', 'list'],
      },
    ],
    aggregateLabel,
  );
  clusterRole(
    'edit-pods',
    [
      {
        apiGroups: [''],
        resources: ['pods', 'pods/exec', 'pods/log'],
        verbs: ['create', 'get', 'list', 'delete'],
      },
      { apiGroups: [''], resources: ['secrets', 'configmaps'], verbs: ['get', 'list', 'update'] },
    ],
    aggregateLabel,
  );
  clusterRole('apps-superuser', [{ apiGroups: ['apps'], resources: ['*'], verbs: ['*'] }]);
  clusterRole('secrets-everything', [{ apiGroups: [''], resources: ['secrets'], verbs: ['*'] }]);
  clusterRole('kubelet-debug', [
    { apiGroups: [''], resources: ['nodes/proxy', 'nodes'], verbs: ['get', 'create'] },
  ]);
  clusterRole('impersonator', [
    { apiGroups: [''], resources: ['users', 'groups', 'serviceaccounts'], verbs: ['impersonate'] },
  ]);
  clusterRole('pod-reader', [
    { apiGroups: [''], resources: ['pods', 'pods/log'], verbs: ['get', 'list', 'watch'] },
  ]);
  for (let i = 0; i < 40; i++)
    clusterRole(`crd-viewer-${i}`, [
      { apiGroups: [`team${i % TEAMS}.example.com`], resources: ['*'], verbs: ['get', 'list', 'watch'] },
    ]);

  const subject = {
    sa: (ns: string, name: string) => ({ kind: 'ServiceAccount', name, namespace: ns }),
    user: (name: string) => ({ kind: 'User', apiGroup: RBAC, name }),
    group: (name: string) => ({ kind: 'Group', apiGroup: RBAC, name }),
  };
  const clusterBinding = (name: string, role: string, subjects: Item[]) =>
    push('clusterrolebindings', {
      apiVersion: RBAC_V1,
      kind: 'ClusterRoleBinding',
      metadata: { name },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: role },
      subjects,
    });
  clusterBinding('cluster-admins', 'cluster-admin', [
    subject.group('platform-admins'),
    subject.sa('kube-system', 'cluster-autoscaler'),
  ]);
  clusterBinding('sre-secrets', 'secrets-everything', [subject.group('sre')]);
  clusterBinding('kubelet-debuggers', 'kubelet-debug', [
    subject.user('debug-bot'),
    subject.sa('monitoring', 'node-exporter'),
  ]);
  clusterBinding('ci-apps', 'apps-superuser', [subject.sa('ci', 'deployer')]);
  clusterBinding('support-impersonation', 'impersonator', [subject.user('support-lead')]);
  clusterBinding('everyone-views', 'view', [subject.group('system:authenticated')]);
  for (let i = 0; i < 40; i++)
    clusterBinding(`crd-viewers-${i}`, `crd-viewer-${i}`, [subject.group(`team${i % TEAMS}`)]);

  // Per application namespace: seven Roles and their bindings, plus ClusterRoles bound in it.
  const role = (ns: string, name: string, rules: Item[]) =>
    push('roles', { apiVersion: RBAC_V1, kind: 'Role', metadata: { name, namespace: ns }, rules });
  const binding = (
    ns: string,
    name: string,
    kind: 'Role' | 'ClusterRole',
    roleName: string,
    subjects: Item[],
  ) =>
    push('rolebindings', {
      apiVersion: RBAC_V1,
      kind: 'RoleBinding',
      metadata: { name, namespace: ns },
      roleRef: { apiGroup: RBAC, kind, name: roleName },
      subjects,
    });
  appList.forEach((ns, i) => {
    const team = `team${i % TEAMS}`;
    const sa = (n: number) => subject.sa(ns, `svc${n % DEPLOYMENTS_PER_NAMESPACE}`);
    role(ns, 'reader', [
      {
        apiGroups: ['', 'apps'],
        resources: ['pods', 'deployments', 'configmaps'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    role(ns, 'deployer', [
      {
        apiGroups: ['apps'],
        resources: ['deployments'],
        verbs: ['create', 'update', 'patch', 'get', 'list'],
      },
    ]);
    role(ns, 'debugger', [
      { apiGroups: [''], resources: ['pods/exec', 'pods/attach'], verbs: ['create', 'get'] },
    ]);
    role(ns, 'secret-reader', [
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'], resourceNames: ['app-secret-0'] },
    ]);
    role(ns, 'token-minter', [
      { apiGroups: [''], resources: ['serviceaccounts/token'], verbs: ['create'], resourceNames: ['svc1'] },
    ]);
    role(ns, 'operator', [{ apiGroups: [''], resources: ['secrets'], verbs: ['list', 'watch'] }]);
    role(ns, 'config-editor', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['update', 'patch'] }]);
    binding(ns, 'readers', 'Role', 'reader', [subject.group(team), sa(2), sa(3)]);
    binding(ns, 'deployers', 'Role', 'deployer', [sa(4), subject.sa('ci', 'runner')]);
    binding(ns, 'debuggers', 'Role', 'debugger', [subject.group(`${team}-oncall`), sa(5)]);
    binding(ns, 'secret-readers', 'Role', 'secret-reader', [sa(6)]);
    binding(ns, 'token-minters', 'Role', 'token-minter', [sa(7)]);
    binding(ns, 'operators', 'Role', 'operator', [sa(8 + (i % 5))]);
    binding(ns, 'config-editors', 'Role', 'config-editor', [sa(9), sa(10)]);
    binding(ns, 'editors', 'ClusterRole', 'edit', [
      subject.group(`${team}-devs`),
      subject.sa('ci', 'deployer'),
    ]);
  });
  // Team leads administer their team's namespaces.
  appList.forEach((ns, i) => {
    if (i % 3 === 0) binding(ns, 'team-admins', 'ClusterRole', 'admin', [subject.user(`lead-${i % TEAMS}`)]);
  });

  // Users and their groups (user-groups.json), aws-auth.
  const userGroups: Record<string, string[]> = { 'debug-bot': [], 'support-lead': ['support'] };
  for (let u = 0; u < 100; u++) {
    const team = `team${u % TEAMS}`;
    userGroups[`dev-${u}`] = [
      team,
      ...(u % 4 === 0 ? [`${team}-devs`] : []),
      ...(u % 10 === 0 ? [`${team}-oncall`] : []),
    ];
  }
  for (let t = 0; t < TEAMS; t++) userGroups[`lead-${t}`] = [`team${t}`, `team${t}-devs`];
  userGroups['sre-1'] = ['sre'];
  userGroups['admin-1'] = ['platform-admins'];
  const mapRoles = [
    `- rolearn: arn:aws:iam::111111111111:role/eks-node\n  username: system:node:{{EC2PrivateDNSName}}\n  groups:\n    - system:bootstrappers\n    - system:nodes`,
    `- rolearn: arn:aws:iam::111111111111:role/ci-admin\n  username: ci-admin\n  groups:\n    - system:masters`,
    ...Array.from(
      { length: TEAMS },
      (_, t) =>
        `- rolearn: arn:aws:iam::111111111111:role/team${t}-dev\n  username: team${t}-dev\n  groups:\n    - team${t}-devs`,
    ),
  ].join('\n');
  const mapUsers = ['admin-1', 'sre-1']
    .map((u) => `- userarn: arn:aws:iam::111111111111:user/${u}\n  username: ${u}\n  groups: []`)
    .join('\n');
  push('configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'aws-auth', namespace: 'kube-system' },
    data: { mapRoles: `${mapRoles}\n`, mapUsers: `${mapUsers}\n` },
  });

  const withKind = (file: string) => ({
    source: `synthetic ${cluster}/${file}.json`,
    items: lists[file] ?? [],
  });
  const files = COLLECTED_KINDS.map((k) => k.file).filter((f) => lists[f] !== undefined);
  const raw: KubernetesRaw = {
    clusters: [
      {
        name: cluster,
        lists: Object.fromEntries(files.map((f) => [f, withKind(f)])),
        userGroups: { source: `synthetic ${cluster}/user-groups.json`, value: userGroups },
        cluster: {
          source: `synthetic ${cluster}/cluster.json`,
          value: { oidcIssuer: `https://oidc.eks.us-east-1.amazonaws.com/id/${hex(32).toUpperCase()}` },
        },
        issues: [],
      },
    ],
  };
  const count = (file: string) => lists[file]?.length ?? 0;
  return {
    raw,
    shape: {
      namespaces: count('namespaces'),
      nodes: count('nodes'),
      pods: count('pods'),
      serviceAccounts: count('serviceaccounts'),
      roles: count('roles'),
      clusterRoles: count('clusterroles'),
      roleBindings: count('rolebindings'),
      clusterRoleBindings: count('clusterrolebindings'),
      secrets: count('secrets'),
      legacyTokenSecrets: legacyTokens,
      workloads: ['deployments', 'daemonsets', 'statefulsets', 'replicasets', 'jobs', 'cronjobs'].reduce(
        (n, f) => n + count(f),
        0,
      ),
    },
  };
}
