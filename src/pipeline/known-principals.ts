import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { NODE_KINDS } from '../model/node-kinds.js';
import type { ValidInventory } from '../model/validate.js';

const EXTERNAL = 'external:';

/**
 * A principal outside this run's collection is an `external:<ARN>` node. When the graph already
 * holds that principal (a role of an account this run could not collect, kept from an earlier
 * run), the two ids would stand for one role: `AwsRole arn:…:role/x` and `external:arn:…:role/x`.
 * Edges to the external id are pointed at the known principal instead, and the external node is
 * dropped, so a partial collection never shows the same principal twice. Principals of scopes this
 * run collected completely are not used: those scopes are authoritative, and a principal they no
 * longer report is about to be cleaned. Changes `valid` in place; returns the ids resolved.
 */
export async function resolveKnownPrincipals(
  executor: GraphExecutor,
  valid: ValidInventory,
): Promise<string[]> {
  const externals = valid.nodes.filter((n) => n.kind === 'ExternalPrincipal' && n.id.startsWith(EXTERNAL));
  if (externals.length === 0) return [];
  const complete = new Set(valid.inventory.scopes.filter((s) => s.complete).map((s) => s.id));
  const rows = await executor.read<{ id: string; kind: string; scope: string | null }>(
    cypherFile('pipeline/principals-by-id'),
    { ids: externals.map((n) => n.id.slice(EXTERNAL.length)), kinds: NODE_KINDS.map((k) => k.label) },
    { action: 'finding principals the graph already holds under their own ids' },
  );
  const known = new Map(
    rows
      .filter((r) => r.kind !== 'ExternalPrincipal' && !(r.scope !== null && complete.has(r.scope)))
      .map((r) => [`${EXTERNAL}${r.id}`, r]),
  );
  if (known.size === 0) return [];
  valid.nodes = valid.nodes.filter((n) => !known.has(n.id));
  valid.relationships = valid.relationships.map((r) => {
    const from = known.get(r.from);
    const to = known.get(r.to);
    return from || to
      ? {
          ...r,
          ...(from ? { from: from.id, fromKind: from.kind } : {}),
          ...(to ? { to: to.id, toKind: to.kind } : {}),
        }
      : r;
  });
  return [...known.keys()];
}
