import type { FactValue, RuleParameterValue, Severity } from '../../reports/types.js';
import type { GrantedEdge } from '../granted-vs-used.js';
import { withinResource } from '../granted-vs-used.js';
import { isAddressNetwork, patternMatcher, userAgentFamily, withinKnownNetworks } from './patterns.js';
import type { IdentityReview, ReviewRow } from './review.js';

/**
 * The anomaly detectors: pure functions over one identity's day (review.ts), each run by a rule of
 * rules/ that names it (`detector:`) with its thresholds (`parameters:`) and severity. A detector
 * returns hits; index.ts turns them into findings with the events behind them.
 */

/** What the graph says, when one is at hand (graph-context.ts); every answer may be unknown. */
export interface DetectorContext {
  /** The environment of a resource the graph holds (production, staging, …); undefined when unknown. */
  environmentOf(resource: string): string | undefined;
  /** The identity's own CAN_ACCESS / CAN_ASSUME / FEDERATES_TO edges; undefined without a graph. */
  grantedOf(identity: string): GrantedEdge[] | undefined;
  /**
   * What the provider recorded of the identity's use, when the graph holds it: the last use (AWS
   * RoleLastUsed) and the creation time (ISO-8601), for identities the logs never saw before.
   */
  recordedUseOf?(identity: string): { lastUsedAt: string | null; createdAt: string | null } | undefined;
}

export const NO_GRAPH: DetectorContext = {
  environmentOf: () => undefined,
  grantedOf: () => undefined,
  recordedUseOf: () => undefined,
};

export interface AnomalyHit {
  /** What names this anomaly beside the rule, the identity and the day (fingerprinted). */
  ids: string[];
  message: string;
  /** The resource or role the anomaly concerns, when one. */
  target?: string | null;
  severity?: Severity;
  /** Shown in reports; lists become comma-separated. */
  facts: Record<string, FactValue | string[]>;
  /** The day's aggregate rows behind it (their samples are the events a finding lists). */
  rows: ReviewRow[];
}

export type Parameters = Record<string, RuleParameterValue>;

export interface DetectorSpec {
  name: string;
  /** The parameters it reads, with the value it takes when a rule does not declare one. */
  defaults: Parameters;
  detect(review: IdentityReview, parameters: Parameters, context: DetectorContext): AnomalyHit[];
}

const num = (p: Parameters, name: string): number => Number(p[name]);
const list = (p: Parameters, name: string): string[] => {
  const value = p[name];
  return Array.isArray(value) ? value : [];
};

/** The baseline is long enough to call something new: the logs covered enough of the window. */
function baselineLongEnough(review: IdentityReview, p: Parameters): boolean {
  return (
    review.baseline.coveredDays >= num(p, 'minBaselineDays') &&
    review.baseline.activeDays >= num(p, 'minActiveDays')
  );
}

function sum(rows: ReviewRow[]): number {
  return rows.reduce((total, r) => total + r.count, 0);
}

function groupBy<K>(rows: ReviewRow[], key: (r: ReviewRow) => K): Map<K, ReviewRow[]> {
  const out = new Map<K, ReviewRow[]>();
  for (const row of rows) {
    const k = key(row);
    out.set(k, [...(out.get(k) ?? []), row]);
  }
  return out;
}

/** Median of a list (0 when empty). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * The robust spread of a series: its median absolute deviation scaled by 1.4826 (so it estimates
 * the standard deviation of normally distributed data), floored at `floor`: a perfectly steady
 * identity has a MAD of 0, and a day one call above it is not an anomaly.
 */
export function robustSpread(values: readonly number[], floor: number): number {
  const m = median(values);
  return Math.max(1.4826 * median(values.map((v) => Math.abs(v - m))), floor);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/**
 * First-time sensitive action: a call of an action the identity never made in its baseline, among
 * the rule's `actions` (IAM, RBAC and IAM-policy changes, credential creation, secret reads); for
 * `newTargetActions` (role assumption, service-account token minting, impersonation) a target the
 * identity never called the action on. Refused attempts count: trying is the signal.
 */
const firstSensitiveAction: DetectorSpec = {
  name: 'first-sensitive-action',
  defaults: { actions: [], newTargetActions: [], minBaselineDays: 7, minActiveDays: 0 },
  detect(review, p) {
    if (!baselineLongEnough(review, p)) return [];
    const sensitive = patternMatcher(list(p, 'actions'));
    const newTarget = patternMatcher(list(p, 'newTargetActions'));
    const hits: AnomalyHit[] = [];
    const byAction = groupBy(
      review.rows.filter((r) => sensitive(r.action) && !newTarget(r.action) && !r.seenAction),
      (r) => r.action,
    );
    for (const [action, rows] of byAction)
      hits.push({
        ids: [action],
        message: `${review.identity} called ${action} for the first time in ${review.baseline.coveredDays} days (${outcomes(rows)})`,
        target: rows.find((r) => r.resource !== null)?.resource ?? null,
        facts: { action, events: sum(rows), outcomes: outcomes(rows) },
        rows,
      });
    const byTarget = groupBy(
      review.rows.filter((r) => newTarget(r.action) && !r.seenActionResource),
      (r) => `${r.action}\u0000${r.resource ?? ''}`,
    );
    for (const rows of byTarget.values()) {
      const { action, resource } = rows[0] as ReviewRow;
      hits.push({
        ids: [action, resource ?? ''],
        message: `${review.identity} called ${action} on ${resource ?? '(no resource)'} for the first time in ${review.baseline.coveredDays} days (${outcomes(rows)})`,
        target: resource,
        facts: { action, resource, events: sum(rows), outcomes: outcomes(rows) },
        rows,
      });
    }
    return hits;
  },
};

function outcomes(rows: ReviewRow[]): string {
  const counts = groupBy(rows, (r) => r.outcome);
  return [...counts]
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([outcome, rs]) => `${sum(rs)} ${outcome}`)
    .join(', ');
}

/** The resource an aggregate row's resource belongs to as the graph names it (review.ts resource_container). */
export function resourceContainer(resource: string): string {
  if (resource.startsWith('arn:aws:s3:::') && resource.includes('/')) return resource.split('/')[0] as string;
  const objects = resource.indexOf('/objects/');
  return objects >= 0 ? resource.slice(0, objects) : resource;
}

/**
 * The environment of a logged resource: the graph's, else (for resources the graph does not hold) by
 * `productionPattern` on the resource's name, when the rule sets one.
 */
function environmentOf(resource: string, p: Parameters, context: DetectorContext): string | undefined {
  const container = resourceContainer(resource);
  const known = context.environmentOf(container) ?? context.environmentOf(resource);
  if (known !== undefined) return known;
  const pattern = String(p.productionPattern ?? '');
  return pattern && new RegExp(pattern, 'i').test(container) ? 'production' : undefined;
}

/**
 * First access to a production resource: a successful call on a resource (an object's bucket) in one
 * of `environments` that the identity made no successful call on in its baseline.
 */
const firstProductionAccess: DetectorSpec = {
  name: 'first-production-access',
  defaults: {
    environments: ['production'],
    productionPattern: '',
    minBaselineDays: 7,
    minActiveDays: 3,
  },
  detect(review, p, context) {
    if (!baselineLongEnough(review, p)) return [];
    const environments = new Set(list(p, 'environments'));
    const fresh = review.rows.filter(
      (r) => r.outcome === 'success' && r.resource !== null && !r.seenContainer,
    );
    const hits: AnomalyHit[] = [];
    for (const [container, rows] of groupBy(fresh, (r) => resourceContainer(r.resource as string))) {
      const environment = environmentOf(container, p, context);
      if (environment === undefined || !environments.has(environment)) continue;
      const actions = [...new Set(rows.map((r) => r.action))].sort();
      hits.push({
        ids: [container],
        message: `${review.identity} accessed ${environment} resource ${container} for the first time in ${review.baseline.coveredDays} days (${actions.join(', ')})`,
        target: container,
        facts: { resource: container, environment, actions, events: sum(rows) },
        rows,
      });
    }
    return hits;
  },
};

type SourceDimension = 'network' | 'region' | 'userAgent';

/**
 * A new source: calls from a source network (/24, /48) outside the baseline's networks and outside
 * `knownNetworks`, from a region, or with a user-agent family the identity never used. Service
 * names (`AWS Internal`, `ec2.amazonaws.com`) are not networks and are left out.
 */
const newSource: DetectorSpec = {
  name: 'new-source',
  defaults: { dimension: 'network', knownNetworks: [], minEvents: 1, minBaselineDays: 7, minActiveDays: 3 },
  detect(review, p) {
    if (!baselineLongEnough(review, p)) return [];
    const dimension = String(p.dimension) as SourceDimension;
    const known = list(p, 'knownNetworks');
    const pick = (r: ReviewRow): string | null =>
      dimension === 'network' ? r.network : dimension === 'region' ? r.region : userAgentFamily(r.userAgent);
    const fresh = review.rows.filter((r) => {
      const value = pick(r);
      if (value === null) return false;
      if (dimension === 'network')
        return !r.seenNetwork && isAddressNetwork(value) && !withinKnownNetworks(value, known);
      return dimension === 'region' ? !r.seenRegion : !r.seenUserAgent;
    });
    const byValue = groupBy(fresh, (r) => pick(r) as string);
    const values = [...byValue.keys()].sort();
    const rows = values.flatMap((v) => byValue.get(v) ?? []);
    if (values.length === 0 || sum(rows) < num(p, 'minEvents')) return [];
    const what = { network: 'from source network', region: 'in region', userAgent: 'with user agent' }[
      dimension
    ];
    const denied = sum(rows.filter((r) => r.outcome !== 'success'));
    return [
      {
        ids: values,
        message: `${review.identity} made ${plural(sum(rows), 'call')} ${what.replace(' ', ' new ')}${values.length > 1 ? 's' : ''} ${values.join(', ')}${denied ? ` (${denied} refused or failed)` : ''}`,
        facts: {
          [dimension]: values,
          events: sum(rows),
          refusedOrFailed: denied,
          actions: [...new Set(rows.map((r) => r.action))].sort().slice(0, 20),
        },
        rows,
      },
    ];
  },
};

/**
 * Calls at hours of the day (UTC) the identity was never active at in its baseline: a scheduled job
 * runs at its hours, a person or script replaying its credential at theirs. Rows stored without
 * hours (before the store kept them) are left out, and so is an identity whose baseline has none.
 */
const newHours: DetectorSpec = {
  name: 'new-hours',
  defaults: { minEvents: 1, minDistanceHours: 3, minBaselineDays: 7, minActiveDays: 7 },
  detect(review, p) {
    const usual = review.baseline.hours;
    if (!baselineLongEnough(review, p) || usual === null || usual === 0) return [];
    const candidates = review.rows.filter((r) => r.hours !== null && (r.hours & ~usual) !== 0);
    if (candidates.length === 0) return [];
    const hours = [...Array(24).keys()].filter((h) => candidates.some((r) => ((r.hours as number) >> h) & 1));
    // An hour counts when it is more than `minDistanceHours` from every usual hour (around midnight
    // too): a pipeline a person triggers at 11:00 instead of 10:00 keeps its working day.
    const distance = num(p, 'minDistanceHours');
    const novel = hours.filter((h) =>
      [...Array(24).keys()].every(
        (u) => !((usual >> u) & 1) || Math.min(Math.abs(h - u), 24 - Math.abs(h - u)) > distance,
      ),
    );
    if (novel.length === 0) return [];
    const fresh = candidates.filter((r) => novel.some((h) => ((r.hours as number) >> h) & 1));
    // The samples of those hours only: a row's other events fell in usual hours.
    const rows = fresh.map((r) => ({
      ...r,
      samples: r.samples.filter((s) => novel.includes(new Date(s.time).getUTCHours())),
    }));
    const events = sum(fresh);
    if (events < num(p, 'minEvents')) return [];
    const labels = novel.map((h) => `${String(h).padStart(2, '0')}:00`);
    return [
      {
        ids: labels,
        message: `${review.identity} was active at ${labels.join(', ')} UTC, hours its baseline never held`,
        facts: {
          hours: labels,
          usualHours: [...Array(24).keys()]
            .filter((h) => (usual >> h) & 1)
            .map((h) => `${String(h).padStart(2, '0')}:00`),
          actions: [...new Set(fresh.map((r) => r.action))].sort().slice(0, 20),
        },
        rows: rows.filter((r) => r.samples.length > 0),
      },
    ];
  },
};

/**
 * A burst of refused calls, as enumeration with a stolen credential looks: at least `minDenied`
 * refusals over at least `minDistinctActions` actions, `threshold` robust deviations above the
 * identity's own daily refusals.
 */
const deniedBurst: DetectorSpec = {
  name: 'denied-burst',
  defaults: { minDenied: 10, minDistinctActions: 3, threshold: 5, minBaselineDays: 7, minActiveDays: 0 },
  detect(review, p) {
    if (!baselineLongEnough(review, p)) return [];
    const rows = review.rows.filter((r) => r.outcome === 'denied');
    const denied = sum(rows);
    const actions = [...new Set(rows.map((r) => r.action))].sort();
    const usual = median(review.baseline.denied);
    const spread = robustSpread(review.baseline.denied, 1);
    const score = (denied - usual) / spread;
    if (
      denied < num(p, 'minDenied') ||
      actions.length < num(p, 'minDistinctActions') ||
      score < num(p, 'threshold')
    )
      return [];
    return [
      {
        ids: [],
        message: `${review.identity} was refused ${denied} calls over ${plural(actions.length, 'action')} (usually ${usual} a day)`,
        facts: {
          denied,
          distinctActions: actions.length,
          actions: actions.slice(0, 20),
          baselineMedian: usual,
          score: round(score),
        },
        rows: topRows(rows, 20),
      },
    ];
  },
};

/**
 * A volume spike against the identity's own history: the day's calls at least `minEvents`, at least
 * `minRatio` times its median day and `threshold` robust deviations (median/MAD) above it, over a
 * baseline of at least `minActiveDays` active days. No global threshold: a busy pipeline's ordinary
 * day is not a spike, a quiet bot's hundredfold day is.
 */
const volumeSpike: DetectorSpec = {
  name: 'volume-spike',
  defaults: { threshold: 6, minRatio: 3, minEvents: 100, minBaselineDays: 7, minActiveDays: 7 },
  detect(review, p) {
    if (!baselineLongEnough(review, p)) return [];
    const total = sum(review.rows);
    const usual = median(review.baseline.volume);
    const spread = robustSpread(review.baseline.volume, Math.max(1, 0.1 * usual));
    const score = (total - usual) / spread;
    if (total < num(p, 'minEvents') || total < num(p, 'minRatio') * usual || score < num(p, 'threshold'))
      return [];
    return [
      {
        ids: [],
        message: `${review.identity} made ${total} calls, ${usual > 0 ? `${round(total / usual)}× its median day of ${usual}` : 'against a median day of none'}`,
        facts: { events: total, baselineMedian: usual, baselineSpread: round(spread), score: round(score) },
        rows: topRows(review.rows, 20),
      },
    ];
  },
};

/**
 * A dormant identity active again: calls after at least `dormantDays` days without any, over a
 * window the logs covered (`minBaselineDays` covered days), so a gap in the logs is not dormancy.
 * An identity the store never saw before is not dormant (nothing is known of it).
 */
const dormantActive: DetectorSpec = {
  name: 'dormant-active',
  defaults: { dormantDays: 30, minBaselineDays: 14 },
  detect(review, p, context) {
    // Without a call in the store, what the provider recorded: the last use, else the creation (an
    // AWS role with an empty RoleLastUsed was not used in the 400 days AWS tracks).
    const recorded =
      review.baseline.lastActivityBefore === null ? context.recordedUseOf?.(review.identity) : undefined;
    const last = review.baseline.lastActivityBefore ?? recorded?.lastUsedAt ?? recorded?.createdAt ?? null;
    if (last === null || review.baseline.coveredDays < num(p, 'minBaselineDays')) return [];
    const idle = Math.floor((Date.parse(`${review.day}T00:00:00Z`) - Date.parse(last)) / 86_400_000);
    if (idle < num(p, 'dormantDays')) return [];
    return [
      {
        ids: [],
        message: `${review.identity} is active again after ${idle} days without a call (${
          review.baseline.lastActivityBefore || recorded?.lastUsedAt
            ? 'last'
            : 'no recorded use since its creation'
        } ${last})`,
        facts: {
          idleDays: idle,
          lastActivityBefore: last,
          from: review.baseline.lastActivityBefore ? 'activity store' : 'provider record',
          events: sum(review.rows),
        },
        rows: topRows(review.rows, 20),
      },
    ];
  },
};

/**
 * A non-human identity doing what people do: console sign-in and MFA (`actions`), or calls from a
 * browser (`userAgents`). With `onlyNew`, only what its baseline did not already hold.
 */
const humanActivity: DetectorSpec = {
  name: 'human-activity',
  defaults: { actions: [], userAgents: [], onlyNew: true, minBaselineDays: 0 },
  detect(review, p) {
    if (review.baseline.coveredDays < num(p, 'minBaselineDays')) return [];
    const action = patternMatcher(list(p, 'actions'));
    const agent = patternMatcher(list(p, 'userAgents'));
    const onlyNew = p.onlyNew !== false;
    const rows = review.rows.filter(
      (r) =>
        (action(r.action) && !(onlyNew && r.seenAction)) ||
        (agent(r.userAgent) && !(onlyNew && r.seenUserAgent)),
    );
    if (rows.length === 0) return [];
    const actions = [...new Set(rows.map((r) => r.action))].sort();
    return [
      {
        ids: actions,
        message: `non-human identity ${review.identity} did what people do: ${actions.slice(0, 5).join(', ')}${actions.length > 5 ? ', …' : ''}`,
        facts: {
          actions,
          userAgents: [...new Set(rows.map((r) => userAgentFamily(r.userAgent) ?? ''))].sort(),
          events: sum(rows),
        },
        rows,
      },
    ];
  },
};

const ASSUME = patternMatcher(['sts:AssumeRole*']);

/**
 * A reachable path exercised for the first time: a successful use of one of the identity's own
 * edges in the graph that its baseline never used: a CAN_ACCESS edge to a resource in one of
 * `environments`, or (with `hops`) a CAN_ASSUME / FEDERATES_TO edge, by an assumption of the role.
 * The analysis said the route existed; now it is travelled.
 */
const pathFirstExercised: DetectorSpec = {
  name: 'path-first-exercised',
  defaults: { environments: ['production'], hops: true, minBaselineDays: 7, minActiveDays: 3 },
  detect(review, p, context) {
    if (!baselineLongEnough(review, p)) return [];
    const edges = context.grantedOf(review.identity) ?? [];
    const environments = new Set(list(p, 'environments'));
    const success = review.rows.filter((r) => r.outcome === 'success' && r.resource !== null);
    const hits: AnomalyHit[] = [];
    for (const edge of edges) {
      let rows: ReviewRow[];
      if (edge.type === 'CAN_ACCESS') {
        if (!environments.has(edge.environment ?? '')) continue;
        rows = success.filter((r) => !ASSUME(r.action) && withinResource(r.resource as string, edge.target));
        if (rows.length === 0 || rows.some((r) => r.seenContainer)) continue;
      } else {
        if (p.hops === false) continue;
        rows = success.filter((r) => ASSUME(r.action) && r.resource === edge.target);
        if (rows.length === 0 || rows.some((r) => r.seenActionResource)) continue;
      }
      hits.push({
        ids: [edge.type, edge.target],
        message: `${review.identity} used its ${edge.type} edge to ${edge.target}${edge.environment ? ` (${edge.environment})` : ''} for the first time in ${review.baseline.coveredDays} days`,
        target: edge.target,
        facts: {
          edge: edge.type,
          environment: edge.environment,
          levels: edge.levels ?? [],
          actions: [...new Set(rows.map((r) => r.action))].sort(),
          events: sum(rows),
        },
        rows,
      });
    }
    return hits;
  },
};

function topRows(rows: ReviewRow[], n: number): ReviewRow[] {
  return [...rows].sort((a, b) => b.count - a.count).slice(0, n);
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}

export const DETECTORS: readonly DetectorSpec[] = [
  firstSensitiveAction,
  firstProductionAccess,
  newSource,
  newHours,
  deniedBurst,
  volumeSpike,
  dormantActive,
  humanActivity,
  pathFirstExercised,
];

export function detectorNamed(name: string): DetectorSpec | undefined {
  return DETECTORS.find((d) => d.name === name);
}
