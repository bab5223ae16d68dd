import { type FilterableNode, type NodeFilter, type ScopeUnit, withinUnit } from '../answers/filters.js';
import type { ApiToken, TokenScopeConfig } from '../config/api.js';
import { gcpScope } from '../model/gcp/ids.js';
import { k8sIds, k8sScope } from '../model/kubernetes/ids.js';
import { NODE_KINDS, nodeKind } from '../model/node-kinds.js';

/**
 * What one request may see and do (docs/api.md#scoped-tokens): the token that made it, whether it
 * may only read, and the part of the estate it may see (null: all of it).
 */
export interface Access {
  /** The configured token's name; null in demo mode. */
  token: string | null;
  readOnly: boolean;
  scope: TokenScope | null;
}

/** Demo mode and unscoped tokens: everything. */
export const FULL_ACCESS: Access = { token: null, readOnly: false, scope: null };

export function accessOf(token: ApiToken): Access {
  return {
    token: token.name,
    readOnly: token.readOnly ?? token.scope !== undefined,
    scope: token.scope ? new TokenScope(token.scope) : null,
  };
}

const unit = (fields: Partial<ScopeUnit>): ScopeUnit => ({
  labels: null,
  scope: null,
  accountId: null,
  namespace: null,
  namespaceId: null,
  ...fields,
});

/**
 * The part of the estate a scoped token may see, as scope units of the filter language
 * (src/answers/filters.ts): a node is in scope when it lies in at least one unit, so a token for an
 * account and a namespace sees both.
 *
 * - a provider: every node of its kinds;
 * - an AWS account: the nodes collected from it (scope `aws:ACCOUNT`: its principals, policies,
 *   buckets, keys…) and the nodes of that account id collected elsewhere (its root, named by trust);
 * - a GCP project: the nodes collected from it (scope `gcp:PROJECT`: its service accounts, keys,
 *   buckets, pools and the project itself);
 * - a Kubernetes cluster: the nodes collected from it (scope `k8s:CLUSTER`);
 * - a namespace (`CLUSTER/NAMESPACE`): the cluster's nodes in that namespace (service accounts, pods,
 *   workloads, roles, bindings, secrets) and the namespace itself, not the cluster-wide ones.
 *
 * Shared nodes that no collection owns (AWS managed policies, GCP predefined roles, Google groups,
 * OIDC subjects, public principals) are in scope only for a token of their whole provider.
 */
export class TokenScope {
  readonly units: ScopeUnit[];

  constructor(readonly config: TokenScopeConfig) {
    this.units = [
      ...(config.providers ?? []).map((provider) =>
        unit({ labels: NODE_KINDS.filter((k) => k.provider === provider).map((k) => k.label) }),
      ),
      ...(config.accounts ?? []).map((account) => unit({ scope: `aws:${account}`, accountId: account })),
      ...(config.projects ?? []).map((project) => unit({ scope: gcpScope(`projects/${project}`) })),
      ...(config.clusters ?? []).map((cluster) => unit({ scope: k8sScope(cluster) })),
      ...(config.namespaces ?? []).map((entry) => {
        const [cluster, namespace] = splitNamespace(entry);
        return unit({
          scope: k8sScope(cluster),
          namespace,
          namespaceId: k8sIds.namespace(cluster, namespace),
        });
      }),
    ];
  }

  /** Is the node (as the graph holds it: id, labels, properties) in scope? */
  contains(node: FilterableNode): boolean {
    const view = withNamespace(node);
    return this.units.some((u) => withinUnit(view, u));
  }

  /** A node known by id, kind and collection scope only (a finding's subject as the report saw it). */
  containsRef(ref: { id: string; kind: string; scope?: string | null | undefined }): boolean {
    return this.contains({
      id: ref.id,
      labels: [ref.kind],
      properties: ref.scope ? { scope: ref.scope } : {},
    });
  }

  /** The filter, restricted to the scope (the Cypher answers and the in-memory ones alike). */
  narrow(filter: NodeFilter): NodeFilter {
    return { ...filter, within: this.units };
  }

  /** One line for logs and errors: `accounts 111111111111; namespaces prod-payments/payments`. */
  describe(): string {
    return Object.entries(this.config)
      .filter(([, values]) => Array.isArray(values) && values.length > 0)
      .map(([key, values]) => `${key} ${(values as string[]).join(', ')}`)
      .join('; ');
  }
}

/** `CLUSTER/NAMESPACE` → its two parts (the config schema has checked the shape). */
export function splitNamespace(entry: string): [string, string] {
  const at = entry.indexOf('/');
  return [entry.slice(0, at), entry.slice(at + 1)];
}

/**
 * The node with its namespace property filled in from its id when it lacks one: a namespaced
 * Kubernetes kind's id names it (`k8s:<cluster>:<namespace>:<type>:<name>`, node-kinds.ts), so a
 * node known only by id and kind (a stored finding's subject) is placed like the graph's own.
 */
function withNamespace(node: FilterableNode): FilterableNode {
  if (typeof node.properties.namespace === 'string') return node;
  const spec = node.labels.map((l) => nodeKind(l)).find((k) => k !== undefined);
  if (!spec?.idFormat.startsWith('k8s:<cluster>:<namespace>:')) return node;
  const namespace = node.id.split(':')[2];
  return namespace ? { ...node, properties: { ...node.properties, namespace } } : node;
}
