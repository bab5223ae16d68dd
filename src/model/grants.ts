import { pushAt } from '../util/collections.js';
import type { Evidence } from './evidence.js';
import type { InventoryNode, InventoryRelationship, PropertyValue } from './inventory.js';

/**
 * Grant hubs: one shared reason stored once instead of principals × targets edges.
 *
 * When a set of principals may all reach a set of targets for one shared reason (their policies
 * allow sts:AssumeRole on `*` and the roles trust their account; they hold s3:* on every bucket;
 * every service account of a namespace is bound to one role), the analyzer writes a `Grant` node G
 * and, with one relationship type T (CAN_ASSUME, CAN_ACCESS, CAN_ESCALATE, …):
 *
 *   member -[T: the member's side]-> G -[T: the target's side]-> target
 *
 * which stands for exactly one edge member -[T]-> target per (member, target) pair:
 * - its properties are the target leg's (levels, actions, technique, …): a hub is keyed by the
 *   decision, so every member gets the same from it;
 * - it is conditional when either leg is, with the union of their undecided conditions;
 * - its evidence is the member leg's, then the target leg's;
 * - its use over the window the logs cover (`used`, `useCount`, `lastUsed`, written by the activity
 *   summary, docs/activity.md) is the member leg's for that target (`pairUse`).
 * The member leg carries only evidence, `conditional` and `conditions`, and after an activity
 * summary the member's use of the hub's targets.
 *
 * A Grant is never an answer's node: the route search, the summary, the answers and the
 * explanations see the pair edge (`expandGrants` is that meaning, as code). Hubs are decided from
 * the policy structure (statement, resource pattern, trust class), never from the data's size, so
 * the same estate always gives the same hubs.
 */

export const GRANT_KIND = 'Grant';

/** `grant:<provider>:<scope or shared>:<family>:<digest>`. */
export const GRANT_ID_PATTERN = /^grant:[a-z0-9]+:[^\s]+$/;

export function isGrantNode(node: Pick<InventoryNode, 'kind'>): boolean {
  return node.kind === GRANT_KIND;
}

/** The properties only a member leg may carry (plus its evidence). */
export const MEMBER_LEG_PROPERTIES = ['conditional', 'conditions'] as const;

/** The pair edge a member leg and a target leg stand for (see the module comment). */
export function combineLegs(
  member: InventoryRelationship,
  target: InventoryRelationship,
): InventoryRelationship {
  const properties: Record<string, PropertyValue> = { ...target.properties };
  const conditions = union(
    stringList(member.properties?.conditions),
    stringList(target.properties?.conditions),
  );
  // As stored, a leg may list the keys of some conditional records and still hold outright (one
  // unconditional record is enough): the flags decide, the keys are only united.
  const conditional = member.properties?.conditional === true || target.properties?.conditional === true;
  if (conditional) properties.conditional = true;
  else delete properties.conditional;
  if (conditions.length > 0) properties.conditions = conditions;
  else delete properties.conditions;
  Object.assign(properties, pairUse(member.properties, target.to));
  const evidence: Evidence[] = [...(member.evidence ?? []), ...(target.evidence ?? [])];
  return {
    type: target.type,
    from: member.from,
    to: target.to,
    ...(member.fromKind ? { fromKind: member.fromKind } : {}),
    ...(target.toKind ? { toKind: target.toKind } : {}),
    properties,
    evidence,
  };
}

/**
 * The same inventory with every Grant node replaced by the pair edges it stands for: what answers
 * mean, and what the analyzer's per-pair mode writes. A pair that also has a direct edge of the
 * same type keeps the direct edge and the expanded one both: deciding between them is the
 * analyzer's job, and an analyzer that factors correctly never produces both.
 */
export function expandGrants<
  T extends { nodes: readonly InventoryNode[]; relationships: readonly InventoryRelationship[] },
>(inventory: T): T {
  const grants = new Set(inventory.nodes.filter(isGrantNode).map((n) => n.id));
  if (grants.size === 0) return inventory;
  const into = new Map<string, InventoryRelationship[]>();
  const outOf = new Map<string, InventoryRelationship[]>();
  const relationships: InventoryRelationship[] = [];
  for (const r of inventory.relationships) {
    if (grants.has(r.to)) pushAt(into, `${r.to}\u0000${r.type}`, r);
    else if (grants.has(r.from)) pushAt(outOf, `${r.from}\u0000${r.type}`, r);
    else relationships.push(r);
  }
  for (const [key, members] of into)
    for (const member of members)
      for (const target of outOf.get(key) ?? []) relationships.push(combineLegs(member, target));
  return { ...inventory, nodes: inventory.nodes.filter((n) => !grants.has(n.id)), relationships };
}

/**
 * Ranges of [0, n) that together cover every index but i, one per level of a halving tree: the
 * hubs a member joins when it is one of the targets and must not reach itself.
 */
export function rangesWithout(i: number, n: number): (readonly [number, number])[] {
  const out: (readonly [number, number])[] = [];
  let lo = 0;
  let hi = n;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (i < mid) {
      out.push([mid, hi]);
      hi = mid;
    } else {
      out.push([lo, mid]);
      lo = mid;
    }
  }
  return out;
}

/**
 * The use of the pair edge member → `target` as the member leg records it: the activity summary
 * writes on the member leg whether the member used any target (`used`) and, per target used, the
 * calls and the last one (`usedTargets`, `usedTargetCounts`, `usedTargetLastUsed`). Nothing when
 * the member leg has no use recorded (no log covers the member: use unknown).
 */
export function pairUse(
  member: Readonly<Record<string, unknown>> | undefined,
  target: string,
): { used: boolean; useCount: number; lastUsed?: string } | Record<string, never> {
  if (typeof member?.used !== 'boolean') return {};
  const targets = Array.isArray(member.usedTargets) ? member.usedTargets : [];
  const i = targets.indexOf(target);
  if (i < 0) return { used: false, useCount: 0 };
  const counts = Array.isArray(member.usedTargetCounts) ? member.usedTargetCounts : [];
  const last = Array.isArray(member.usedTargetLastUsed) ? member.usedTargetLastUsed : [];
  const lastUsed = last[i];
  return {
    used: true,
    useCount: Number(counts[i] ?? 0),
    ...(typeof lastUsed === 'string' ? { lastUsed } : {}),
  };
}

function stringList(value: PropertyValue | undefined): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

function union(a: string[], b: string[]): string[] {
  return [...new Set([...a, ...b])].sort();
}
