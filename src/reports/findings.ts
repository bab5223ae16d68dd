import { hopUse } from '../answers/answer-shape.js';
import { checkMaxHops, DEFAULT_MAX_HOPS } from '../answers/bounds.js';
import { executorReader } from '../answers/graph-reader.js';
import { escalationRoutes } from '../answers/questions.js';
import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import type { Evidence } from '../model/evidence.js';
import { pairUse } from '../model/grants.js';
import { type NodeKindSpec, nodeKind } from '../model/node-kinds.js';
import { ACCESS_LEVELS } from '../model/properties.js';
import { evidenceReason } from '../model/validate.js';
import { chunk } from '../util/collections.js';
import { fingerprint } from './fingerprint.js';
import { planRoutes, type RouteGraph, readRouteGraph, routeKindOf } from './routes.js';
import {
  type FactValue,
  type Finding,
  type FindingHop,
  type NodeRef,
  type RuleDeclaration,
  SEVERITIES,
  type Severity,
  severityRank,
} from './types.js';

/**
 * Runs the rules against the graph and turns their rows into Findings, in this one place.
 *
 * Row contract of every cypher/findings/<query>.cypher (parameters: the rule's `parameters` plus
 * `$now`, a DateTime, so age thresholds are deterministic under test):
 *
 * | column | type | meaning |
 * |---|---|---|
 * | `subject` | node map | the identity (or role, user) the finding is about |
 * | `target` | node map or null | what it reaches or concerns (resource, account, key) |
 * | `severity` | string or null | the row's severity; null = the rule's default |
 * | `message` | string | one line a person reads first |
 * | `path` | list of hop maps | `{from, to, type, technique, levels, reason, evidence, conditional}`; empty when not a path |
 * | `conditional` | boolean | holds only under conditions that could not be decided offline |
 * | `ids` | list of strings | what identifies the problem, hashed with the rule id into the fingerprint |
 * | `facts` | map | rule-specific scalars or lists (lists become comma-separated strings) |
 * | `evidence` | string or null, optional | a stored evidence JSON array belonging to the finding itself |
 *
 * A node map is `{id, labels, name, scope}`: the kind is resolved from the labels here, as the
 * graph's label order is not meaningful. A hop's `evidence` is the relationship's stored JSON string.
 * Path queries expand each pair they report into one shortest explained route (see the files), so
 * every finding carries the policy statements behind each hop. The reach rules' routes are chosen by
 * the one route search (routes.ts) and handed to their query as `$routes`, in batches.
 */

/** Routes per query of a reach rule: bounded transactions however many pairs an estate has. */
const ROUTE_BATCH = 5_000;

interface NodeRow {
  id: string;
  labels?: string[];
  kind?: string;
  name?: string | null;
  scope?: string | null;
}

interface HopRow {
  from: NodeRow;
  to: NodeRow;
  type: string;
  technique?: string | null;
  levels?: string[] | null;
  /** The edge's stored evidence (a JSON array); its reason is derived from it. */
  evidence?: string | null;
  conditional?: boolean | null;
  /** The stored edge's use over the covered window, or through a Grant hub its member leg's record. */
  used?: boolean | null;
  useCount?: number | null;
  lastUsed?: string | null;
  memberUse?: Record<string, unknown> | null;
}

interface FindingRow {
  subject: NodeRow;
  target: NodeRow | null;
  severity: string | null;
  /** One line; `{reason}` in it stands for the reason of the route's first hop (`withReason`). */
  message: string;
  path: HopRow[] | null;
  conditional: boolean | null;
  ids: unknown[];
  facts: Record<string, unknown> | null;
  evidence?: string | null;
}

export interface RunFindingsOptions {
  /** The instant age thresholds are measured from; default the current time. */
  now?: Date;
  /** Per-query transaction timeout (default 5 minutes). */
  timeoutMs?: number;
}

export async function runFindings(
  executor: GraphExecutor,
  rules: RuleDeclaration[],
  options: RunFindingsOptions = {},
): Promise<Finding[]> {
  const now = options.now ?? new Date();
  const timeoutMs = options.timeoutMs ?? 300_000;
  const findings: Finding[] = [];
  // Read once per run, shared by the rules whose routes are expanded in memory.
  let routeGraph: Promise<RouteGraph> | undefined;
  // Anomaly rules (a detector, no query) run over the activity store: src/activity/anomalies/.
  for (const rule of rules.filter((r) => r.query !== undefined)) {
    const file = cypherFile(`findings/${rule.query}`);
    const parameters = { ...rule.parameters, now, accessLevels: [...ACCESS_LEVELS] };
    const kind = routeKindOf(rule.query as string);
    const batches: Record<string, unknown>[] = [];
    if (kind === undefined) batches.push(parameters);
    else {
      let routes: unknown[];
      if (kind === 'escalation') {
        const maxHops = checkMaxHops(
          Number(rule.parameters.maxHops ?? DEFAULT_MAX_HOPS),
          `${rule.id}: maxHops`,
        );
        routes = await escalationRoutes(executorReader(executor, { timeoutMs }), maxHops);
      } else {
        routeGraph ??= readRouteGraph(executor, timeoutMs);
        routes = planRoutes(await routeGraph, kind);
      }
      for (const part of chunk(routes, ROUTE_BATCH)) batches.push({ ...parameters, routes: part });
    }
    const rows: FindingRow[] = [];
    for (const batch of batches) {
      const part = await executor.read<FindingRow>(file, batch, {
        action: `running rule ${rule.id} (cypher/${file.path}.cypher)`,
        timeoutMs,
        metadata: { query: file.path },
      });
      for (const row of part) rows.push(row);
    }
    const seen = new Set<string>();
    for (const row of rows) {
      const finding = toFinding(rule, row);
      // A query may meet the same problem twice (e.g. two equally short routes); it is one finding.
      if (seen.has(finding.fingerprint)) continue;
      seen.add(finding.fingerprint);
      findings.push(finding);
    }
  }
  return (await withOwners(executor, findings, timeoutMs)).sort(findingOrder);
}

/** Each finding with its subject's owner (docs/owners.md), read once for every subject. */
async function withOwners(
  executor: GraphExecutor,
  findings: Finding[],
  timeoutMs: number,
): Promise<Finding[]> {
  const ids = [...new Set(findings.map((f) => f.subject.id))];
  const owners = new Map<string, { owner: string; route: string }>();
  for (const part of chunk(ids, ROUTE_BATCH)) {
    const rows = await executor.read<{ id: string; owner: string; route: string }>(
      cypherFile('findings/subject-owners'),
      { ids: part },
      { action: 'reading the owners of finding subjects', timeoutMs },
    );
    for (const row of rows) owners.set(row.id, { owner: row.owner, route: row.route });
  }
  return findings.map((f) => {
    const found = owners.get(f.subject.id);
    return found ? { ...f, owner: found.owner, ownerRoute: found.route } : f;
  });
}

/** Most severe first, then rule id, subject name and target name (ids break remaining ties). */
export function findingOrder(a: Finding, b: Finding): number {
  return (
    severityRank(b.severity) - severityRank(a.severity) ||
    compare(a.ruleId, b.ruleId) ||
    compare(a.subject.name, b.subject.name) ||
    compare(a.target?.name ?? '', b.target?.name ?? '') ||
    compare(a.subject.id, b.subject.id) ||
    compare(a.target?.id ?? '', b.target?.id ?? '') ||
    compare(a.fingerprint, b.fingerprint)
  );
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** One query row → a Finding; malformed rows are errors naming the rule and its query. */
export function toFinding(rule: RuleDeclaration, row: FindingRow): Finding {
  const where = `rule ${rule.id} (cypher/findings/${rule.query}.cypher)`;
  if (!row.subject || typeof row.subject.id !== 'string')
    throw new Error(`${where}: a row has no subject id`);
  if (!Array.isArray(row.ids) || row.ids.length === 0)
    throw new Error(`${where}: a row has no ids to fingerprint`);
  const ids = row.ids.map((id) => String(id));
  const evidence = row.evidence ? parseEvidence(row.evidence, `${where}: finding evidence`) : [];
  const path = (row.path ?? []).map((hop) => toHop(hop, where));
  return {
    fingerprint: fingerprint(rule.id, ids),
    ruleId: rule.id,
    title: rule.title,
    category: rule.category,
    severity: severityOf(rule, row.severity, where),
    subject: toNodeRef(row.subject),
    target: row.target ? toNodeRef(row.target) : null,
    message: withReason(row.message, path),
    path,
    conditional: row.conditional === true,
    facts: toFacts(row.facts ?? {}),
    ...(evidence.length > 0 ? { evidence } : {}),
  };
}

function severityOf(rule: RuleDeclaration, rowSeverity: string | null, where: string): Severity {
  if (rule.severityFixed || rowSeverity === null || rowSeverity === undefined) return rule.severity;
  if (!(SEVERITIES as readonly string[]).includes(rowSeverity))
    throw new Error(`${where}: row severity "${rowSeverity}" is not one of ${SEVERITIES.join(', ')}`);
  return rowSeverity as Severity;
}

export function toNodeRef(row: NodeRow): NodeRef {
  const spec = row.labels?.map((l) => nodeKind(l)).find((k): k is NodeKindSpec => k !== undefined);
  return {
    id: row.id,
    kind: spec?.label ?? row.kind ?? row.labels?.[0] ?? 'Unknown',
    name: row.name ?? row.id,
    scope: row.scope ?? null,
  };
}

/**
 * A message's `{reason}`: the reason of the route's first hop, which the graph does not store
 * (`evidenceReason`, model/validate.ts) and a query therefore cannot write into its message.
 */
function withReason(message: string, path: readonly FindingHop[]): string {
  return message.replace('{reason}', () => path[0]?.reason ?? '');
}

function toHop(hop: HopRow, where: string): FindingHop {
  const from = toNodeRef(hop.from);
  const to = toNodeRef(hop.to);
  const evidence = hop.evidence
    ? parseEvidence(hop.evidence, `${where}: ${hop.type} ${from.id} -> ${to.id}`)
    : [];
  return {
    from,
    to,
    type: hop.type,
    technique: hop.technique ?? null,
    levels: hop.levels ?? [],
    reason: evidenceReason(evidence),
    evidence,
    conditional: hop.conditional === true,
    ...hopUse(
      hop.memberUse
        ? pairUse(hop.memberUse, to.id)
        : { used: hop.used, useCount: hop.useCount, lastUsed: hop.lastUsed },
    ),
  };
}

function parseEvidence(text: string, what: string): Evidence[] {
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as Evidence[]) : [];
  } catch {
    throw new Error(`${what}: stored evidence is not valid JSON`);
  }
}

/** Facts are scalars in reports: lists become comma-separated strings, nested maps JSON. */
function toFacts(facts: Record<string, unknown>): Record<string, FactValue> {
  const out: Record<string, FactValue> = {};
  // Map keys come back in no particular order; sorted, equal facts compare equal across runs.
  for (const [key, value] of Object.entries(facts).sort(([a], [b]) => compare(a, b))) {
    if (value === null || value === undefined) out[key] = null;
    else if (Array.isArray(value)) out[key] = value.map(String).join(', ');
    else if (typeof value === 'object') out[key] = JSON.stringify(value);
    else out[key] = value as FactValue;
  }
  return out;
}
