import { existsSync } from 'node:fs';
import type { GraphExecutor } from '../../graph/executor.js';
import { findingOrder } from '../../reports/findings.js';
import { fingerprint } from '../../reports/fingerprint.js';
import { loadRules } from '../../reports/rules/registry.js';
import type { ActivityEvent, FactValue, Finding, NodeRef, RuleDeclaration } from '../../reports/types.js';
import { ActivityStore } from '../store.js';
import { type AnomalyHit, type DetectorContext, detectorNamed, NO_GRAPH } from './detectors.js';
import { type AnomalyGraph, readAnomalyGraph } from './graph-context.js';
import { daysWithEvents, type IdentityReview, lastDayWithEvents, readReviews } from './review.js';

/**
 * Behaviour baselines and anomaly detection over the activity store (docs/activity.md#anomaly-detectors):
 * each day under review, each identity active that day is compared with its own baseline (the
 * `baselineDays` before the day) by the detectors the anomaly rules of rules/ name; each hit is a
 * finding with the events behind it, fingerprinted by rule, identity, day and what is new, so it can
 * be suppressed like any finding and reported and alerted by the same report.
 */

export const DEFAULT_BASELINE_DAYS = 30;

/** Events listed per anomaly: the earliest of each of its aggregates, up to this many. */
export const MAX_EVENTS = 25;

export interface DetectAnomaliesOptions {
  /** The (last) day under review, YYYY-MM-DD (UTC); default the last day the store holds events for. */
  day?: string;
  /** Review this many days ending at `day`, each against its own baseline (default 1). */
  days?: number;
  /** Days of baseline before each day under review (default 30). */
  baselineDays?: number;
  /** The anomaly rules to run, configuration applied (default: the registry's rules with a detector). */
  rules?: RuleDeclaration[];
  /** What the graph knows (readAnomalyGraph); without it, identities and resources are told by their ids. */
  graph?: AnomalyGraph;
  /** Only this identity. */
  identity?: string;
}

export interface AnomalyRun {
  /** The days reviewed, each with the number of non-human identities active on it. */
  days: { day: string; identities: number }[];
  baselineDays: number;
  /** Most severe first. */
  findings: Finding[];
}

/** The anomaly rules among `rules`: those naming a detector. */
export function anomalyRules(rules: RuleDeclaration[] = loadRules()): RuleDeclaration[] {
  return rules.filter((r) => r.detector !== undefined);
}

/**
 * Run the anomaly rules over the days under review: the entry point of the CLI (`reachgraph
 * anomalies`), the API (`anomalies(filter)`), the report and an evaluation.
 */
export async function detectAnomalies(
  store: ActivityStore,
  options: DetectAnomaliesOptions = {},
): Promise<AnomalyRun> {
  const baselineDays = options.baselineDays ?? DEFAULT_BASELINE_DAYS;
  const rules = anomalyRules(options.rules);
  const last = options.day ?? (await lastDayWithEvents(store));
  if (last === undefined) return { days: [], baselineDays, findings: [] };
  const span = Math.max(1, options.days ?? 1);
  const first = new Date(Date.parse(`${last}T00:00:00Z`) - (span - 1) * 86_400_000)
    .toISOString()
    .slice(0, 10);
  const days = await daysWithEvents(store, first, last);
  const findings: Finding[] = [];
  const reviewed: AnomalyRun['days'] = [];
  for (const day of days) {
    const reviews = (await readReviews(store, day, baselineDays, options.identity)).filter((r) =>
      isNonHuman(r.identity, options.graph),
    );
    reviewed.push({ day, identities: reviews.length });
    for (const review of reviews) findings.push(...reviewFindings(review, rules, options.graph ?? NO_GRAPH));
  }
  return { days: reviewed, baselineDays, findings: findings.sort(findingOrder) };
}

/** Every rule's detector over one identity's day, as findings (pure). */
export function reviewFindings(
  review: IdentityReview,
  rules: RuleDeclaration[],
  context: DetectorContext | AnomalyGraph = NO_GRAPH,
): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    const detector = detectorNamed(rule.detector ?? '');
    if (!detector) continue;
    const parameters = { ...detector.defaults, ...rule.parameters };
    for (const hit of detector.detect(review, parameters, context))
      out.push(toAnomalyFinding(rule, review, hit, context));
  }
  return out;
}

function toAnomalyFinding(
  rule: RuleDeclaration,
  review: IdentityReview,
  hit: AnomalyHit,
  context: DetectorContext | AnomalyGraph,
): Finding {
  const graph = 'principalOf' in context ? context : undefined;
  const facts: Record<string, FactValue> = {
    day: review.day,
    baselineWindow: `${review.baseline.windowStart}..${review.baseline.windowEnd}`,
    baselineCoveredDays: review.baseline.coveredDays,
    baselineActiveDays: review.baseline.activeDays,
  };
  for (const [key, value] of Object.entries(hit.facts).sort(([a], [b]) => (a < b ? -1 : 1)))
    facts[key] = Array.isArray(value) ? value.join(', ') : value;
  return {
    fingerprint: fingerprint(rule.id, [review.identity, review.day, ...hit.ids]),
    ruleId: rule.id,
    title: rule.title,
    category: rule.category,
    severity: rule.severityFixed ? rule.severity : (hit.severity ?? rule.severity),
    subject: graph?.principalOf(review.identity)?.ref ?? refOf(review.identity, 'Principal'),
    target: hit.target ? (graph?.resourceOf(hit.target) ?? refOf(hit.target, 'Resource')) : null,
    message: `${review.day}: ${hit.message}`,
    path: [],
    conditional: false,
    facts,
    events: eventsOf(hit),
  };
}

/** The events behind a hit: each aggregate's samples (its first time when it has none), oldest first. */
function eventsOf(hit: AnomalyHit): ActivityEvent[] {
  const events = hit.rows.flatMap((row) => {
    const samples = row.samples.length > 0 ? row.samples : [{ time: row.firstTime, id: null }];
    return samples.map(
      (s): ActivityEvent => ({
        time: s.time,
        action: row.action,
        resource: row.resource,
        source: row.network,
        region: row.region,
        userAgent: row.userAgent,
        outcome: row.outcome,
        requestId: s.id,
      }),
    );
  });
  return events.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0)).slice(0, MAX_EVENTS);
}

/** A node named by its id alone (the graph does not hold it, or no graph was read). */
function refOf(id: string, fallback: string): NodeRef {
  const kind = /^arn:aws:iam::\d+:role\//.test(id)
    ? 'AwsRole'
    : /^arn:aws:iam::\d+:user\//.test(id)
      ? 'AwsUser'
      : id.startsWith('gcp:sa:')
        ? 'GcpServiceAccount'
        : /^k8s:[^:]+:[^:]+:sa:/.test(id)
          ? 'K8sServiceAccount'
          : fallback;
  const name = id.split(/[/:]/).filter(Boolean).at(-1) ?? id;
  return { id, kind, name, scope: null };
}

/**
 * Whether the detectors look at an identity: what the graph says (`nonHuman`), else by its id: AWS
 * roles, service principals and users (a CI key is an IAM user; the graph tells bots from people
 * when it is loaded), web-identity subjects, GCP service accounts and workload principals,
 * Kubernetes service accounts and nodes are; the account root, GCP and Kubernetes users and SAML
 * subjects (people signing in through an identity provider) are not.
 */
export function isNonHuman(id: string, graph?: AnomalyGraph): boolean {
  const known = graph?.principalOf(id)?.nonHuman;
  if (known !== undefined && known !== null) return known;
  if (id.endsWith(':root')) return false;
  if (id.startsWith('gcp:user:') || id.startsWith('gcp:group:') || id.startsWith('external:')) return false;
  if (/^k8s:[^:]+:user:/.test(id)) return false;
  return true;
}

/** Days of activity a report reviews by default: an anomaly stays in the report for a week. */
export const REPORT_ANOMALY_DAYS = 7;

/**
 * The anomaly findings of a report: the enabled anomaly rules over the last `days` days of the store
 * at `database`, with what the graph says of their identities and resources. None when the store
 * does not exist (no log ingested) or no anomaly rule is enabled.
 */
export async function reportAnomalies(
  executor: GraphExecutor,
  database: string,
  rules: RuleDeclaration[],
  options: { days?: number; baselineDays?: number } = {},
): Promise<Finding[]> {
  const enabled = anomalyRules(rules);
  if (enabled.length === 0 || (database !== ':memory:' && !existsSync(database))) return [];
  const store = await ActivityStore.open(database);
  try {
    const last = await lastDayWithEvents(store);
    if (last === undefined) return [];
    const days = options.days ?? REPORT_ANOMALY_DAYS;
    const first = new Date(Date.parse(`${last}T00:00:00Z`) - (days - 1) * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const graph = await readAnomalyGraph(executor, store, first, last);
    const run = await detectAnomalies(store, {
      day: last,
      days,
      rules: enabled,
      graph,
      ...(options.baselineDays === undefined ? {} : { baselineDays: options.baselineDays }),
    });
    return run.findings;
  } finally {
    store.close();
  }
}
