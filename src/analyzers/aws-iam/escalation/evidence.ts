import type { EVIDENCE_SOURCES, Evidence } from '../../../model/evidence.js';
import type { StatementMatch } from '../engine/types.js';
import { PREREQUISITE_CONDITION_KEY } from './prerequisites.js';
import type { EscalationFinding, EscalationTechnique, ProductClass, RequiredDecision } from './types.js';

export type EvidenceSource = (typeof EVIDENCE_SOURCES)[number];

const SOURCE_OF_KIND: Record<StatementMatch['policyKind'], EvidenceSource> = {
  'aws-managed': 'identity-policy',
  'customer-managed': 'identity-policy',
  inline: 'identity-policy',
  trust: 'trust-policy',
  resource: 'resource-policy',
  'permissions-boundary': 'permissions-boundary',
  scp: 'scp',
  rcp: 'rcp',
};

/** The undecided condition keys a finding depends on: every decision must hold. */
export function findingConditions(finding: EscalationFinding): string[] {
  const keys = new Set(finding.decisions.flatMap((d) => d.decision.conditions.map((c) => c.key)));
  if (finding.requires?.length) keys.add(PREREQUISITE_CONDITION_KEY);
  return [...keys].sort();
}

/**
 * The evidence records of one finding: the technique and its reason first (the edge's reason),
 * then every Allow statement each required decision rests on, then the finding's own records.
 * The decisions are conjunctive, so when the finding is conditional every record carries all of
 * its conditions: no record on its own makes the edge hold outright.
 */
export function findingEvidence(technique: EscalationTechnique, finding: EscalationFinding): Evidence[] {
  if (finding.product) {
    const sides = productSides(technique, finding, finding.product);
    return [...sides.source.evidence, ...sides.target.evidence];
  }
  const conditions = findingConditions(finding);
  const withConditions = (e: Evidence): Evidence => (conditions.length ? { ...e, conditions } : e);
  const records: Evidence[] = [];
  for (const d of finding.decisions)
    for (const e of decisionEvidence(technique.id, d)) records.push(withConditions(e));
  for (const e of finding.evidence ?? [])
    records.push(withConditions({ ...e, reason: `${technique.id}: ${e.reason}` }));
  const [first] = records;
  const head: Evidence = first
    ? { ...first, reason: `${technique.id} ${technique.name}: ${finding.reason}` }
    : withConditions({
        source: 'declared',
        ref: technique.id,
        reason: `${technique.id} ${technique.name}: ${finding.reason}`,
      });
  return first ? [head, ...records] : [head];
}

/** One record per Allow statement a required decision rests on, its reason prefixed (a technique id). */
export function decisionEvidence(prefix: string, { label, decision }: RequiredDecision): Evidence[] {
  return decision.allowedBy
    .filter((match) => match.effect === 'Allow')
    .map((match) => ({
      source: SOURCE_OF_KIND[match.policyKind],
      ref: match.policyId,
      statement: match.statement,
      reason: `${prefix}: ${label}, allowed by ${match.policyName} statement ${match.statement}`,
    }));
}

/** Every record carries the conditions too (the decisions of a chain are conjunctive). */
export function withConditions(records: Evidence[], conditions: string[]): Evidence[] {
  if (conditions.length === 0) return records;
  return records.map((e) => ({
    ...e,
    conditions: [...new Set([...(e.conditions ?? []), ...conditions])].sort(),
  }));
}

/** One side of a product finding: its undecided conditions and its evidence records. */
export interface ProductSide {
  conditions: string[];
  evidence: Evidence[];
}

/**
 * A product finding's evidence in two sides, so a Grant hub stores each once (grant-hubs.ts): the
 * source's (the technique and the source's reason first, then the statements its own decisions
 * rest on) and the target's (the reason for this target, the statements the target's decisions
 * rest on, the finding's own records). The pair's evidence is the source's side, then the
 * target's; each record carries its side's conditions, and the edge carries both sides'.
 */
export function productSides(
  technique: EscalationTechnique,
  finding: EscalationFinding,
  product: ProductClass,
): { source: ProductSide; target: ProductSide } {
  const onTarget = new Set(product.targetDecisions);
  const sourceDecisions = finding.decisions.filter((d) => !onTarget.has(d));
  const sourceConditions = decisionConditions(sourceDecisions);
  const sourceRecords = sourceDecisions.flatMap((d) => decisionEvidence(technique.id, d));
  const [first] = sourceRecords;
  const head: Evidence = {
    ...(first ?? { source: 'declared', ref: technique.id }),
    reason: `${technique.id} ${technique.name}: ${product.sourceReason}`,
  };
  return {
    source: {
      conditions: sourceConditions,
      evidence: withConditions([head, ...sourceRecords], sourceConditions),
    },
    target: targetSide(technique, finding, product),
  };
}

/**
 * The target's side of a product's finding, made once per (class, technique, reason, prerequisite
 * or not) when the finding has no records of its own: every source reaching the target through the
 * class has the same (`ProductClass`), and readers never change a side.
 */
const targetSides = new WeakMap<ProductClass, Map<string, ProductSide>>();

function targetSide(
  technique: EscalationTechnique,
  finding: EscalationFinding,
  product: ProductClass,
): ProductSide {
  const shareable = !finding.evidence?.length;
  const key = `${technique.id}\u0000${finding.requires?.length ? 1 : 0}\u0000${finding.reason}`;
  let byKey = shareable ? targetSides.get(product) : undefined;
  const known = byKey?.get(key);
  if (known) return known;
  const targetConditions = decisionConditions(product.targetDecisions);
  if (finding.requires?.length) targetConditions.push(PREREQUISITE_CONDITION_KEY);
  targetConditions.sort();
  const targetRecords: Evidence[] = [
    { source: 'declared', ref: technique.id, reason: `${technique.id}: ${finding.reason}` },
    ...product.targetDecisions.flatMap((d) => decisionEvidence(technique.id, d)),
    ...(finding.evidence ?? []).map((e) => ({ ...e, reason: `${technique.id}: ${e.reason}` })),
  ];
  const side = { conditions: targetConditions, evidence: withConditions(targetRecords, targetConditions) };
  if (shareable) {
    if (!byKey) {
      byKey = new Map();
      targetSides.set(product, byKey);
    }
    byKey.set(key, side);
  }
  return side;
}

function decisionConditions(decisions: readonly RequiredDecision[]): string[] {
  return [...new Set(decisions.flatMap((d) => d.decision.conditions.map((c) => c.key)))].sort();
}

/**
 * Identity of an evidence record for de-duplication: its fields in their order, as JSON would
 * write them (records are flat: strings and the list of condition keys), without serializing.
 */
export function evidenceKey(e: Evidence): string {
  let key = '';
  for (const [name, value] of Object.entries(e))
    if (value !== undefined)
      key += `${name}\u0001${Array.isArray(value) ? value.join('\u0002') : String(value)}\u0000`;
  return key;
}

/**
 * One record per distinct content among the edges of an escalation: the same record (a statement
 * allowing an action on a role, a step of a chain) recurs on the edges of many sources and chains,
 * about six times in seven on the dense benchmark account, and edges are held until the analysis
 * ends. Records are never mutated, so edges may share them. Two records are the same when their
 * fields are, in the same order (JSON writes them alike).
 */
export class SharedRecords {
  private readonly byReason = new Map<string, Evidence[]>();

  one(record: Evidence): Evidence {
    const same = this.byReason.get(record.reason);
    if (!same) {
      this.byReason.set(record.reason, [record]);
      return record;
    }
    for (const known of same) if (sameRecord(known, record)) return known;
    same.push(record);
    return record;
  }

  all(records: Evidence[]): Evidence[] {
    return records.map((record) => this.one(record));
  }
}

function sameRecord(a: Evidence, b: Evidence): boolean {
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  const keys = Object.keys(x);
  const others = Object.keys(y);
  if (keys.length !== others.length) return false;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i] as string;
    if (key !== others[i]) return false;
    const [u, v] = [x[key], y[key]];
    if (Array.isArray(u)) {
      if (!Array.isArray(v) || u.length !== v.length) return false;
      for (let j = 0; j < u.length; j++) if (u[j] !== v[j]) return false;
    } else if (u !== v) return false;
  }
  return true;
}
