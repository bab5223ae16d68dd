import { type CypherFile, cypherFiles } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';

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
  return executor.read(namedQuery(name), params, {
    action: `running query ${name}`,
    timeoutMs,
  });
}

export interface PathHop {
  type: string;
  from: string;
  to: string;
  reason: string | null;
  conditions: string[] | null;
}

export interface PathRow {
  identityName: string;
  nhiType: string | null;
  resourceName: string;
  levels: string[] | null;
  conditional: boolean | null;
  names: string[];
  hops: PathHop[];
}

/** One line per path (identity → … → resource), then the reason for each hop, indented. */
export function formatPaths(rows: PathRow[]): string {
  if (rows.length === 0) return 'No non-human identity can reach a production resource.';
  const lines: string[] = [];
  for (const row of rows) {
    const levels = row.levels?.join(',') ?? '';
    const conditional = row.conditional ? ' [conditional]' : '';
    lines.push(
      `${row.identityName} (${row.nhiType ?? 'identity'}) → ${row.resourceName}  [${levels}]${conditional}`,
    );
    lines.push(`    path: ${row.names.join(' → ')}`);
    for (const hop of row.hops) {
      const when = hop.conditions?.length ? ` [only if ${hop.conditions.join(', ')}]` : '';
      lines.push(`    ${hop.from} -${hop.type}-> ${hop.to}: ${hop.reason ?? ''}${when}`);
    }
  }
  return lines.join('\n');
}
