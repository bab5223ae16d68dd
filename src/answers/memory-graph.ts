import type { PropertyValue } from '../model/inventory.js';
import { labelsOf, nodeKind } from '../model/node-kinds.js';
import type { ValidInventory } from '../model/validate.js';
import type { RawEdge } from './answer-shape.js';

export interface MemoryNode {
  id: string;
  kind: string;
  labels: readonly string[];
  /** The node's properties as Neo4j holds them (scope included), so filters behave alike. */
  properties: Readonly<Record<string, PropertyValue>>;
}

/**
 * A small typed graph over exactly what the loader would write (a validated Inventory): nodes by
 * id with their labels, edges indexed by source and by target. Enough for breadth-first path
 * questions without Neo4j.
 */
export class MemoryGraph {
  private readonly nodesById = new Map<string, MemoryNode>();
  private readonly outgoing = new Map<string, RawEdge[]>();
  private readonly incoming = new Map<string, RawEdge[]>();

  static fromInventory(valid: ValidInventory): MemoryGraph {
    const graph = new MemoryGraph();
    for (const n of valid.nodes) {
      const properties = n.scope === null ? n.properties : { ...n.properties, scope: n.scope };
      graph.nodesById.set(n.id, { id: n.id, kind: n.kind, labels: n.labels, properties });
    }
    for (const r of valid.relationships) {
      // Endpoints outside the inventory (already in the graph) are known by their kind only.
      graph.stub(r.from, r.fromKind);
      graph.stub(r.to, r.toKind);
      const edge: RawEdge = { from: r.from, to: r.to, type: r.type, properties: r.properties };
      push(graph.outgoing, r.from, edge);
      push(graph.incoming, r.to, edge);
    }
    return graph;
  }

  node(id: string): MemoryNode | undefined {
    return this.nodesById.get(id);
  }

  nodes(): IterableIterator<MemoryNode> {
    return this.nodesById.values();
  }

  out(id: string): readonly RawEdge[] {
    return this.outgoing.get(id) ?? [];
  }

  in(id: string): readonly RawEdge[] {
    return this.incoming.get(id) ?? [];
  }

  private stub(id: string, kind: string): void {
    if (this.nodesById.has(id)) return;
    const spec = nodeKind(kind);
    this.nodesById.set(id, { id, kind, labels: spec ? labelsOf(spec) : [kind], properties: {} });
  }
}

function push(map: Map<string, RawEdge[]>, key: string, edge: RawEdge): void {
  const list = map.get(key);
  if (list) list.push(edge);
  else map.set(key, [edge]);
}
