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
 */
export function mergeEdges(edges: DerivedEdge[]): DerivedEdge[] {
  // Positions in `out` by type, source and target (nested: no key string per edge).
  const positions = new Map<string, Map<string, Map<string, number>>>();
  const out: DerivedEdge[] = [];
  const copied = new Set<DerivedEdge>();
  for (const edge of edges) {
    let byFrom = positions.get(edge.type);
    if (!byFrom) {
      byFrom = new Map();
      positions.set(edge.type, byFrom);
    }
    let byTo = byFrom.get(edge.from);
    if (!byTo) {
      byTo = new Map();
      byFrom.set(edge.from, byTo);
    }
    const at = byTo.get(edge.to);
    if (at === undefined) {
      byTo.set(edge.to, out.length);
      out.push(edge);
      continue;
    }
    let seen = out[at] as DerivedEdge;
    if (!copied.has(seen)) {
      seen = { ...seen, properties: { ...seen.properties }, evidence: [...seen.evidence] };
      copied.add(seen);
      out[at] = seen;
    }
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
  return out;
}

/** List properties merged edges unite: CAN_ACCESS levels and actions, and the techniques a gain is `via`. */
const UNION_PROPERTIES = ['levels', 'actions', 'via'] as const;
