import { createHash } from 'node:crypto';
import type { Evidence } from '../../../model/evidence.js';
import { combineLegs, GRANT_KIND, isGrantNode } from '../../../model/grants.js';
import type { InventoryNode } from '../../../model/inventory.js';
import { getOrCreate, newMap, newSet, pushAt } from '../../../util/collections.js';
import type { DerivedEdge } from '../types.js';
import { AccessFacts } from './access-facts.js';
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
  /**
   * What families derived earlier in the same analysis (over the same authorizer) leave for later
   * ones: a family that needs another's per-principal results reads them here instead of deriving
   * them again (escalation's what-if states read each principal's unchanged access).
   */
  facts?: DerivedFacts;
}

export type { AccessSummary } from './access-facts.js';

/**
 * Per-principal results of one analysis's families, filled as they derive. `access` holds, for
 * every collected principal the can-access family decided, its levels and actions per resource
 * ARN, whatever shape (pair or hub) its edges are written in; a principal absent from it was not
 * decided (the family did not run), so a reader derives it itself.
 */
export class DerivedFacts {
  readonly access = new AccessFacts();
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

/**
 * Another family's edge for a pair a hub already stands for (an escalation's CAN_ACCESS gain to a
 * resource the source holds through a hub) must merge with that pair into one edge, as it does
 * per pair (`mergeEdges`): such a member's leg is replaced, in place, by the pair edges its hub
 * stands for. A hub left without members is dropped.
 */
export function withoutOverlaps(
  nodes: InventoryNode[],
  edges: DerivedEdge[],
): { nodes: InventoryNode[]; edges: DerivedEdge[] } {
  const grants = new Set(nodes.filter(isGrantNode).map((n) => n.id));
  if (grants.size === 0) return { nodes, edges };
  const targetsOf = new Map<string, DerivedEdge[]>();
  // Which members' legs a direct edge overlaps, found from the legs' side: the hubs each source
  // joins (by type) and each hub's targets (by type), then one look per direct edge. Nothing is
  // kept per direct edge: at millions of pair edges, a key string or a set entry for each was the
  // largest allocation of the analysis's end.
  const joins = new Map<string, Map<string, string[]>>();
  for (const e of edges)
    if (grants.has(e.to) && !grants.has(e.from)) pushAt(getOrCreate(joins, e.type, newMap), e.from, e.to);
  const reaches = new Map<string, Map<string, Set<string>>>();
  for (const e of edges)
    if (grants.has(e.from)) {
      pushAt(targetsOf, e.from, e);
      getOrCreate(getOrCreate(reaches, e.from, newMap), e.type, newSet).add(e.to);
    }
  const legKey = (type: string, from: string, hub: string) => `${type}\u0000${from}\u0000${hub}`;
  const overlapping = new Set<string>();
  for (const e of edges) {
    if (grants.has(e.from) || grants.has(e.to)) continue;
    const hubs = joins.get(e.type)?.get(e.from);
    if (!hubs) continue;
    for (const hub of hubs)
      if (reaches.get(hub)?.get(e.type)?.has(e.to)) overlapping.add(legKey(e.type, e.from, hub));
  }
  const overlaps = (leg: DerivedEdge) =>
    overlapping.size > 0 && !grants.has(leg.from) && overlapping.has(legKey(leg.type, leg.from, leg.to));
  const out: DerivedEdge[] = [];
  const joined = new Set<string>();
  let dissolved = false;
  for (const e of edges) {
    const targets = grants.has(e.to) ? (targetsOf.get(e.to) ?? []) : undefined;
    if (targets && overlaps(e)) {
      dissolved = true;
      for (const t of targets)
        if (t.type === e.type) out.push({ ...combineLegs(e, t), scope: e.scope ?? t.scope } as DerivedEdge);
      continue;
    }
    if (targets) joined.add(e.to);
    out.push(e);
  }
  if (!dissolved) return { nodes, edges };
  const orphan = (id: string) => grants.has(id) && !joined.has(id);
  return {
    nodes: nodes.filter((n) => !orphan(n.id)),
    edges: out.filter((e) => !orphan(e.from)),
  };
}
