import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import type { ValidInventory } from '../model/validate.js';

/**
 * An edge between a complete scope and a scope that could not be collected cannot be derived
 * this run (one side's policies are unknown). Cleaning the complete scope would delete it, so that
 * scope is kept uncleaned too, with the reason on the run. Marks those scopes incomplete in
 * `valid` and returns their ids.
 */
export async function protectNeighbours(executor: GraphExecutor, valid: ValidInventory): Promise<string[]> {
  const scopes = valid.inventory.scopes;
  const incomplete = scopes.filter((s) => !s.complete).map((s) => s.id);
  if (incomplete.length === 0) return [];
  const rows = await executor.read<{ scope: string }>(
    cypherFile('pipeline/scopes-touching'),
    { scopes: incomplete },
    { action: 'finding scopes with edges into scopes that could not be collected' },
  );
  const touching = new Set(rows.map((r) => r.scope));
  const protectedScopes: string[] = [];
  for (const scope of scopes) {
    if (!scope.complete || !touching.has(scope.id)) continue;
    scope.complete = false;
    scope.errors = [
      ...(scope.errors ?? []),
      `has edges to or from ${incomplete.join(', ')}, which could not be fully collected: its stale data is kept this run`,
    ];
    protectedScopes.push(scope.id);
  }
  return protectedScopes;
}
