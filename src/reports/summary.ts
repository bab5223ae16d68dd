import { type Finding, type ReportSummary, SEVERITIES, type Severity } from './types.js';

/** Counts of the active findings by severity and by rule; suppressed ones are only counted apart. */
export function summarize(active: readonly Finding[], suppressed: readonly Finding[]): ReportSummary {
  const bySeverity = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  const byRule: Record<string, number> = {};
  for (const finding of active) {
    bySeverity[finding.severity] += 1;
    byRule[finding.ruleId] = (byRule[finding.ruleId] ?? 0) + 1;
  }
  return {
    total: active.length,
    bySeverity,
    byRule: Object.fromEntries(Object.entries(byRule).sort(([a], [b]) => a.localeCompare(b))),
    suppressed: suppressed.length,
    conditional: active.filter((f) => f.conditional).length,
  };
}
