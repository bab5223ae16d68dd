import type { GraphExecutor } from '../../graph/executor.js';
import { effectiveRules, type RulesConfig } from '../../reports/rules/config.js';
import { loadRules } from '../../reports/rules/registry.js';
import { applySuppressions, type Suppression } from '../../reports/suppressions.js';
import { type Finding, type Severity, severityRank } from '../../reports/types.js';
import type { ActivityStore } from '../store.js';
import { readAnomalyGraph } from './graph-context.js';
import { anomalyRules, DEFAULT_BASELINE_DAYS, detectAnomalies } from './index.js';
import { lastDayWithEvents } from './review.js';

/** A filter the store cannot answer (an unknown rule, a day that is not a date): the caller's to fix. */
export class AnomalyFilterError extends Error {}

/** What `reachgraph anomalies` and the API's `anomalies(filter)` ask for. */
export interface AnomalyFilter {
  /** Only this identity. */
  identity?: string;
  /** The (last) day under review, YYYY-MM-DD; default the store's last day with events. */
  day?: string;
  /** Days under review ending at `day` (default 1). */
  days?: number;
  /** Days of baseline before each day (default 30). */
  baselineDays?: number;
  /** Only these rules (ids). */
  ruleIds?: string[];
  /** Only anomalies at least this severe. */
  minSeverity?: Severity;
}

export interface AnomalyAnswer {
  days: { day: string; identities: number }[];
  baselineDays: number;
  /** Active anomalies, most severe first. */
  anomalies: Finding[];
  /** Anomalies a suppression entry covers (with it). */
  suppressed: Finding[];
}

/**
 * The anomalies of the filter: the anomaly rules (configuration applied) over the store, with the
 * graph's view of identities and resources when an executor is given, suppressions applied. The one
 * implementation of the CLI and the API.
 */
export async function queryAnomalies(
  store: ActivityStore,
  filter: AnomalyFilter,
  options: {
    executor?: GraphExecutor;
    rulesConfig?: RulesConfig;
    suppressions?: Suppression[];
    now?: Date;
  } = {},
): Promise<AnomalyAnswer> {
  const baselineDays = filter.baselineDays ?? DEFAULT_BASELINE_DAYS;
  let rules = anomalyRules(effectiveRules(loadRules(), options.rulesConfig));
  if (filter.ruleIds?.length) {
    const known = new Set(anomalyRules().map((r) => r.id));
    const unknown = filter.ruleIds.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new AnomalyFilterError(
        `unknown anomaly rule ${unknown.join(', ')}; known: ${[...known].join(', ')}`,
      );
    rules = rules.filter((r) => filter.ruleIds?.includes(r.id));
  }
  const day = filter.day ?? (await lastDayWithEvents(store));
  if (day === undefined) return { days: [], baselineDays, anomalies: [], suppressed: [] };
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`)))
    throw new AnomalyFilterError(`day "${day}" is not a date as YYYY-MM-DD`);
  const days = Math.max(1, filter.days ?? 1);
  const first = new Date(Date.parse(`${day}T00:00:00Z`) - (days - 1) * 86_400_000).toISOString().slice(0, 10);
  const graph = options.executor ? await readAnomalyGraph(options.executor, store, first, day) : undefined;
  const run = await detectAnomalies(store, {
    day,
    days,
    baselineDays,
    rules,
    ...(graph ? { graph } : {}),
    ...(filter.identity ? { identity: filter.identity } : {}),
  });
  const minimum = filter.minSeverity;
  const found = minimum
    ? run.findings.filter((f) => severityRank(f.severity) >= severityRank(minimum))
    : run.findings;
  const { active, suppressed } = applySuppressions(
    found,
    options.suppressions ?? [],
    options.now ?? new Date(),
  );
  return { days: run.days, baselineDays, anomalies: active, suppressed };
}
