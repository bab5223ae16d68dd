import { describe, expect, it } from 'vitest';
import { analyzeKubernetes } from '../../../src/analyzers/kubernetes/analyze.js';
import { podEscapes, sensitiveHostPath } from '../../../src/analyzers/kubernetes/pod-escapes.js';
import { expandGrants } from '../../../src/model/grants.js';
import type { KubernetesClusterData, Pod } from '../../../src/model/kubernetes/environment.js';
import type { PolicyRule, Subject } from '../../../src/model/kubernetes/rbac.js';
import { sortedEdges } from '../../helpers/k8s-edges.js';
import { emptyCluster } from '../../helpers/kubernetes-cluster.js';

const RBAC = 'rbac.authorization.k8s.io';

function cluster(overrides: Partial<KubernetesClusterData> = {}): KubernetesClusterData {
  return emptyCluster({
    namespaces: [
      { metadata: { name: 'app', labels: { 'pod-security.kubernetes.io/enforce': 'restricted' } } },
      { metadata: { name: 'ops' } },
      { metadata: { name: 'kube-system' } },
    ],
    nodes: [{ metadata: { name: 'n1' } }],
    serviceAccounts: [
      { metadata: { name: 'web', namespace: 'app' } },
      { metadata: { name: 'deployer', namespace: 'app' } },
      { metadata: { name: 'quiet', namespace: 'app' }, automountServiceAccountToken: false },
      { metadata: { name: 'agent', namespace: 'ops' } },
    ],
    ...overrides,
  });
}

const pod = (name: string, namespace: string, spec: Partial<Pod['spec']> = {}): Pod => ({
  metadata: { name, namespace },
  spec: { containers: [{ name: 'c' }], nodeName: 'n1', ...spec },
});

/** The pair edges, checked to be what the Grant hubs stand for (src/model/grants.ts). */
function pairEdges(data: KubernetesClusterData) {
  const environment = { clusters: [data], issues: [] };
  const pairs = analyzeKubernetes(environment, { grantHubs: false }).edges;
  const hubbed = analyzeKubernetes(environment);
  const expanded = expandGrants({ nodes: hubbed.nodes, relationships: hubbed.edges });
  expect(sortedEdges(expanded.relationships)).toEqual(sortedEdges(pairs));
  return pairs;
}

function edges(data: KubernetesClusterData) {
  return pairEdges(data).map((e) => [e.type, e.from, e.to, e.properties?.technique ?? ''].join(' '));
}

function bindTo(
  name: string,
  namespace: string | undefined,
  rules: PolicyRule[],
  subjects: Subject[],
): Pick<KubernetesClusterData, 'clusterRoles'> & Partial<KubernetesClusterData> {
  const role = { metadata: { name }, rules };
  const binding = {
    metadata: namespace ? { name, namespace } : { name },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name },
    subjects,
  };
  return namespace
    ? { clusterRoles: [role], roleBindings: [binding] }
    : { clusterRoles: [role], clusterRoleBindings: [binding] };
}

describe('Kubernetes edges', () => {
  it('pods run as the service account whose token they mount, and not otherwise', () => {
    const out = edges(
      cluster({
        pods: [
          pod('web-1', 'app', { serviceAccountName: 'web' }),
          pod('quiet-1', 'app', { serviceAccountName: 'quiet' }),
          pod('off-1', 'app', { serviceAccountName: 'web', automountServiceAccountToken: false }),
          pod('dflt', 'ops'),
        ],
      }),
    );
    expect(out).toContain('RUNS_AS k8s:prod:app:pod:web-1 k8s:prod:app:sa:web ');
    expect(out).toContain('RUNS_AS k8s:prod:ops:pod:dflt k8s:prod:ops:sa:default ');
    expect(out.filter((e) => e.includes('quiet-1') || e.includes('off-1'))).toEqual([]);
    // The node's kubelet reads the tokens of the pods bound to it.
    expect(out).toContain('CAN_ESCALATE k8s:prod:node:n1 k8s:prod:app:sa:web k8s-node-credential');
  });

  it('a node reads the secrets its pods reference and their accounts’ tokens, mounted or not (Node authorizer)', () => {
    const secrets = ['db', 'pull', 'unused'].map((name) => ({
      metadata: { name, namespace: 'app' },
      type: 'Opaque',
    }));
    const data = cluster({
      nodes: [{ metadata: { name: 'n1' } }, { metadata: { name: 'n2' } }],
      secrets: [...secrets, { metadata: { name: 'db', namespace: 'ops' }, type: 'Opaque' }],
      pods: [
        pod('quiet-1', 'app', {
          serviceAccountName: 'quiet',
          automountServiceAccountToken: false,
          imagePullSecrets: [{ name: 'pull' }, { name: 'not-collected' }],
          containers: [
            { name: 'c', env: [{ name: 'PW', valueFrom: { secretKeyRef: { name: 'db', key: 'pw' } } }] },
          ],
        }),
        pod('web-2', 'app', { serviceAccountName: 'web', nodeName: 'n2' }),
        pod('pending', 'app', {
          serviceAccountName: 'deployer',
          nodeName: undefined,
          imagePullSecrets: [{ name: 'unused' }],
        }),
      ],
    });
    const out = edges(data);
    const n1 = out.filter((e) => e.includes(' k8s:prod:node:n1 ')).sort();
    expect(n1).toEqual([
      'CAN_ACCESS k8s:prod:node:n1 k8s:prod:app:secret:db ',
      'CAN_ACCESS k8s:prod:node:n1 k8s:prod:app:secret:pull ',
      'CAN_ESCALATE k8s:prod:node:n1 k8s:prod:app:sa:quiet k8s-node-credential',
    ]);
    // The secret of the same name in another namespace, an unscheduled pod's: nothing.
    expect(out.filter((e) => e.includes('ops:secret:db') || e.includes('secret:unused'))).toEqual([]);
    expect(out).toContain('CAN_ESCALATE k8s:prod:node:n2 k8s:prod:app:sa:web k8s-node-credential');
    expect(out.filter((e) => e.startsWith('CAN_ACCESS k8s:prod:node:n2'))).toEqual([]);
    const edge = analyzeKubernetes({ clusters: [data], issues: [] }).edges.find(
      (e) => e.from === 'k8s:prod:node:n1' && e.to === 'k8s:prod:app:secret:pull',
    );
    expect(edge?.properties).toEqual({ levels: ['read'], actions: ['get secrets'] });
    expect(edge?.evidence).toEqual([
      {
        source: 'workload-spec',
        ref: 'k8s:prod:app:pod:quiet-1',
        statement: 'spec.imagePullSecrets[0]',
        reason: 'pod app/quiet-1 is bound to node n1, whose kubelet may read the secret pull it references',
      },
    ]);
  });

  it('a mirror pod gives its node nothing, and mounts no token', () => {
    const out = edges(
      cluster({
        secrets: [{ metadata: { name: 'etcd-certs', namespace: 'kube-system' }, type: 'Opaque' }],
        pods: [
          {
            metadata: {
              name: 'kube-proxy-n1',
              namespace: 'kube-system',
              annotations: { 'kubernetes.io/config.mirror': 'x' },
            },
            spec: {
              nodeName: 'n1',
              containers: [{ name: 'c' }],
              volumes: [{ name: 'v', secret: { secretName: 'etcd-certs' } }],
            },
          },
        ],
      }),
    );
    expect(out.filter((e) => e.includes('node:n1') || e.includes('kube-proxy-n1'))).toEqual([]);
  });

  it('a node’s read through the Node authorizer unites with what RBAC grants it on the secret', () => {
    const data = cluster({
      secrets: [{ metadata: { name: 'db', namespace: 'app' }, type: 'Opaque' }],
      pods: [
        pod('web-1', 'app', {
          serviceAccountName: 'web',
          volumes: [{ name: 'v', secret: { secretName: 'db' } }],
        }),
      ],
      ...bindTo(
        'node-writer',
        undefined,
        [{ verbs: ['update'], apiGroups: [''], resources: ['secrets'] }],
        [{ kind: 'Group', apiGroup: RBAC, name: 'system:nodes' }],
      ),
    });
    pairEdges(data);
    const edge = analyzeKubernetes({ clusters: [data], issues: [] }).edges.find(
      (e) => e.type === 'CAN_ACCESS' && e.from === 'k8s:prod:node:n1' && e.to === 'k8s:prod:app:secret:db',
    );
    expect(edge?.properties).toEqual({
      levels: ['read', 'write'],
      actions: ['get secrets', 'write secrets'],
    });
    expect(edge?.evidence.map((e) => e.source)).toEqual(['workload-spec', 'rbac-binding']);
  });

  it('privileged, host-namespace and host-path pods reach their node, each by its own technique', () => {
    const out = edges(
      cluster({
        pods: [
          pod('priv', 'ops', { containers: [{ name: 'c', securityContext: { privileged: true } }] }),
          pod('pid', 'ops', { hostPID: true }),
          pod('logs', 'ops', { volumes: [{ name: 'v', hostPath: { path: '/var/log' } }] }),
          pod('data', 'ops', { volumes: [{ name: 'v', hostPath: { path: '/data/cache' } }] }),
        ],
      }),
    );
    expect(out).toContain('CAN_ESCALATE k8s:prod:ops:pod:priv k8s:prod:node:n1 k8s-escape-privileged');
    expect(out).toContain('CAN_ESCALATE k8s:prod:ops:pod:pid k8s:prod:node:n1 k8s-escape-host-pid');
    expect(out).toContain('CAN_ESCALATE k8s:prod:ops:pod:logs k8s:prod:node:n1 k8s-escape-host-path');
    expect(out.filter((e) => e.includes('pod:data') && e.includes('node:n1'))).toEqual([]);
  });

  it('a pod with several ways to its node keeps each field in the edge’s evidence', () => {
    const data = cluster({
      pods: [
        pod('both', 'ops', {
          hostPID: true,
          containers: [{ name: 'c', securityContext: { privileged: true } }],
        }),
      ],
    });
    const edge = analyzeKubernetes({ clusters: [data], issues: [] }).edges.find(
      (e) => e.from === 'k8s:prod:ops:pod:both' && e.to === 'k8s:prod:node:n1',
    );
    expect(edge?.properties?.technique).toBe('k8s-escape-privileged');
    expect(edge?.evidence.map((e) => e.statement)).toEqual([
      'spec.containers[0].securityContext.privileged',
      'spec.hostPID',
    ]);
  });

  it('creating pods reaches every service account of the namespace, and the nodes only without Pod Security enforcement', () => {
    const rules = [{ verbs: ['create'], apiGroups: [''], resources: ['pods'] }];
    const inApp = edges(cluster(bindTo('pod-maker', 'app', rules, [{ kind: 'User', name: 'dev' }])));
    expect(inApp).toContain('CAN_ESCALATE k8s:prod:user:dev k8s:prod:app:sa:web k8s-create-pod');
    expect(inApp).toContain('CAN_ESCALATE k8s:prod:user:dev k8s:prod:app:sa:quiet k8s-create-pod');
    expect(inApp.filter((e) => e.includes('node:n1') && e.includes('user:dev'))).toEqual([]);
    expect(inApp.filter((e) => e.includes('user:dev') && e.includes(':ops:'))).toEqual([]);
    const inOps = edges(cluster(bindTo('pod-maker', 'ops', rules, [{ kind: 'User', name: 'dev' }])));
    expect(inOps).toContain('CAN_ESCALATE k8s:prod:user:dev k8s:prod:node:n1 k8s-create-privileged-pod');
  });

  it('changing a workload’s pod template reaches the namespace’s accounts, and the nodes only without Pod Security enforcement', () => {
    const rules = [{ verbs: ['patch'], apiGroups: ['apps'], resources: ['deployments'] }];
    const inOps = pairEdges(cluster(bindTo('patcher', 'ops', rules, [{ kind: 'User', name: 'dev' }])));
    const dev = inOps.filter((e) => e.from === 'k8s:prod:user:dev');
    expect(dev.map((e) => `${e.to} ${e.properties?.technique}`).sort()).toEqual([
      'k8s:prod:node:n1 k8s-create-privileged-pod',
      'k8s:prod:ops:sa:agent k8s-update-workload',
    ]);
    expect(dev.find((e) => e.to === 'k8s:prod:node:n1')?.evidence.map((e) => e.reason)).toEqual([
      expect.stringContaining('user dev may change the pod template of deployments in ops'),
      expect.stringContaining('enforces the privileged Pod Security level'),
      'a pod may name node n1 in spec.nodeName',
    ]);
    const inApp = edges(cluster(bindTo('patcher', 'app', rules, [{ kind: 'User', name: 'dev' }])));
    expect(inApp).toContain('CAN_ESCALATE k8s:prod:user:dev k8s:prod:app:sa:web k8s-update-workload');
    expect(inApp.filter((e) => e.includes('user:dev') && e.includes('node:n1'))).toEqual([]);
  });

  it('exec is create or get on pods/exec; `pods/*` grants nothing', () => {
    const pods = [pod('web-1', 'app', { serviceAccountName: 'web' })];
    const viaGet = edges(
      cluster({
        pods,
        ...bindTo(
          'exec',
          'app',
          [{ verbs: ['get'], apiGroups: [''], resources: ['pods/exec'] }],
          [{ kind: 'User', name: 'dev' }],
        ),
      }),
    );
    expect(viaGet).toContain('CAN_ESCALATE k8s:prod:user:dev k8s:prod:app:pod:web-1 k8s-exec');
    const star = edges(
      cluster({
        pods,
        ...bindTo(
          'exec',
          'app',
          [{ verbs: ['create', 'get'], apiGroups: [''], resources: ['pods/*'] }],
          [{ kind: 'User', name: 'dev' }],
        ),
      }),
    );
    expect(star.filter((e) => e.includes('user:dev'))).toEqual([]);
  });

  it('reading a legacy token secret reaches its service account; list returns contents', () => {
    const secrets = [
      {
        metadata: {
          name: 'agent-token',
          namespace: 'ops',
          annotations: { 'kubernetes.io/service-account.name': 'agent' },
        },
        type: 'kubernetes.io/service-account-token',
      },
      { metadata: { name: 'db', namespace: 'ops' }, type: 'Opaque' },
    ];
    const out = edges(
      cluster({
        secrets,
        ...bindTo(
          'lister',
          undefined,
          [{ verbs: ['list'], apiGroups: [''], resources: ['secrets'] }],
          [{ kind: 'ServiceAccount', name: 'web', namespace: 'app' }],
        ),
      }),
    );
    expect(out).toContain('CAN_ESCALATE k8s:prod:app:sa:web k8s:prod:ops:sa:agent k8s-read-token-secret');
    expect(out).toContain('CAN_ACCESS k8s:prod:app:sa:web k8s:prod:ops:secret:db ');
    const named = edges(
      cluster({
        secrets,
        ...bindTo(
          'getter',
          'ops',
          [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }],
          [{ kind: 'User', name: 'dev' }],
        ),
      }),
    );
    expect(named).toContain('CAN_ACCESS k8s:prod:user:dev k8s:prod:ops:secret:db ');
    expect(named.filter((e) => e.includes('agent'))).toEqual([]);
  });

  it('one rule granting both reading and writing a secret is one piece of evidence', () => {
    const data = cluster({
      secrets: [{ metadata: { name: 'db', namespace: 'ops' }, type: 'Opaque' }],
      ...bindTo(
        'secrets-admin',
        'ops',
        [{ verbs: ['*'], apiGroups: [''], resources: ['secrets'] }],
        [{ kind: 'User', name: 'dev' }],
      ),
    });
    const access = analyzeKubernetes({ clusters: [data], issues: [] }).edges.find(
      (e) => e.type === 'CAN_ACCESS' && e.from === 'k8s:prod:user:dev',
    );
    expect(access?.properties?.levels).toEqual(['read', 'write']);
    expect(access?.evidence.map((e) => [e.ref, e.statement])).toEqual([
      ['k8s:prod:ops:rolebinding:secrets-admin', 'ClusterRole secrets-admin rule #0'],
    ]);
  });

  it('cluster-admin administers the cluster; a namespace admin only its namespace', () => {
    const all = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];
    const crb = edges(
      cluster(bindTo('cluster-admin', undefined, all, [{ kind: 'Group', name: 'platform' }])),
    );
    expect(crb).toContain('ADMINISTERS k8s:prod:group:platform k8s:prod ');
    const rb = edges(
      cluster(bindTo('cluster-admin', 'ops', all, [{ kind: 'ServiceAccount', name: 'agent' }])),
    );
    expect(rb).toContain('ADMINISTERS k8s:prod:ops:sa:agent k8s:prod:ns:ops ');
    expect(rb).not.toContain('ADMINISTERS k8s:prod:ops:sa:agent k8s:prod ');
    const masters = edges(cluster({ userGroups: { root: ['system:masters'] } }));
    expect(masters).toContain('ADMINISTERS k8s:prod:user:root k8s:prod ');
  });

  it('bind, escalate, impersonate and CSR approval lead to cluster-admin', () => {
    const admin = {
      metadata: { name: 'cluster-admin' },
      rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
    };
    const binder = bindTo(
      'binder',
      undefined,
      [
        { verbs: ['create'], apiGroups: [RBAC], resources: ['clusterrolebindings'] },
        { verbs: ['bind'], apiGroups: [RBAC], resources: ['clusterroles'], resourceNames: ['cluster-admin'] },
      ],
      [{ kind: 'User', name: 'bob' }],
    );
    const out = edges(cluster({ ...binder, clusterRoles: [...binder.clusterRoles, admin] }));
    expect(out).toContain('CAN_ESCALATE k8s:prod:user:bob k8s:prod k8s-bind-role');
    const createOnly = bindTo(
      'binder',
      undefined,
      [{ verbs: ['create'], apiGroups: [RBAC], resources: ['clusterrolebindings'] }],
      [{ kind: 'User', name: 'bob' }],
    );
    expect(
      edges(cluster({ ...createOnly, clusterRoles: [...createOnly.clusterRoles, admin] })).filter((e) =>
        e.includes('k8s-bind-role'),
      ),
    ).toEqual([]);

    const imp = edges(
      cluster({
        userGroups: { alice: [] },
        ...bindTo(
          'imp',
          undefined,
          [{ verbs: ['impersonate'], apiGroups: [''], resources: ['users', 'groups'] }],
          [{ kind: 'User', name: 'bob' }],
        ),
      }),
    );
    expect(imp).toContain('CAN_IMPERSONATE k8s:prod:user:bob k8s:prod:group:system:masters ');
    expect(imp).toContain('CAN_IMPERSONATE k8s:prod:user:bob k8s:prod:user:alice ');

    const csr = edges(
      cluster(
        bindTo(
          'csr',
          undefined,
          [
            {
              verbs: ['create'],
              apiGroups: ['certificates.k8s.io'],
              resources: ['certificatesigningrequests'],
            },
            {
              verbs: ['update'],
              apiGroups: ['certificates.k8s.io'],
              resources: ['certificatesigningrequests/approval'],
            },
            {
              verbs: ['approve'],
              apiGroups: ['certificates.k8s.io'],
              resources: ['signers'],
              resourceNames: ['kubernetes.io/kube-apiserver-client'],
            },
          ],
          [{ kind: 'User', name: 'bob' }],
        ),
      ),
    );
    expect(csr).toContain('CAN_ESCALATE k8s:prod:user:bob k8s:prod:group:system:masters k8s-csr-signer');
  });

  it('names the binding, role and rule in the evidence', () => {
    const data = cluster({
      pods: [pod('web-1', 'app', { serviceAccountName: 'web' })],
      ...bindTo(
        'exec',
        'app',
        [{ verbs: ['create'], apiGroups: [''], resources: ['pods/exec'] }],
        [{ kind: 'User', name: 'dev' }],
      ),
    });
    const edge = pairEdges(data).find((e) => e.properties?.technique === 'k8s-exec');
    expect(edge?.evidence).toEqual([
      {
        source: 'rbac-binding',
        ref: 'k8s:prod:app:rolebinding:exec',
        statement: 'ClusterRole exec rule #0',
        reason:
          'user dev may create pods/exec on the pods of app (RoleBinding app/exec → ClusterRole exec, rule #0: verbs create; resources pods/exec; groups "")',
      },
      {
        source: 'declared',
        ref: 'k8s:prod:app:pod:web-1',
        statement: 'metadata.namespace',
        reason: 'pod app/web-1 is in namespace app',
      },
    ]);
    expect(edge?.properties?.attack).toBe('T1609');
  });
});

describe('pod escapes', () => {
  it('decides host paths by ancestry and capabilities by their namespace', () => {
    expect(sensitiveHostPath('/')).toBe(true);
    expect(sensitiveHostPath('/var')).toBe(true);
    expect(sensitiveHostPath('/etc/cron.d')).toBe(true);
    expect(sensitiveHostPath('/var/run/docker.sock')).toBe(true);
    expect(sensitiveHostPath('/data/../etc')).toBe(true);
    expect(sensitiveHostPath('/data')).toBe(false);
    expect(sensitiveHostPath('/var/lib/app')).toBe(false);
    const ptrace = {
      containers: [{ name: 'c', securityContext: { capabilities: { add: ['SYS_PTRACE'] } } }],
    };
    expect(podEscapes(ptrace)).toEqual([]);
    expect(podEscapes({ ...ptrace, hostPID: true }).map((e) => e.technique)).toEqual([
      'k8s-escape-capability',
      'k8s-escape-host-pid',
    ]);
    expect(
      podEscapes({
        containers: [{ name: 'c', securityContext: { capabilities: { add: ['CAP_SYS_ADMIN'] } } }],
      }),
    ).toHaveLength(1);
  });
});

describe('Kubernetes findings', () => {
  const findings = (data: KubernetesClusterData) =>
    analyzeKubernetes({ clusters: [data], issues: [] }).findings.map(
      (f) => `${f.rule} ${f.subject} ${f.severity}`,
    );

  it('flags wildcard roles, bindings to everyone, to missing roles and to default accounts', () => {
    const wild = bindTo(
      'ops-all',
      undefined,
      [{ verbs: ['*'], apiGroups: ['apps'], resources: ['*'] }],
      [{ kind: 'Group', name: 'system:authenticated' }],
    );
    const out = findings(
      cluster({
        ...wild,
        roleBindings: [
          {
            metadata: { name: 'later', namespace: 'app' },
            roleRef: { kind: 'Role', name: 'not-yet' },
            subjects: [{ kind: 'ServiceAccount', name: 'default' }],
          },
        ],
      }),
    );
    expect(out).toEqual([
      'k8s-wildcard-role k8s:prod:clusterrole:ops-all high',
      'k8s-binding-to-everyone k8s:prod:clusterrolebinding:ops-all high',
      'k8s-binding-to-missing-role k8s:prod:app:rolebinding:later medium',
      'k8s-default-service-account-bound k8s:prod:app:rolebinding:later low',
    ]);
  });

  it('flags node-reaching pods with tokens and the namespaces that admit them, not restricted ones', () => {
    const priv = { containers: [{ name: 'c', securityContext: { privileged: true } }] };
    const out = findings(
      cluster({
        pods: [
          pod('agent', 'ops', priv),
          pod('quiet', 'ops', { ...priv, automountServiceAccountToken: false }),
        ],
      }),
    );
    expect(out).toEqual([
      'k8s-node-access-pod-with-token k8s:prod:ops:pod:agent high',
      'k8s-namespace-without-pod-security k8s:prod:ns:ops medium',
    ]);
    expect(findings(cluster({ pods: [pod('x', 'app', priv)] }))).toEqual([
      'k8s-node-access-pod-with-token k8s:prod:app:pod:x high',
    ]);
  });

  it('flags secrets readable cluster-wide, but not for cluster admins', () => {
    const readers = bindTo(
      'readers',
      undefined,
      [{ verbs: ['list'], apiGroups: [''], resources: ['secrets'] }],
      [{ kind: 'User', name: 'dev' }],
    );
    expect(findings(cluster(readers))).toEqual([
      'k8s-secrets-readable-cluster-wide k8s:prod:clusterrolebinding:readers high',
    ]);
    const admins = bindTo(
      'admins',
      undefined,
      [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      [{ kind: 'User', name: 'dev' }],
    );
    expect(findings(cluster(admins)).filter((f) => f.startsWith('k8s-secrets'))).toEqual([]);
  });
});
