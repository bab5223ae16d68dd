import type { Subject, UserInfo } from '../../../model/kubernetes/rbac.js';

/**
 * Who a credential authenticates as, with the groups the API server adds on its own
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#users-in-kubernetes,
 * https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects): every
 * authenticated requester is in `system:authenticated`; a service account is the user
 * `system:serviceaccount:<ns>:<name>` in `system:serviceaccounts` and `system:serviceaccounts:<ns>`; a
 * kubelet is `system:node:<name>` in `system:nodes`; an anonymous request is `system:anonymous` in
 * `system:unauthenticated`.
 */
export type Requester =
  | { kind: 'ServiceAccount'; namespace: string; name: string }
  | { kind: 'User'; name: string; groups?: readonly string[] }
  | { kind: 'Node'; name: string }
  | { kind: 'Anonymous' };

export const AUTHENTICATED = 'system:authenticated';
export const UNAUTHENTICATED = 'system:unauthenticated';
export const MASTERS = 'system:masters';

export function serviceAccountUser(namespace: string, name: string): string {
  return `system:serviceaccount:${namespace}:${name}`;
}

export function userInfoOf(requester: Requester): UserInfo {
  switch (requester.kind) {
    case 'ServiceAccount':
      return {
        name: serviceAccountUser(requester.namespace, requester.name),
        groups: ['system:serviceaccounts', `system:serviceaccounts:${requester.namespace}`, AUTHENTICATED],
      };
    case 'Node':
      return { name: `system:node:${requester.name}`, groups: ['system:nodes', AUTHENTICATED] };
    case 'Anonymous':
      return { name: 'system:anonymous', groups: [UNAUTHENTICATED] };
    case 'User':
      return { name: requester.name, groups: [...new Set([...(requester.groups ?? []), AUTHENTICATED])] };
  }
}

/**
 * Does a binding's subject name this requester? Users by name, groups by membership, service
 * accounts by their user name; a ServiceAccount subject without a namespace takes the binding's
 * namespace, so in a ClusterRoleBinding it names nobody (kubernetes v1.32
 * pkg/registry/rbac/validation/rule.go `appliesToUser`).
 */
export function subjectApplies(
  subject: Subject,
  user: UserInfo,
  bindingNamespace: string | undefined,
): boolean {
  switch (subject.kind) {
    case 'User':
      return subject.name === user.name;
    case 'Group':
      return user.groups.includes(subject.name);
    case 'ServiceAccount': {
      const namespace = subject.namespace || bindingNamespace;
      return (
        namespace !== undefined &&
        namespace !== '' &&
        serviceAccountUser(namespace, subject.name) === user.name
      );
    }
    default:
      return false;
  }
}
