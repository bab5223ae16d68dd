import { builtInResource } from '../../model/kubernetes/resources.js';
import type { UsedPair } from './aws-policy.js';

/** One RBAC PolicyRule (https://kubernetes.io/docs/reference/kubernetes-api/authorization-resources/role-v1/#Role). */
export interface PolicyRule {
  apiGroups?: string[];
  resources?: string[];
  resourceNames?: string[];
  nonResourceURLs?: string[];
  verbs: string[];
}

export interface RbacObject {
  apiVersion: 'rbac.authorization.k8s.io/v1';
  kind: 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';
  metadata: { name: string; namespace?: string };
  rules?: PolicyRule[];
  roleRef?: { apiGroup: 'rbac.authorization.k8s.io'; kind: 'Role' | 'ClusterRole'; name: string };
  subjects?: { kind: string; name: string; namespace?: string; apiGroup?: string }[];
}

/** A logged request, read back: verb, API group, resource (with subresource), namespace, object name. */
export interface K8sRequest {
  verb: string;
  apiGroup: string;
  resource: string;
  namespace: string | null;
  name: string | null;
  nonResourceURL?: string;
}

/** Cluster-scoped kinds whose node ids carry no namespace (model/kubernetes/ids.ts). */
const CLUSTER_ID_KINDS = new Set(['ns', 'node', 'clusterrole', 'clusterrolebinding', 'user', 'group']);

/**
 * A logged Kubernetes action and resource, as the audit reader writes them (`get secrets`,
 * `create pods/exec`, `patch apps/deployments`, `get /healthz`; node ids for the kinds the graph
 * models, `namespace/name`, `name` when cluster-scoped, the namespace alone for a collection in it),
 * read back as a request.
 */
export function k8sRequestOf(action: string, resource: string | null): K8sRequest | undefined {
  const [verb = '', path = ''] = action.split(' ');
  if (!verb || !path) return undefined;
  if (path.startsWith('/'))
    return { verb, apiGroup: '', resource: '', namespace: null, name: null, nonResourceURL: path };
  const parts = path.split('/');
  // `pods/exec` is the core group's resource and subresource; `apps/deployments` a group's resource.
  const core = parts.length === 2 && builtInResource(parts[0] as string)?.group === '';
  const [apiGroup, kind, sub] =
    parts.length === 1 ? ['', parts[0], undefined] : core ? ['', parts[0], parts[1]] : parts;
  const name = `${kind}${sub ? `/${sub}` : ''}`;
  const namespaced = builtInResource(kind as string)?.namespaced ?? true;
  let namespace: string | null = null;
  let object: string | null = null;
  if (resource?.startsWith('k8s:')) {
    const [, , a = '', b = '', ...rest] = resource.split(':');
    if (CLUSTER_ID_KINDS.has(a)) object = [b, ...rest].join(':');
    else {
      namespace = a;
      object = rest.join(':');
    }
  } else if (resource?.includes('/')) {
    [namespace = null, object = null] = resource.split('/');
  } else if (resource) {
    if (namespaced) namespace = resource;
    else object = resource;
  }
  return { verb, apiGroup: apiGroup ?? '', resource: name, namespace, name: object };
}

/**
 * Verbs that `resourceNames` can narrow: a create names no object yet, and list, watch and
 * deletecollection act on a collection (https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources).
 */
const NAMEABLE = new Set(['get', 'update', 'patch', 'delete']);

/**
 * The rules of one scope from its requests: one rule per API group, resource and kind of verb, named
 * objects as `resourceNames` where a request named one and the verb can be narrowed so, and rules that
 * differ only by resource merged into one.
 */
export function rulesOf(requests: K8sRequest[]): PolicyRule[] {
  const keyed = new Map<
    string,
    { apiGroup: string; resource: string; verbs: Set<string>; names: Set<string> }
  >();
  const urls = new Map<string, Set<string>>();
  for (const r of requests) {
    if (r.nonResourceURL) {
      urls.set(r.nonResourceURL, (urls.get(r.nonResourceURL) ?? new Set()).add(r.verb));
      continue;
    }
    const named = NAMEABLE.has(r.verb) && r.name !== null;
    const key = `${r.apiGroup}|${r.resource}|${named}`;
    const entry = keyed.get(key) ?? {
      apiGroup: r.apiGroup,
      resource: r.resource,
      verbs: new Set(),
      names: new Set(),
    };
    entry.verbs.add(r.verb);
    if (named) entry.names.add(r.name as string);
    keyed.set(key, entry);
  }
  const merged = new Map<string, PolicyRule>();
  for (const e of keyed.values()) {
    const verbs = [...e.verbs].sort();
    const names = [...e.names].sort();
    const key = `${e.apiGroup}|${verbs.join(',')}|${names.join(',')}`;
    const rule = merged.get(key);
    if (rule && names.length === 0) rule.resources = [...(rule.resources ?? []), e.resource].sort();
    else
      merged.set(names.length ? `${key}|${e.resource}` : key, {
        apiGroups: [e.apiGroup],
        resources: [e.resource],
        ...(names.length ? { resourceNames: names } : {}),
        verbs,
      });
  }
  const rules = [...merged.values()].sort((a, b) =>
    `${a.apiGroups?.[0]}/${a.resources?.[0]}`.localeCompare(`${b.apiGroups?.[0]}/${b.resources?.[0]}`),
  );
  for (const [url, verbs] of [...urls].sort(([a], [b]) => a.localeCompare(b)))
    rules.push({ nonResourceURLs: [url], verbs: [...verbs].sort() });
  return rules;
}

/** The subject an identity id stands for in a binding. */
function subjectOf(identity: string): RbacObject['subjects'] {
  const sa = /^k8s:[^:]+:([^:]+):sa:(.+)$/.exec(identity);
  if (sa) return [{ kind: 'ServiceAccount', name: sa[2] as string, namespace: sa[1] as string }];
  const user = /^k8s:[^:]+:(user|group):(.+)$/.exec(identity);
  if (user)
    return [
      {
        kind: user[1] === 'user' ? 'User' : 'Group',
        name: user[2] as string,
        apiGroup: 'rbac.authorization.k8s.io',
      },
    ];
  const node = /^k8s:[^:]+:node:(.+)$/.exec(identity);
  if (node) return [{ kind: 'User', name: `system:node:${node[1]}`, apiGroup: 'rbac.authorization.k8s.io' }];
  return [];
}

/**
 * A least-privilege Role per namespace used and a ClusterRole for what a namespace cannot hold
 * (cluster-scoped resources, requests across every namespace, non-resource URLs), each with the
 * binding to the identity (pure). Only successful requests are kept, and nothing is wildcarded, so
 * the proposal is never wider than what the API server authorized.
 */
export function proposeK8sRoles(identity: string, used: UsedPair[]): RbacObject[] {
  const byScope = new Map<string, K8sRequest[]>();
  for (const u of used) {
    const request = k8sRequestOf(u.action, u.resource);
    if (!request) continue;
    const clusterWide =
      request.nonResourceURL !== undefined ||
      request.namespace === null ||
      builtInResource(request.resource.split('/')[0] as string)?.namespaced === false;
    const scope = clusterWide ? '' : (request.namespace as string);
    byScope.set(scope, [...(byScope.get(scope) ?? []), request]);
  }
  const base = `least-privilege-${identity.split(':').at(-1)}`;
  const subjects = subjectOf(identity);
  const objects: RbacObject[] = [];
  for (const [scope, requests] of [...byScope].sort(([a], [b]) => a.localeCompare(b))) {
    const kind = scope ? 'Role' : 'ClusterRole';
    const metadata = scope ? { name: base, namespace: scope } : { name: base };
    objects.push({ apiVersion: 'rbac.authorization.k8s.io/v1', kind, metadata, rules: rulesOf(requests) });
    objects.push({
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: scope ? 'RoleBinding' : 'ClusterRoleBinding',
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind, name: base },
      ...(subjects?.length ? { subjects } : {}),
    });
  }
  return objects;
}
