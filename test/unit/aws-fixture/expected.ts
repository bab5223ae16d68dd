import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { DerivedEdge } from '../../../src/analyzers/aws-iam/types.js';
import type { AnalysisFinding } from '../../../src/model/analysis-flags.js';

/**
 * The hand-checked answers of test/fixtures/aws/multi-account (expected.json, explained line by line
 * in the fixture's README.md) and the small helpers the tests use to compare an analysis with them.
 */

export const MULTI_ACCOUNT = fileURLToPath(new URL('../../fixtures/aws/multi-account/', import.meta.url));

export interface ExpectedEdge {
  label: string;
  type: string;
  from: string;
  to: string;
  technique?: string;
  self?: boolean;
  /** Absent: either way. */
  conditional?: boolean;
  /** Condition keys the edge must name. */
  conditions?: string[];
  /** Evidence records the edge must carry (policy id and statement). */
  evidence?: { ref: string; statement: string }[];
}

export interface ExpectedAccess {
  label: string;
  from: string;
  to: string;
  /** Exactly these levels. */
  levels?: string[];
  /** At least these levels. */
  levelsInclude?: string[];
  /** Actions that must not be among the edge's allowed actions. */
  actionsExclude?: string[];
  conditional?: boolean;
  conditions?: string[];
}

export interface Expected {
  edges: ExpectedEdge[];
  canAccess: ExpectedAccess[];
  admins: { principal: string; account: string }[];
  escalations: { label: string; principal: string; hops: number }[];
  notEscalations: { label: string; principal: string }[];
  findings: { label: string; subject: string; about: string; severity: AnalysisFinding['severity'][] }[];
  noFindings: { label: string; subject: string; about: string }[];
  /** `to: "*"`: no edge of that type from that source at all. */
  mustNotExist: { label: string; type: string; from: string; to: string; technique?: string }[];
}

export function readExpected(dir = MULTI_ACCOUNT): Expected {
  return JSON.parse(readFileSync(`${dir}/expected.json`, 'utf8')) as Expected;
}

/** Hop edges, as path queries traverse them. */
export const HOP_TYPES = new Set(['CAN_ASSUME', 'FEDERATES_TO', 'RUNS_AS', 'CAN_ESCALATE']);

export function prop<T>(edge: DerivedEdge, key: string): T | undefined {
  return (edge.properties as Record<string, unknown> | undefined)?.[key] as T | undefined;
}

/** An edge is conditional when it says so, else when every one of its evidence records names undecided conditions. */
export function isConditional(edge: DerivedEdge): boolean {
  const flag = prop<boolean>(edge, 'conditional');
  if (typeof flag === 'boolean') return flag;
  return edge.evidence.length > 0 && edge.evidence.every((e) => (e.conditions?.length ?? 0) > 0);
}

export function conditionKeys(edge: DerivedEdge): string[] {
  const keys = new Set(prop<string[]>(edge, 'conditions') ?? []);
  for (const record of edge.evidence) for (const key of record.conditions ?? []) keys.add(key);
  return [...keys];
}

export function describeEdge(edge: Pick<DerivedEdge, 'type' | 'from' | 'to'>, technique?: string): string {
  return `${edge.from} -${edge.type}${technique ? `(${technique})` : ''}-> ${edge.to}`;
}

export function edgesBetween(edges: DerivedEdge[], type: string, from: string, to: string): DerivedEdge[] {
  return edges.filter((e) => e.type === type && e.from === from && (to === '*' || e.to === to));
}

/**
 * Shortest number of hop edges from `start` to an administrator (a principal with an ADMINISTERS
 * edge) or through a self-escalation (CAN_ESCALATE to an AwsAccount, which counts as a hop).
 * Undefined when no such path exists or `start` is an administrator already.
 */
export function hopsToAdmin(edges: DerivedEdge[], start: string): number | undefined {
  const admins = new Set(edges.filter((e) => e.type === 'ADMINISTERS').map((e) => e.from));
  if (admins.has(start)) return undefined;
  const out = new Map<string, DerivedEdge[]>();
  for (const edge of edges) {
    if (!HOP_TYPES.has(edge.type)) continue;
    out.set(edge.from, [...(out.get(edge.from) ?? []), edge]);
  }
  const seen = new Set([start]);
  let frontier = [start];
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: string[] = [];
    for (const node of frontier) {
      for (const edge of out.get(node) ?? []) {
        const selfEscalation = edge.type === 'CAN_ESCALATE' && edge.to.startsWith('aws:account:');
        if (selfEscalation || admins.has(edge.to)) return depth;
        if (!seen.has(edge.to)) {
          seen.add(edge.to);
          next.push(edge.to);
        }
      }
    }
    frontier = next;
  }
  return undefined;
}
