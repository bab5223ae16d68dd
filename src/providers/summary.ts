import type { CollectionIssue } from '../model/collection-issue.js';
import type { Inventory } from '../model/inventory.js';
import { nodeKind } from '../model/node-kinds.js';
import type { ProviderAnalysis, ProviderSummary } from './contract.js';

/** The counts every provider reports: principals of its inventory, derived edges per type, findings per severity, issues. */
export function summarizeRun(
  analysis: ProviderAnalysis,
  inventory: Inventory,
  issues: readonly CollectionIssue[],
): ProviderSummary {
  const edges: Record<string, number> = {};
  for (const e of analysis.edges) edges[e.type] = (edges[e.type] ?? 0) + 1;
  const findings: Record<string, number> = {};
  for (const f of analysis.findings) findings[f.severity] = (findings[f.severity] ?? 0) + 1;
  const counts = { error: 0, warning: 0, info: 0 };
  for (const i of issues) counts[i.severity] += 1;
  return {
    principals: inventory.nodes.filter((n) => nodeKind(n.kind)?.categories.includes('principal')).length,
    edges: sortedRecord(edges),
    findings: sortedRecord(findings),
    issues: counts,
  };
}

/** The scopes of an inventory, and whether each is complete. */
export function scopeStates(inventory: Inventory): { id: string; complete: boolean }[] {
  return inventory.scopes.map((s) => ({ id: s.id, complete: s.complete }));
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
