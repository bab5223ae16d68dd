import { type CypherFile, cypherFiles } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { ACCESS_LEVELS } from '../model/properties.js';
import { storedEvidenceReason } from '../model/validate.js';
import { scopeKinds } from './escalation-targets.js';

/**
 * Named questions are data: each file in cypher/queries/ has a name and a description in its
 * header, and the CLI (and later the API and reports) list and run them from there.
 */
export function namedQueries(): CypherFile[] {
  return cypherFiles('queries');
}

export function namedQuery(name: string): CypherFile {
  const all = namedQueries();
  const found = all.find((q) => q.name === name);
  if (!found) throw new Error(`no query named "${name}"; known: ${all.map((q) => q.name).join(', ')}`);
  return found;
}

export async function runNamedQuery(
  executor: GraphExecutor,
  name: string,
  params: Record<string, unknown> = {},
  timeoutMs = 60_000,
): Promise<Record<string, unknown>[]> {
  // Vocabulary facts a query may decode stored integers with, never typed into a file by hand.
  const standard = { accessLevels: [...ACCESS_LEVELS], scopeKinds: scopeKinds() };
  const rows = await executor.read<Record<string, unknown>>(
    namedQuery(name),
    { ...standard, ...params },
    {
      action: `running query ${name}`,
      timeoutMs,
    },
  );
  return rows.map(withReason);
}

/**
 * A row that returns an edge's stored `evidence` gets its `reason` just before it: the graph does
 * not store an edge's reason (`evidenceReason`, model/validate.ts), so a query cannot return it.
 */
function withReason(row: Record<string, unknown>): Record<string, unknown> {
  if (typeof row.evidence !== 'string' || 'reason' in row) return row;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (key === 'evidence') out.reason = storedEvidenceReason(value);
    out[key] = value;
  }
  return out;
}
