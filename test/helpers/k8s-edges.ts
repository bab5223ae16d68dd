import type { InventoryRelationship } from '../../src/model/inventory.js';

/**
 * Edges as sorted lines (type, ends, properties with sorted keys, evidence in its order), so two
 * analyses compare as equal exactly when they give the same edges with the same evidence.
 */
export function sortedEdges(edges: readonly InventoryRelationship[]): string[] {
  return edges
    .map((e) =>
      JSON.stringify([
        e.type,
        e.from,
        e.to,
        Object.entries(e.properties ?? {}).sort(([a], [b]) => (a < b ? -1 : 1)),
        e.evidence,
      ]),
    )
    .sort();
}
