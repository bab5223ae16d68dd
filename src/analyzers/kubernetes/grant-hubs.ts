import { createHash } from 'node:crypto';
import type { Evidence } from '../../model/evidence.js';
import { GRANT_KIND, rangesWithout } from '../../model/grants.js';
import type { InventoryNode, InventoryRelationship } from '../../model/inventory.js';
import { k8sScope } from '../../model/kubernetes/ids.js';

/**
 * Grant hubs of the Kubernetes analysis (the contract is src/model/grants.ts). Where one right
 * reaches a whole set decided by the cluster's structure — every service account of a namespace
 * (creating pods there), every pod of a namespace (exec on pods there), every pod on a node (its
 * kubelet API), every service account with a legacy token secret in a namespace (listing secrets
 * there), every node (a privileged pod's nodeName) — the set is one hub, keyed by that structure
 * (namespace or node, and the technique), never by the data's size. A principal that holds the
 * right joins it with its side of the pair (the binding and rule); each target leg names why the
 * target is in the set (its namespace, its node, its token secret).
 *
 * A principal never reaches itself: when it is one of the hub's targets it joins, as the AWS trust
 * classes do, the at most log2(n) hubs over ranges of the targets that cover every target but it.
 *
 * Per-pair mode (`grantHubs: false`) writes the same pair edges `expandGrants` gives: the target
 * leg's properties and both legs' evidence, member first.
 */

/** The target's side of a pair edge: the target, the edge's properties and why the target is in the set. */
export interface TargetLeg {
  to: string;
  properties: Record<string, string | string[]>;
  evidence: Evidence[];
}

/** A set of targets shared by every principal with one right. */
export interface HubSpec {
  type: string;
  /** The edge family (`k8s-create-pod`, …): part of the id and shown on the node. */
  family: string;
  /** What makes the set, unique within the cluster and family (`namespace payments`). */
  key: string;
  /** What the members share, in words (the node's name). */
  name: string;
  /** The targets in a stable order; asked once per hub. */
  targets: () => TargetLeg[];
}

type AddEdge = (
  type: string,
  from: string,
  to: string,
  properties: Record<string, string | string[]>,
  evidence: Evidence[],
) => void;

interface Hub {
  spec: HubSpec;
  targets: TargetLeg[];
  index: Map<string, number>;
  /** Per range `lo-hi`: the hub node's id and its member legs by principal. */
  ranges: Map<string, { id: string; members: Map<string, Evidence[]> }>;
}

export class KubernetesGrantHubs {
  private readonly hubs = new Map<string, Hub>();

  constructor(
    private readonly cluster: string,
    private readonly grantHubs: boolean,
    private readonly addEdge: AddEdge,
  ) {}

  /**
   * `from` holds the hub's right, for the reason `evidence`: it reaches every target but itself.
   * `pairs` writes its pair edges instead, for a member with other edges into the same targets.
   */
  join(spec: HubSpec, from: string, evidence: Evidence[], pairs = false): void {
    const hub = this.hub(spec);
    if (!this.grantHubs || pairs) {
      for (const t of hub.targets)
        this.addEdge(spec.type, from, t.to, t.properties, [...evidence, ...t.evidence]);
      return;
    }
    const n = hub.targets.length;
    if (n === 0) return;
    const self = hub.index.get(from);
    for (const [lo, hi] of self === undefined ? [[0, n] as const] : rangesWithout(self, n)) {
      const key = `${lo}-${hi}`;
      let range = hub.ranges.get(key);
      if (!range) {
        range = { id: this.hubId(spec, key), members: new Map() };
        hub.ranges.set(key, range);
      }
      if (!range.members.has(from)) range.members.set(from, evidence);
    }
  }

  /** The hubs' nodes and legs (none in per-pair mode). */
  output(): { nodes: InventoryNode[]; edges: InventoryRelationship[] } {
    const nodes: InventoryNode[] = [];
    const edges: InventoryRelationship[] = [];
    const scope = k8sScope(this.cluster);
    for (const hub of this.hubs.values())
      for (const [key, range] of hub.ranges) {
        const [lo, hi] = key.split('-').map(Number) as [number, number];
        nodes.push({
          id: range.id,
          kind: GRANT_KIND,
          scope,
          properties: {
            name: hub.spec.name,
            family: hub.spec.family,
            members: range.members.size,
            targets: hi - lo,
          },
        });
        for (const [from, evidence] of range.members)
          edges.push({ type: hub.spec.type, from, to: range.id, scope, properties: {}, evidence });
        for (const t of hub.targets.slice(lo, hi))
          edges.push({
            type: hub.spec.type,
            from: range.id,
            to: t.to,
            scope,
            properties: t.properties,
            evidence: t.evidence,
          });
      }
    return { nodes, edges };
  }

  private hub(spec: HubSpec): Hub {
    const key = `${spec.family}\u0000${spec.key}`;
    let hub = this.hubs.get(key);
    if (!hub) {
      const targets = spec.targets();
      hub = { spec, targets, index: new Map(targets.map((t, i) => [t.to, i])), ranges: new Map() };
      this.hubs.set(key, hub);
    }
    return hub;
  }

  /** `grant:kubernetes:<cluster>:<family>:<digest of the set and the range>`. */
  private hubId(spec: HubSpec, range: string): string {
    const digest = createHash('sha256').update(`${spec.key}\u0000${range}`).digest('hex').slice(0, 16);
    return `grant:kubernetes:${this.cluster}:${spec.family}:${digest}`;
  }
}
