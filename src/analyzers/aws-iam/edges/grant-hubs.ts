import { createHash } from 'node:crypto';
import type { Evidence } from '../../../model/evidence.js';
import { GRANT_KIND } from '../../../model/grants.js';
import type { InventoryNode } from '../../../model/inventory.js';
import type { DerivedEdge } from '../types.js';
import { edge, scopeOf } from './nodes.js';

/**
 * Grant hubs as the AWS edge families write them (the contract is src/model/grants.ts): a family
 * that finds a set of callers deciding alike on a set of targets for one shared reason writes a
 * Grant node, one member leg per caller and one target leg per target, instead of one edge per
 * (caller, target) pair. A family splits each pair edge it would write into the caller's side
 * (member leg: `conditional`, `conditions` and the caller's evidence) and the target's side (target
 * leg: every other property and the target's evidence); `expandGrants` joins them back.
 */

/** Options every edge family's `derive` takes. */
export interface DeriveOptions {
  /**
   * Factor callers × targets products into Grant hubs (default false: one edge per pair, the same
   * facts; escalation's what-if views and the equivalence tests use that mode).
   */
  grantHubs?: boolean;
}

/** One hub being filled: its id, its account and the legs gathered so far. */
export interface GrantHub {
  id: string;
  accountId: string;
  family: string;
  /** What the members share, in words (the node's name). */
  name: string;
  members: DerivedEdge[];
  targets: DerivedEdge[];
}

/** `grant:aws:<account>:<family>:<digest of what the members share>`. */
export function grantHubId(accountId: string, family: string, key: string): string {
  const digest = createHash('sha256').update(key).digest('hex').slice(0, 16);
  return `grant:aws:${accountId}:${family}:${digest}`;
}

export function grantHubNode(hub: GrantHub): InventoryNode {
  return {
    id: hub.id,
    kind: GRANT_KIND,
    scope: scopeOf(hub.accountId),
    properties: {
      name: hub.name,
      family: hub.family,
      members: hub.members.length,
      targets: hub.targets.length,
    },
  };
}

/** The caller's side of a pair edge, into the hub. */
export function memberLeg(
  hub: GrantHub,
  pair: Pick<DerivedEdge, 'type' | 'from' | 'fromKind' | 'scope' | 'properties'>,
  evidence: Evidence[],
): DerivedEdge {
  const properties: DerivedEdge['properties'] = {};
  if (pair.properties.conditional === true) properties.conditional = true;
  if (Array.isArray(pair.properties.conditions)) properties.conditions = pair.properties.conditions;
  return edge({
    type: pair.type,
    from: pair.from,
    fromKind: pair.fromKind as string,
    to: hub.id,
    toKind: GRANT_KIND,
    scope: pair.scope ?? scopeOf(hub.accountId),
    properties,
    evidence,
  });
}

/** The target's side of a pair edge, out of the hub. */
export function targetLeg(
  hub: GrantHub,
  pair: Pick<DerivedEdge, 'type' | 'to' | 'toKind' | 'properties'>,
  evidence: Evidence[],
): DerivedEdge {
  const { conditional: _c, conditions: _k, ...properties } = pair.properties;
  return edge({
    type: pair.type,
    from: hub.id,
    fromKind: GRANT_KIND,
    to: pair.to,
    toKind: pair.toKind as string,
    scope: scopeOf(hub.accountId),
    properties,
    evidence,
  });
}

/** The hubs' nodes and legs, for a family's output (hubs nobody joined are left out). */
export function hubOutput(hubs: Iterable<GrantHub>): { nodes: InventoryNode[]; edges: DerivedEdge[] } {
  const nodes: InventoryNode[] = [];
  const edges: DerivedEdge[] = [];
  for (const hub of hubs) {
    if (hub.members.length === 0 || hub.targets.length === 0) continue;
    nodes.push(grantHubNode(hub));
    for (const e of hub.members) edges.push(e);
    for (const e of hub.targets) edges.push(e);
  }
  return { nodes, edges };
}
