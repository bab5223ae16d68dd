import type { PolicyKind } from '../../../model/aws/policy.js';
import type { Evidence } from '../../../model/evidence.js';
import { unitedList } from '../../../model/properties.js';
import type { Decision, StatementMatch, UndecidedCondition } from '../engine/types.js';
import type { DerivedEdge } from '../types.js';

/**
 * Evidence records from the engine's decisions: one per statement that grants, naming the policy,
 * the statement (Sid or `#index`) and, when the grant holds only under conditions that cannot be
 * decided offline, those condition keys (and their text in the reason). A decision that is
 * conditional because a Deny might apply puts that Deny's conditions on every record, so the
 * edge stays conditional (an edge is conditional when every one of its records is).
 */

const SOURCES: Record<PolicyKind, Evidence['source']> = {
  'aws-managed': 'identity-policy',
  'customer-managed': 'identity-policy',
  inline: 'identity-policy',
  trust: 'trust-policy',
  resource: 'resource-policy',
  'permissions-boundary': 'permissions-boundary',
  scp: 'scp',
  rcp: 'rcp',
};

export const isGranted = (decision: Decision) =>
  decision.outcome === 'allow' || decision.outcome === 'conditional';

/** `sts:ExternalId StringEquals "abc"`: a condition as a person reads it. */
export function conditionText(condition: UndecidedCondition): string {
  const values = condition.values.map((v) => JSON.stringify(v)).join(' or ');
  return `${condition.key} ${condition.operator} ${values}`.trim();
}

/** What one granting statement does, in words: built by each edge family. */
export type Describe = (match: StatementMatch) => string;

/** A granting statement with the undecided conditions its grant depends on. */
export interface GrantPart {
  match: StatementMatch;
  conditions: UndecidedCondition[];
  denyConditions: UndecidedCondition[];
}

/** The statements that grant, one per (policy, statement), with the conditions each grant needs. */
export function grantParts(decision: Decision): GrantPart[] {
  const denyConditions = decision.outcome === 'allow' ? [] : decision.deniedBy.flatMap((m) => m.conditions);
  const out: GrantPart[] = [];
  const seen = new Set<string>();
  for (const match of decision.allowedBy) {
    const key = `${match.policyId}\u0000${match.statement}`;
    if (seen.has(key)) continue;
    seen.add(key);
    let conditions = decision.outcome === 'allow' ? [] : [...match.conditions, ...denyConditions];
    if (decision.outcome === 'conditional' && conditions.length === 0) conditions = decision.conditions;
    out.push({ match, conditions, denyConditions });
  }
  return out;
}

export function evidenceFrom(decision: Decision, describe: Describe): Evidence[] {
  return grantParts(decision).map((part) => evidenceRecord(part, describe(part.match)));
}

/** One evidence record: the statement, the reason, and the conditions (keys, and text in the reason). */
export function evidenceRecord(part: GrantPart, reason: string): Evidence {
  const { match, conditions, denyConditions } = part;
  if (conditions.length === 0) {
    return { source: SOURCES[match.policyKind], ref: match.policyId, statement: match.statement, reason };
  }
  const own = match.conditions.map(conditionText);
  const denies = denyConditions.map((c) => `not (${conditionText(c)})`);
  const others = conditions
    .filter((c) => !match.conditions.includes(c) && !denyConditions.includes(c))
    .map(conditionText);
  const texts = [...new Set([...own, ...denies, ...others])];
  return {
    source: SOURCES[match.policyKind],
    ref: match.policyId,
    statement: match.statement,
    reason: `${reason}, if ${texts.join(' and ')}`,
    conditions: [...new Set(conditions.map((c) => c.key))],
  };
}

/** `conditional`/`conditions` edge properties of a decision (absent when it holds outright). */
export function conditionalProperties(decisions: Decision[]): Record<string, boolean | string[]> {
  if (decisions.length === 0 || decisions.some((d) => d.outcome === 'allow')) return {};
  const keys = new Set(decisions.flatMap((d) => d.conditions.map((c) => c.key)));
  return { conditional: true, conditions: [...keys].sort() };
}

/**
 * Merges edges with the same type and endpoints: one edge, all the evidence. An edge is copied
 * only when another one merges into it (families emit hundreds of thousands of edges, mostly unique).
 *
 * It runs at the analysis's end, with every family's edges alive (millions on a dense account), so
 * it finds the duplicates one (type, source) at a time: the edges' indexes sorted by their source
 * in typed arrays (a few bytes an edge), and one map of targets reused from source to source,
 * instead of a map entry per edge. The output is what merging in order gives: each edge at its
 * first occurrence, with the later ones merged into a copy of it in their order.
 */
export function mergeEdges(edges: DerivedEdge[]): DerivedEdge[] {
  const n = edges.length;
  // Each edge's (type, source) group, numbered in order of first appearance.
  const groups = new Map<string, Map<string, number>>();
  const groupOf = new Int32Array(n);
  let count = 0;
  for (let i = 0; i < n; i++) {
    const edge = edges[i] as DerivedEdge;
    let byFrom = groups.get(edge.type);
    if (!byFrom) {
      byFrom = new Map();
      groups.set(edge.type, byFrom);
    }
    let group = byFrom.get(edge.from);
    if (group === undefined) {
      group = count++;
      byFrom.set(edge.from, group);
    }
    groupOf[i] = group;
  }
  groups.clear();
  // The indexes by group, in input order within each (a stable counting sort).
  const starts = new Int32Array(count + 1);
  for (let i = 0; i < n; i++) {
    const at = (groupOf[i] as number) + 1;
    starts[at] = (starts[at] as number) + 1;
  }
  for (let g = 0; g < count; g++) starts[g + 1] = (starts[g + 1] as number) + (starts[g] as number);
  const next = starts.slice(0, count);
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const g = groupOf[i] as number;
    order[next[g] as number] = i;
    next[g] = (next[g] as number) + 1;
  }
  // Later edges with the same target, by the index of the first one, in input order.
  const duplicate = new Uint8Array(n);
  const later = new Map<number, number[]>();
  const firstTo = new Map<string, number>();
  for (let g = 0; g < count; g++) {
    firstTo.clear();
    for (let k = starts[g] as number; k < (starts[g + 1] as number); k++) {
      const i = order[k] as number;
      const to = (edges[i] as DerivedEdge).to;
      const first = firstTo.get(to);
      if (first === undefined) {
        firstTo.set(to, i);
        continue;
      }
      duplicate[i] = 1;
      const list = later.get(first);
      if (list) list.push(i);
      else later.set(first, [i]);
    }
  }
  const out: DerivedEdge[] = [];
  for (let i = 0; i < n; i++) {
    if (duplicate[i] === 1) continue;
    const edge = edges[i] as DerivedEdge;
    const merged = later.get(i);
    if (!merged) {
      out.push(edge);
      continue;
    }
    const seen = { ...edge, properties: { ...edge.properties }, evidence: [...edge.evidence] };
    for (const j of merged) mergeInto(seen, edges[j] as DerivedEdge);
    out.push(seen);
  }
  return out;
}

/** One more edge with `seen`'s type and ends, merged into `seen` (a copy). */
function mergeInto(seen: DerivedEdge, edge: DerivedEdge): void {
  for (const e of edge.evidence)
    if (!seen.evidence.some((s) => s.ref === e.ref && s.statement === e.statement && s.reason === e.reason))
      seen.evidence.push(e);
  // What the source can do on the target is the union (a level gained through an escalation
  // joins the levels held directly; the evidence says which is which).
  for (const key of UNION_PROPERTIES) {
    const [a, b] = [seen.properties[key], edge.properties[key]];
    if (Array.isArray(a) || Array.isArray(b))
      seen.properties[key] = unitedList(key, (a as string[]) ?? [], (b as string[]) ?? []);
  }
  if (seen.properties.conditional === true && edge.properties.conditional !== true) {
    delete seen.properties.conditional;
    delete seen.properties.conditions;
  }
}

/** List properties merged edges unite: CAN_ACCESS levels and actions, and the techniques a gain is `via`. */
const UNION_PROPERTIES = ['levels', 'actions', 'via'] as const;
