import { k8sIds } from '../model/kubernetes/ids.js';

/**
 * What an escalation ends at, one list for every store and every caller: full control of a scope
 * (`ADMINISTERS` an AWS account, a Kubernetes cluster, or a GCP organization, folder or project:
 * `roles/owner` there or above, or its `setIamPolicy`, with which a principal grants itself owner) or
 * root on a Kubernetes node, which a route enters with the hop that escapes to it (the
 * node is also a principal, its kubelet, so routes go on through it). A namespace's admin is a step,
 * not a target: creating pods there is already an edge the routes follow.
 */
export const ESCALATION_TARGETS = {
  AwsAccount: { becomes: 'administrator of account', enteredByHop: false },
  K8sCluster: { becomes: 'cluster-admin of', enteredByHop: false },
  K8sNode: { becomes: 'root on node', enteredByHop: true },
  GcpOrganization: { becomes: 'owner of organization', enteredByHop: false },
  GcpFolder: { becomes: 'owner of folder', enteredByHop: false },
  GcpProject: { becomes: 'owner of project', enteredByHop: false },
} as const;

export type EscalationTargetKind = keyof typeof ESCALATION_TARGETS;

export const ESCALATION_TARGET_KINDS = Object.keys(ESCALATION_TARGETS) as EscalationTargetKind[];

export function isEscalationTargetKind(kind: string): kind is EscalationTargetKind {
  return Object.hasOwn(ESCALATION_TARGETS, kind);
}

/** The target labels as a Cypher label expression for a `{{targets}}` placeholder. */
export function targetLabelExpression(): string {
  return ESCALATION_TARGET_KINDS.join('|');
}

/** The scope kinds: the targets an ADMINISTERS edge ends at (AwsAccount, K8sCluster, the GCP hierarchy). */
export function scopeKinds(): EscalationTargetKind[] {
  return ESCALATION_TARGET_KINDS.filter((k) => !ESCALATION_TARGETS[k].enteredByHop);
}

/** Which targets a question asks about: by kind, AWS account and cluster name (all when absent). */
export interface TargetSelection {
  kinds?: readonly EscalationTargetKind[];
  /** 12-digit AWS account ids. */
  accounts?: readonly string[];
  /** Kubernetes cluster names: the cluster and its nodes. */
  clusters?: readonly string[];
}

/** A target node (id and kind) is asked about: its kind is selected, and its scope when scopes are named. */
export function targetSelected(selection: TargetSelection, id: string, kind: EscalationTargetKind): boolean {
  if (selection.kinds?.length && !selection.kinds.includes(kind)) return false;
  const accounts = selection.accounts ?? [];
  const clusters = selection.clusters ?? [];
  if (accounts.length === 0 && clusters.length === 0) return true;
  if (kind === 'AwsAccount') return accounts.some((a) => id === `aws:account:${a}`);
  const cluster = clusterOfTarget(id);
  return cluster !== undefined && clusters.some((c) => k8sIds.cluster(c) === cluster);
}

/**
 * The cluster a Kubernetes target belongs to (`k8s:<cluster>`), for a node (`k8s:<cluster>:node:<n>`)
 * or the cluster itself; undefined for other ids.
 */
export function clusterOfTarget(id: string): string | undefined {
  const match = /^(k8s:[^:]+)(?::node:[^:]+)?$/.exec(id);
  return match?.[1];
}

/** The AWS account id of an account target; null for other targets. */
export function accountOfTarget(id: string): string | null {
  return id.startsWith('aws:account:') ? id.slice('aws:account:'.length) : null;
}
