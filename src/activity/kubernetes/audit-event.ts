import { k8sIds, userNameNode, type WorkloadKind } from '../../model/kubernetes/ids.js';
import { type Shape, shapeProblem } from '../json-shape.js';
import type { ActivityRow } from '../parsed-ingest.js';

/**
 * The `audit.k8s.io/v1` Event fields activity reads
 * (https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-Event). Every
 * other field is ignored; one of these with the wrong JSON type makes the event malformed.
 */
export const K8S_AUDIT_EVENT: Shape = {
  kind: 'string',
  apiVersion: 'string',
  auditID: 'string',
  stage: 'string',
  requestURI: 'string',
  verb: 'string',
  user: { username: 'string' },
  impersonatedUser: { username: 'string' },
  sourceIPs: ['string'],
  userAgent: 'string',
  objectRef: {
    resource: 'string',
    namespace: 'string',
    name: 'string',
    apiGroup: 'string',
    subresource: 'string',
  },
  responseStatus: { code: 'string' },
  requestReceivedTimestamp: 'string',
  stageTimestamp: 'string',
};

type AuditEvent = {
  kind?: string;
  auditID?: string;
  stage?: string;
  requestURI?: string;
  verb?: string;
  user?: { username?: string };
  impersonatedUser?: { username?: string };
  sourceIPs?: string[];
  userAgent?: string;
  objectRef?: {
    resource?: string;
    namespace?: string;
    name?: string;
    apiGroup?: string;
    subresource?: string;
  };
  responseStatus?: { code?: number | string };
  requestReceivedTimestamp?: string;
  stageTimestamp?: string;
};

/**
 * The outcome of a request from its `responseStatus.code` (an HTTP status): 401 and 403 are refusals
 * (authentication or authorization), any other 4xx/5xx an error, the rest (or no status) a success.
 */
export function k8sOutcome(code: number | string | undefined): ActivityRow['outcome'] {
  const n = code === undefined || code === null ? 200 : Number(code);
  if (n === 401 || n === 403) return 'denied';
  return n >= 400 ? 'error' : 'success';
}

/**
 * The action of a request: its verb and what it acted on, `apiGroup/resource/subresource` (the core
 * group has no name): `get secrets`, `create pods/exec`, `patch apps/deployments`; a non-resource
 * request, the verb and the URL path (`get /healthz`).
 */
export function k8sAction(event: AuditEvent): string | null {
  const verb = event.verb ?? '';
  const ref = event.objectRef;
  if (ref?.resource)
    return `${verb} ${[ref.apiGroup, ref.resource, ref.subresource].filter(Boolean).join('/')}`.trim();
  const path = event.requestURI?.split('?')[0];
  return path ? `${verb} ${path}`.trim() : verb || null;
}

const WORKLOADS: Record<string, WorkloadKind> = {
  'apps/deployments': 'Deployment',
  'apps/daemonsets': 'DaemonSet',
  'apps/statefulsets': 'StatefulSet',
  'apps/replicasets': 'ReplicaSet',
  'batch/jobs': 'Job',
  'batch/cronjobs': 'CronJob',
};

/**
 * The object a request acted on: the graph's node id for the kinds the Kubernetes provider models
 * (secrets, pods, service accounts, nodes, namespaces, RBAC objects, workloads), so that used and
 * granted compare on the same names; otherwise `namespace/name` (`name` when cluster-scoped, the
 * namespace alone for a collection in one). A subresource (`pods/exec`) acts on its object.
 */
export function k8sResource(cluster: string, ref: AuditEvent['objectRef']): string | null {
  if (!ref) return null;
  const { namespace, name } = ref;
  if (!name) return namespace || null;
  const kind = `${ref.apiGroup ? `${ref.apiGroup}/` : ''}${ref.resource ?? ''}`;
  if (namespace) {
    if (kind === 'secrets') return k8sIds.secret(cluster, namespace, name);
    if (kind === 'pods') return k8sIds.pod(cluster, namespace, name);
    if (kind === 'serviceaccounts') return k8sIds.serviceAccount(cluster, namespace, name);
    if (kind === 'rbac.authorization.k8s.io/roles') return k8sIds.role(cluster, namespace, name);
    if (kind === 'rbac.authorization.k8s.io/rolebindings')
      return k8sIds.roleBinding(cluster, namespace, name);
    const workload = WORKLOADS[kind];
    if (workload) return k8sIds.workload(cluster, namespace, workload, name);
    return `${namespace}/${name}`;
  }
  if (kind === 'nodes') return k8sIds.node(cluster, name);
  if (kind === 'namespaces') return k8sIds.namespace(cluster, name);
  if (kind === 'rbac.authorization.k8s.io/clusterroles') return k8sIds.clusterRole(cluster, name);
  if (kind === 'rbac.authorization.k8s.io/clusterrolebindings')
    return k8sIds.clusterRoleBinding(cluster, name);
  return name;
}

/**
 * The service account a successful `create` made (not a subresource: `serviceaccounts/token` mints a
 * token, it creates no identity), as the graph names it. The name is `objectRef.name`, which the API
 * server fills in for a create once it knows it
 * (https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-ObjectReference).
 */
export function k8sCreated(cluster: string, e: AuditEvent): string | null {
  const ref = e.objectRef;
  if (e.verb !== 'create' || !ref || ref.subresource || ref.apiGroup || ref.resource !== 'serviceaccounts')
    return null;
  if (!ref.namespace || !ref.name || k8sOutcome(e.responseStatus?.code) !== 'success') return null;
  return k8sIds.serviceAccount(cluster, ref.namespace, ref.name);
}

/**
 * One audit event of `cluster` as an activity row
 * (https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/). The API server writes an event per
 * stage of a request (RequestReceived, ResponseStarted for long-running requests, ResponseComplete,
 * Panic), all with the request's `auditID`: only the final stage, `ResponseComplete` or `Panic`, is
 * counted, once per auditID (the event id is `cluster:auditID`); the other stages are not counted.
 * The identity is `user.username`; when the request impersonated another user
 * (https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation) the
 * identity is the impersonated user, whose permissions the request used, and the real actor is kept
 * as `origin`. Resource: `k8sResource`; network from
 * `sourceIPs[0]` (the client, the first of the X-Forwarded-For chain).
 */
export function k8sAuditRow(cluster: string) {
  return (event: Record<string, unknown>): ActivityRow | { malformed: string } | undefined => {
    const problem = shapeProblem(event, K8S_AUDIT_EVENT);
    if (problem) return { malformed: problem };
    const e = event as AuditEvent;
    if (e.kind !== undefined && e.kind !== 'Event')
      return { malformed: `kind ${e.kind} is not an audit Event` };
    if (e.stage !== 'ResponseComplete' && e.stage !== 'Panic') {
      if (e.stage === undefined) return { malformed: 'no stage' };
      return undefined;
    }
    const actor = e.user?.username ? userNameNode(cluster, e.user.username) : undefined;
    const impersonated = e.impersonatedUser?.username
      ? userNameNode(cluster, e.impersonatedUser.username)
      : undefined;
    const effective = impersonated ?? actor;
    return {
      eventId: e.auditID ? `${cluster}:${e.auditID}` : null,
      time: e.requestReceivedTimestamp ?? e.stageTimestamp ?? null,
      account: cluster,
      identity: effective?.id ?? null,
      identityType: effective?.kind ?? null,
      origin: impersonated && actor ? actor.id : null,
      action: k8sAction(e),
      resource: k8sResource(cluster, e.objectRef),
      ip: e.sourceIPs?.[0] ?? null,
      region: null,
      userAgent: e.userAgent ?? null,
      outcome: k8sOutcome(e.responseStatus?.code),
      principalId: e.user?.username ?? '',
      unresolvedReason: effective ? null : 'no user.username',
      created: k8sCreated(cluster, e),
    };
  };
}
