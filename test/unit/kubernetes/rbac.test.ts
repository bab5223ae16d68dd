import { describe, expect, it } from 'vitest';
import {
  covers,
  effectiveClusterRoleRules,
  type PolicyRule,
  RbacAuthorizer,
  type RbacObjects,
  ruleAllows,
  selects,
  uncovered,
  userInfoOf,
} from '../../../src/analyzers/kubernetes/rbac/index.js';

const pods = (verb: string, extra: Record<string, string> = {}) => ({
  verb,
  apiGroup: '',
  resource: 'pods',
  namespace: 'dev',
  ...extra,
});

describe('rule matching (RuleAllows)', () => {
  const rule = (r: Partial<PolicyRule>): PolicyRule => ({
    verbs: ['get'],
    apiGroups: [''],
    resources: ['pods'],
    ...r,
  });

  it('matches verbs and API groups by `*` or exactly', () => {
    expect(ruleAllows(rule({ verbs: ['*'] }), pods('delete'))).toBe(true);
    expect(ruleAllows(rule({}), pods('list'))).toBe(false);
    expect(ruleAllows(rule({ apiGroups: ['apps'] }), pods('get'))).toBe(false);
    expect(ruleAllows(rule({ apiGroups: ['*'] }), pods('get'))).toBe(true);
  });

  it('`*` matches resources and subresources; a resource does not match its subresources', () => {
    expect(ruleAllows(rule({ resources: ['*'] }), pods('get', { subresource: 'exec' }))).toBe(true);
    expect(ruleAllows(rule({}), pods('get', { subresource: 'log' }))).toBe(false);
    expect(ruleAllows(rule({ resources: ['pods/log'] }), pods('get', { subresource: 'log' }))).toBe(true);
    expect(ruleAllows(rule({ resources: ['pods/log'] }), pods('get'))).toBe(false);
  });

  it('`*/sub` matches that subresource of any resource; `pods/*` is no pattern', () => {
    const scale = {
      verb: 'update',
      apiGroup: 'apps',
      resource: 'deployments',
      subresource: 'scale',
      namespace: 'dev',
    };
    expect(ruleAllows(rule({ verbs: ['update'], apiGroups: ['apps'], resources: ['*/scale'] }), scale)).toBe(
      true,
    );
    expect(ruleAllows(rule({ verbs: ['update'], apiGroups: ['apps'], resources: ['*/status'] }), scale)).toBe(
      false,
    );
    const exec = pods('create', { subresource: 'exec' });
    expect(ruleAllows(rule({ verbs: ['create'], resources: ['pods/*'] }), exec)).toBe(false);
    expect(ruleAllows(rule({ verbs: ['create'], resources: ['pods/*'] }), pods('create'))).toBe(false);
  });

  it('resourceNames narrow the rule, and requests without a name never match them', () => {
    const named = rule({ resources: ['secrets'], resourceNames: ['db'], verbs: ['get', 'list'] });
    const secret = (verb: string, name?: string) => ({
      verb,
      apiGroup: '',
      resource: 'secrets',
      namespace: 'dev',
      ...(name ? { name } : {}),
    });
    expect(ruleAllows(named, secret('get', 'db'))).toBe(true);
    expect(ruleAllows(named, secret('get', 'other'))).toBe(false);
    expect(ruleAllows(named, secret('list'))).toBe(false);
  });

  it('non-resource URLs match `*`, exactly, or by a prefix ending in `*`', () => {
    const urls = { verbs: ['get'], nonResourceURLs: ['/healthz', '/metrics/*'] };
    expect(ruleAllows(urls, { verb: 'get', path: '/healthz' })).toBe(true);
    expect(ruleAllows(urls, { verb: 'get', path: '/healthz/ready' })).toBe(false);
    expect(ruleAllows(urls, { verb: 'get', path: '/metrics/cadvisor' })).toBe(true);
    expect(ruleAllows({ verbs: ['*'], nonResourceURLs: ['*'] }, { verb: 'post', path: '/anything' })).toBe(
      true,
    );
    // A resource rule says nothing about URLs.
    expect(ruleAllows(rule({ resources: ['*'] }), { verb: 'get', path: '/healthz' })).toBe(false);
  });
});

describe('label selectors', () => {
  it('ANDs matchLabels and expressions; an empty selector selects everything', () => {
    const labels = { tier: 'web', env: 'prod' };
    expect(selects({}, labels)).toBe(true);
    expect(selects({ matchLabels: { tier: 'web' } }, labels)).toBe(true);
    expect(selects({ matchLabels: { tier: 'web', env: 'dev' } }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'env', operator: 'In', values: ['prod'] }] }, labels)).toBe(
      true,
    );
    expect(selects({ matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['prod'] }] }, labels)).toBe(
      false,
    );
    expect(selects({ matchExpressions: [{ key: 'x', operator: 'NotIn', values: ['a'] }] }, labels)).toBe(
      true,
    );
    expect(selects({ matchExpressions: [{ key: 'x', operator: 'Exists' }] }, labels)).toBe(false);
    expect(selects({ matchExpressions: [{ key: 'x', operator: 'DoesNotExist' }] }, labels)).toBe(true);
    expect(selects({ matchExpressions: [{ key: 'env', operator: 'Bogus' }] }, labels)).toBe(false);
  });
});

describe('aggregated ClusterRoles', () => {
  it('are the union of the selected roles, computed from labels, not the stale rules field', () => {
    const rules = effectiveClusterRoleRules([
      {
        metadata: { name: 'monitoring' },
        aggregationRule: {
          clusterRoleSelectors: [{ matchLabels: { 'rbac.example.com/aggregate-to-monitoring': 'true' } }],
        },
        rules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
      },
      {
        metadata: {
          name: 'monitoring-endpoints',
          labels: { 'rbac.example.com/aggregate-to-monitoring': 'true' },
        },
        rules: [
          { verbs: ['get', 'list', 'watch'], apiGroups: [''], resources: ['services', 'endpoints', 'pods'] },
        ],
      },
      {
        metadata: { name: 'unrelated' },
        rules: [{ verbs: ['delete'], apiGroups: [''], resources: ['pods'] }],
      },
    ]);
    expect(rules.get('monitoring')).toEqual([
      {
        rule: {
          verbs: ['get', 'list', 'watch'],
          apiGroups: [''],
          resources: ['services', 'endpoints', 'pods'],
        },
        aggregatedFrom: 'monitoring-endpoints',
      },
    ]);
  });

  it('follow aggregating roles that select each other to a fixed point', () => {
    const read = { verbs: ['get'], apiGroups: [''], resources: ['pods'] };
    const write = { verbs: ['create'], apiGroups: [''], resources: ['pods'] };
    const rules = effectiveClusterRoleRules([
      {
        metadata: { name: 'admin' },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { to: 'admin' } }] },
      },
      {
        metadata: { name: 'edit', labels: { to: 'admin' } },
        aggregationRule: { clusterRoleSelectors: [{ matchLabels: { to: 'edit' } }] },
      },
      { metadata: { name: 'edit-pods', labels: { to: 'edit' } }, rules: [write] },
      { metadata: { name: 'view-pods', labels: { to: 'admin' } }, rules: [read] },
    ]);
    expect(rules.get('edit')?.map((r) => r.rule)).toEqual([write]);
    expect(rules.get('admin')?.map((r) => r.rule)).toEqual([write, read]);
  });
});

const objects: RbacObjects = {
  clusterRoles: [
    {
      metadata: { name: 'pod-reader' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] }],
    },
    { metadata: { name: 'node-reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }] },
    { metadata: { name: 'healthz' }, rules: [{ verbs: ['get'], nonResourceURLs: ['/healthz'] }] },
    {
      metadata: { name: 'binder' },
      rules: [
        {
          verbs: ['bind'],
          apiGroups: ['rbac.authorization.k8s.io'],
          resources: ['clusterroles'],
          resourceNames: ['node-reader'],
        },
      ],
    },
    {
      metadata: { name: 'escalator' },
      rules: [{ verbs: ['escalate'], apiGroups: ['rbac.authorization.k8s.io'], resources: ['roles'] }],
    },
  ],
  roles: [
    {
      metadata: { name: 'secrets', namespace: 'dev' },
      rules: [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }],
    },
  ],
  roleBindings: [
    {
      metadata: { name: 'read-pods', namespace: 'dev' },
      roleRef: { kind: 'ClusterRole', name: 'pod-reader', apiGroup: 'rbac.authorization.k8s.io' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci' }],
    },
    {
      metadata: { name: 'nodes-in-dev', namespace: 'dev' },
      roleRef: { kind: 'ClusterRole', name: 'node-reader' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
    {
      metadata: { name: 'health-in-dev', namespace: 'dev' },
      roleRef: { kind: 'ClusterRole', name: 'healthz' },
      subjects: [{ kind: 'User', name: 'alice' }],
    },
    {
      metadata: { name: 'dangling', namespace: 'dev' },
      roleRef: { kind: 'Role', name: 'not-yet' },
      subjects: [{ kind: 'Group', name: 'system:authenticated' }],
    },
    {
      metadata: { name: 'escalate-in-dev', namespace: 'dev' },
      roleRef: { kind: 'ClusterRole', name: 'escalator' },
      subjects: [{ kind: 'User', name: 'erin' }],
    },
  ],
  clusterRoleBindings: [
    {
      metadata: { name: 'all-sa-read-pods' },
      roleRef: { kind: 'ClusterRole', name: 'pod-reader' },
      subjects: [{ kind: 'Group', name: 'system:serviceaccounts:ops' }],
    },
    {
      metadata: { name: 'sa-without-namespace' },
      roleRef: { kind: 'ClusterRole', name: 'node-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci' }],
    },
    {
      metadata: { name: 'bob-binds' },
      roleRef: { kind: 'ClusterRole', name: 'binder' },
      subjects: [{ kind: 'User', name: 'bob' }],
    },
    {
      metadata: { name: 'carol-nodes' },
      roleRef: { kind: 'ClusterRole', name: 'node-reader' },
      subjects: [{ kind: 'User', name: 'carol' }],
    },
  ],
};

describe('RbacAuthorizer', () => {
  const rbac = new RbacAuthorizer(objects);
  const ci = userInfoOf({ kind: 'ServiceAccount', namespace: 'dev', name: 'ci' });
  const alice = userInfoOf({ kind: 'User', name: 'alice' });

  it('a RoleBinding grants its ClusterRole only in its namespace, with the binding, role and rule as evidence', () => {
    const decision = rbac.decide(ci, pods('list'));
    expect(decision.allowed).toBe(true);
    expect(decision.grants).toEqual([
      {
        binding: { kind: 'RoleBinding', name: 'read-pods', namespace: 'dev' },
        role: { kind: 'ClusterRole', name: 'pod-reader' },
        ruleIndex: 0,
        rule: { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods'] },
        subject: { kind: 'ServiceAccount', name: 'ci' },
      },
    ]);
    expect(rbac.decide(ci, pods('list', { namespace: 'prod' })).allowed).toBe(false);
    expect(rbac.decide(ci, { verb: 'list', apiGroup: '', resource: 'pods' }).allowed).toBe(false);
  });

  it('a RoleBinding never grants cluster-scoped resources or non-resource URLs', () => {
    expect(rbac.decide(alice, { verb: 'get', apiGroup: '', resource: 'nodes', name: 'n1' }).allowed).toBe(
      false,
    );
    expect(rbac.decide(alice, { verb: 'get', path: '/healthz' }).allowed).toBe(false);
    const carol = userInfoOf({ kind: 'User', name: 'carol' });
    expect(rbac.decide(carol, { verb: 'get', apiGroup: '', resource: 'nodes', name: 'n1' }).allowed).toBe(
      true,
    );
  });

  it('a ServiceAccount subject without a namespace names nobody in a ClusterRoleBinding', () => {
    expect(rbac.decide(ci, { verb: 'get', apiGroup: '', resource: 'nodes', name: 'n1' }).allowed).toBe(false);
    expect(
      rbac.whoCan({ verb: 'get', apiGroup: '', resource: 'nodes', name: 'n1' }).map((g) => g.subject),
    ).toEqual([{ kind: 'User', name: 'carol' }]);
  });

  it('applies the implicit groups of service accounts', () => {
    const sa = userInfoOf({ kind: 'ServiceAccount', namespace: 'ops', name: 'any' });
    expect(sa.groups).toEqual([
      'system:serviceaccounts',
      'system:serviceaccounts:ops',
      'system:authenticated',
    ]);
    expect(rbac.decide(sa, pods('get', { namespace: 'kube-system' })).allowed).toBe(true);
  });

  it('who-can names subjects with the RoleBinding namespace filled in', () => {
    const who = rbac.whoCan(pods('get'));
    expect(who.map((g) => [g.binding.name, g.subject])).toEqual([
      ['all-sa-read-pods', { kind: 'Group', name: 'system:serviceaccounts:ops' }],
      ['read-pods', { kind: 'ServiceAccount', name: 'ci', namespace: 'dev' }],
    ]);
  });

  it('a binding to a missing role grants nothing and is reported', () => {
    const anyone = userInfoOf({ kind: 'User', name: 'zed' });
    expect(rbac.rulesFor(anyone, 'dev')).toEqual([]);
    expect(rbac.danglingBindings()).toEqual([
      {
        binding: { kind: 'RoleBinding', name: 'dangling', namespace: 'dev' },
        roleRef: { kind: 'Role', name: 'not-yet' },
      },
    ]);
  });

  it('system:masters is allowed everything before RBAC', () => {
    const admin = userInfoOf({ kind: 'User', name: 'root', groups: ['system:masters'] });
    expect(rbac.decide(admin, { verb: 'delete', apiGroup: '', resource: 'nodes', name: 'n1' })).toEqual({
      allowed: true,
      masters: true,
      grants: [],
    });
  });

  it('binding a role needs `bind` on it or every permission it grants in that scope', () => {
    const bob = userInfoOf({ kind: 'User', name: 'bob' });
    const carol = userInfoOf({ kind: 'User', name: 'carol' });
    const nodeReader = { kind: 'ClusterRole', name: 'node-reader' };
    expect(rbac.bindingAllowed(bob, nodeReader)).toBe('bind');
    expect(rbac.bindingAllowed(bob, { kind: 'ClusterRole', name: 'pod-reader' })).toBeUndefined();
    expect(rbac.bindingAllowed(carol, nodeReader)).toBe('holds-all');
    expect(rbac.bindingAllowed(carol, { kind: 'ClusterRole', name: 'missing' })).toBeUndefined();
    // In dev, ci holds pod-reader through its RoleBinding; cluster-wide it does not.
    expect(rbac.bindingAllowed(ci, { kind: 'ClusterRole', name: 'pod-reader' }, 'dev')).toBe('holds-all');
    expect(rbac.bindingAllowed(ci, { kind: 'ClusterRole', name: 'pod-reader' })).toBeUndefined();
  });

  it('writing a role needs `escalate` or holding its rules', () => {
    const erin = userInfoOf({ kind: 'User', name: 'erin' });
    const admin = [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }];
    expect(rbac.roleWriteAllowed(erin, admin, 'dev')).toBe('escalate');
    expect(rbac.roleWriteAllowed(erin, admin, 'prod')).toBeUndefined();
    expect(rbac.roleWriteAllowed(ci, [{ verbs: ['get'], apiGroups: [''], resources: ['pods'] }], 'dev')).toBe(
      'holds-all',
    );
  });
});

describe('covers (escalation prevention)', () => {
  it('breaks rules into atoms and covers each with one owner rule', () => {
    const owner = [
      { verbs: ['get', 'list'], apiGroups: [''], resources: ['pods', '*/log'] },
      { verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a', 'b'] },
      { verbs: ['get'], nonResourceURLs: ['/metrics/*'] },
    ];
    expect(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['pods', 'pods/log'] }])).toBe(true);
    expect(
      covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'], resourceNames: ['a'] }]),
    ).toBe(true);
    expect(covers(owner, [{ verbs: ['get'], apiGroups: [''], resources: ['secrets'] }])).toBe(false);
    expect(covers(owner, [{ verbs: ['get'], nonResourceURLs: ['/metrics/x'] }])).toBe(true);
    expect(uncovered(owner, [{ verbs: ['get', 'delete'], apiGroups: [''], resources: ['pods'] }])).toEqual([
      { verbs: ['delete'], apiGroups: [''], resources: ['pods'] },
    ]);
    expect(
      covers(
        [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        [{ verbs: ['escalate'], apiGroups: ['x'], resources: ['y/z'] }],
      ),
    ).toBe(true);
  });
});
