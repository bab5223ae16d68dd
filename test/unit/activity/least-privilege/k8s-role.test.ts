import { describe, expect, it } from 'vitest';
import { k8sRequestOf, proposeK8sRoles } from '../../../../src/activity/least-privilege/k8s-role.js';

const SA = 'k8s:prod:payments:sa:api';

describe('a Kubernetes least-privilege Role', () => {
  it('reads back the audit reader’s actions and resources', () => {
    expect(k8sRequestOf('get secrets', 'k8s:prod:payments:secret:db')).toEqual({
      verb: 'get',
      apiGroup: '',
      resource: 'secrets',
      namespace: 'payments',
      name: 'db',
    });
    expect(k8sRequestOf('create pods/exec', 'k8s:prod:payments:pod:api-1')).toMatchObject({
      apiGroup: '',
      resource: 'pods/exec',
      name: 'api-1',
    });
    expect(k8sRequestOf('patch apps/deployments', 'k8s:prod:payments:deployment:api')).toMatchObject({
      apiGroup: 'apps',
      resource: 'deployments',
      namespace: 'payments',
    });
    expect(k8sRequestOf('list configmaps', 'payments')).toMatchObject({ namespace: 'payments', name: null });
    expect(k8sRequestOf('get nodes', 'k8s:prod:node:n1')).toMatchObject({ namespace: null, name: 'n1' });
    expect(k8sRequestOf('get /healthz', null)).toMatchObject({ nonResourceURL: '/healthz' });
  });

  it('writes a Role per namespace and a ClusterRole for the rest, with bindings to the identity', () => {
    const objects = proposeK8sRoles(SA, [
      { action: 'get secrets', resource: 'k8s:prod:payments:secret:db' },
      { action: 'get secrets', resource: 'k8s:prod:payments:secret:api-key' },
      { action: 'list configmaps', resource: 'payments' },
      { action: 'watch configmaps', resource: 'payments' },
      { action: 'list pods', resource: 'payments' },
      { action: 'watch pods', resource: 'payments' },
      { action: 'create pods/exec', resource: 'k8s:prod:payments:pod:api-1' },
      { action: 'get nodes', resource: 'k8s:prod:node:n1' },
      { action: 'get /healthz', resource: null },
    ]);
    expect(objects.map((o) => [o.kind, o.metadata])).toEqual([
      ['ClusterRole', { name: 'least-privilege-api' }],
      ['ClusterRoleBinding', { name: 'least-privilege-api' }],
      ['Role', { name: 'least-privilege-api', namespace: 'payments' }],
      ['RoleBinding', { name: 'least-privilege-api', namespace: 'payments' }],
    ]);
    expect(objects[0]?.rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], resourceNames: ['n1'], verbs: ['get'] },
      { nonResourceURLs: ['/healthz'], verbs: ['get'] },
    ]);
    expect(objects[2]?.rules).toEqual([
      { apiGroups: [''], resources: ['configmaps', 'pods'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['pods/exec'], verbs: ['create'] },
      { apiGroups: [''], resources: ['secrets'], resourceNames: ['api-key', 'db'], verbs: ['get'] },
    ]);
    expect(objects[3]?.subjects).toEqual([{ kind: 'ServiceAccount', name: 'api', namespace: 'payments' }]);
  });
});
