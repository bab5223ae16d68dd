import { describe, expect, it } from 'vitest';
import { KubernetesRbacQueries, type RbacWhoCanAnswer } from '../../../src/answers/kubernetes-rbac.js';
import type { KubernetesClusterData } from '../../../src/model/kubernetes/environment.js';
import { parseResourceName } from '../../../src/model/kubernetes/resources.js';
import { emptyCluster } from '../../helpers/kubernetes-cluster.js';

// who-can and can-i over a small cluster built to hold the RBAC subtleties of v1.32: `pods/*`
// matches no request (neither pods nor a subresource: only `*`, an exact name and `*/<sub>` match), resourceNames narrow a rule, a RoleBinding grants only in its namespace
// (and never cluster-scoped resources), exec is asked as `create` and as `get` on pods/exec.

const cluster: KubernetesClusterData = emptyCluster({
  namespaces: [{ metadata: { name: 'app' } }, { metadata: { name: 'ops' } }],
  serviceAccounts: [
    { metadata: { name: 'web', namespace: 'app' } },
    { metadata: { name: 'ci', namespace: 'ops' } },
  ],
  roles: [
    {
      metadata: { name: 'sub-only', namespace: 'app' },
      rules: [
        { verbs: ['get', 'create'], apiGroups: [''], resources: ['pods/*'] },
        { verbs: ['get'], apiGroups: [''], resources: ['*/log'] },
      ],
    },
    {
      metadata: { name: 'one-secret', namespace: 'app' },
      rules: [{ verbs: ['get', 'list'], apiGroups: [''], resources: ['secrets'], resourceNames: ['db'] }],
    },
  ],
  clusterRoles: [
    {
      metadata: { name: 'exec' },
      rules: [
        { verbs: ['get'], apiGroups: [''], resources: ['pods'] },
        { verbs: ['get'], apiGroups: [''], resources: ['pods/exec'] },
      ],
    },
    { metadata: { name: 'node-reader' }, rules: [{ verbs: ['get'], apiGroups: [''], resources: ['nodes'] }] },
  ],
  roleBindings: [
    {
      metadata: { name: 'sub-only', namespace: 'app' },
      roleRef: { kind: 'Role', name: 'sub-only' },
      subjects: [{ kind: 'User', name: 'sam' }],
    },
    {
      metadata: { name: 'one-secret', namespace: 'app' },
      roleRef: { kind: 'Role', name: 'one-secret' },
      subjects: [{ kind: 'ServiceAccount', name: 'web' }],
    },
    {
      metadata: { name: 'exec', namespace: 'ops' },
      roleRef: { kind: 'ClusterRole', name: 'exec' },
      subjects: [{ kind: 'Group', name: 'operators' }],
    },
    {
      metadata: { name: 'node-reader', namespace: 'ops' },
      roleRef: { kind: 'ClusterRole', name: 'node-reader' },
      subjects: [{ kind: 'ServiceAccount', name: 'ci', namespace: 'ops' }],
    },
  ],
  userGroups: { olga: ['operators'] },
});

const queries = new KubernetesRbacQueries([cluster]);
const who = (answers: RbacWhoCanAnswer[]) =>
  answers.map((a) =>
    [
      `${a.subject.kind}:${a.subject.namespace ? `${a.subject.namespace}/` : ''}${a.subject.name}`,
      a.through ? `${a.through.kind}:${a.through.name}` : '',
      a.grant ? `${a.grant.binding.name}#${a.grant.ruleIndex}` : 'masters',
    ].join(' '),
  );

describe('Kubernetes who-can', () => {
  it('pods/* matches neither pods nor its subresources; */log matches the log of any resource', () => {
    const get = (resource: string) => who(queries.whoCan({ verb: 'get', resource, namespace: 'app' }));
    expect(get('pods')).toEqual(['Group:system:masters  masters']);
    expect(get('pods/exec')).toEqual(['Group:system:masters  masters']);
    expect(get('pods/log')).toEqual(['Group:system:masters  masters', 'User:sam  sub-only#1']);
  });

  it('resourceNames narrow a rule: get on that name only, never list', () => {
    const get = (name: string) =>
      queries.whoCan({ verb: 'get', resource: 'secrets', namespace: 'app', name });
    expect(who(get('db'))).toEqual(['Group:system:masters  masters', 'ServiceAccount:app/web  one-secret#0']);
    expect(who(get('other'))).toEqual(['Group:system:masters  masters']);
    expect(who(queries.whoCan({ verb: 'list', resource: 'secrets', namespace: 'app' }))).toEqual([
      'Group:system:masters  masters',
    ]);
  });

  it('a RoleBinding grants only in its namespace, and never a cluster-scoped resource', () => {
    const exec = (namespace: string) => queries.whoCan({ verb: 'get', resource: 'pods/exec', namespace });
    // exec is a GET when it upgrades to a WebSocket: get on pods/exec is exec.
    expect(who(exec('ops'))).toEqual([
      'Group:operators  exec#1',
      'Group:system:masters  masters',
      'User:olga Group:operators exec#1',
    ]);
    expect(who(exec('app'))).toEqual(['Group:system:masters  masters']);
    // A request across all namespaces: no RoleBinding applies.
    expect(who(queries.whoCan({ verb: 'get', resource: 'pods/exec' }))).toEqual([
      'Group:system:masters  masters',
    ]);
    expect(who(queries.whoCan({ verb: 'get', resource: 'nodes' }))).toEqual([
      'Group:system:masters  masters',
    ]);
    expect(() => queries.whoCan({ verb: 'get', resource: 'nodes', namespace: 'ops' })).toThrow(
      'nodes is cluster-scoped: leave out -n/--namespace',
    );
  });

  it('names bad input', () => {
    expect(() => queries.whoCan({ verb: 'get', resource: 'widgets' })).toThrow('RESOURCE.GROUP');
    expect(() => queries.whoCan({ verb: 'get', resource: 'pods', cluster: 'staging' })).toThrow(
      '--cluster: no cluster named "staging" (known: prod)',
    );
    expect(parseResourceName('deployments.apps/scale')).toEqual({
      resource: 'deployments',
      apiGroup: 'apps',
      subresource: 'scale',
      namespaced: true,
    });
    expect(parseResourceName('widgets.example.com').namespaced).toBeUndefined();
  });
});

describe('Kubernetes can-i', () => {
  it("lists a service account's rights with its implicit groups, where they hold", () => {
    const [right, ...rest] = queries.canI({ as: 'system:serviceaccount:app:web' });
    expect(rest).toEqual([]);
    expect(right?.user).toEqual({
      name: 'system:serviceaccount:app:web',
      groups: ['system:serviceaccounts', 'system:serviceaccounts:app', 'system:authenticated'],
    });
    expect(right).toMatchObject({
      namespace: 'app',
      grant: { binding: { name: 'one-secret' }, ruleIndex: 0 },
    });
  });

  it("places a user in the users file's groups, and adds --as-group", () => {
    const olga = queries.canI({ as: 'olga' });
    expect(olga.map((r) => [r.namespace, r.through?.name, r.grant?.ruleIndex])).toEqual([
      ['ops', 'operators', 0],
      ['ops', 'operators', 1],
    ]);
    expect(queries.canI({ as: 'nobody' })).toEqual([]);
    expect(queries.canI({ as: 'nobody', groups: ['system:masters'] })).toMatchObject([
      { masters: true, namespace: null, grant: null },
    ]);
  });
});
