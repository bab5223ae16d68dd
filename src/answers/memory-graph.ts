import { isGrantNode } from '../model/grants.js';
import type { PropertyValue } from '../model/inventory.js';
import { labelsOf, nodeKind } from '../model/node-kinds.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';
import { storedProperties, type ValidInventory } from '../model/validate.js';
import { hopTypeCode, levelMask } from '../reachability/codes.js';
import { pairEdge, type RawEdge } from './answer-shape.js';
import { ENDING_LEG, type HopGraph, HopGraphBuilder } from './hop-graph.js';

/** Which edges a route ends with and which nodes it may end at (labels). */
export interface RouteGraphShape {
  /** Hop edges may end a route at a target (a self-escalation into an account). */
  endingHops: boolean;
  /** The ending type: CAN_ACCESS, ADMINISTERS. */
  ending: string;
  /** The labels of the nodes a route may end at (any one of them). */
  endsAt: readonly string[];
}

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
      const edge: RawEdge = { from: r.from, to: r.to, type: r.type, properties: storedProperties(r) };
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

  isGrant(id: string): boolean {
    const node = this.nodesById.get(id);
    return node !== undefined && isGrantNode(node);
  }

  /**
   * The edge `from -[type]-> to`: the stored one, or, through the Grant `grant`, the pair edge its
   * two legs stand for (model/grants.ts).
   */
  edge(from: string, to: string, type: string, grant?: string): RawEdge | undefined {
    const find = (a: string, b: string) => this.out(a).find((e) => e.to === b && e.type === type);
    if (grant === undefined) return find(from, to);
    const member = find(from, grant);
    const target = find(grant, to);
    return member && target ? pairEdge(member, target) : undefined;
  }

  /** The edges of one type into `id`, a Grant's seen through: one pair edge per member. */
  pairsInto(id: string, type: string): RawEdge[] {
    const edges: RawEdge[] = [];
    for (const e of this.in(id)) {
      if (e.type !== type) continue;
      if (!this.isGrant(e.from)) edges.push(e);
      else
        for (const m of this.in(e.from))
          if (m.type === type && !this.isGrant(m.from)) edges.push(pairEdge(m, e));
    }
    return edges;
  }

  /**
   * The inventory as a HopGraph; node keys are their positions in `ids`. Grant hubs go in as hubs
   * (model/grants.ts): their legs are kept once, never multiplied out.
   */
  hopGraph(shape: RouteGraphShape): { graph: HopGraph; ids: string[] } {
    const builder = new HopGraphBuilder({ endingHops: shape.endingHops });
    const ids: string[] = [];
    const keyOf = new Map<string, number>();
    for (const n of this.nodes()) {
      keyOf.set(n.id, ids.length);
      if (isGrantNode(n)) builder.addGrant(ids.length, n.id);
      else
        builder.addNode({
          key: ids.length,
          id: n.id,
          principal: n.labels.includes('Principal'),
          resource: shape.endsAt.some((label) => n.labels.includes(label)),
          scope: null,
        });
      ids.push(n.id);
    }
    for (const n of this.nodes())
      for (const e of this.out(n.id)) {
        const from = keyOf.get(e.from) as number;
        const to = keyOf.get(e.to) as number;
        const conditional = e.properties.conditional === true;
        const ending = e.type === shape.ending;
        if (!ending && !isHopType(e.type)) continue;
        const typeCode = ending ? ENDING_LEG : hopTypeCode(e.type);
        const levels = ending ? levelMask(stringList(e.properties.levels)) : 0;
        if (this.isGrant(e.to)) builder.addMemberLeg(from, to, typeCode, conditional);
        else if (this.isGrant(e.from)) {
          if (ending) builder.addHubAccess(from, to, levels, conditional);
          else builder.addHubHop(from, to, typeCode, conditional);
        } else if (ending) builder.addAccess(from, to, levels, conditional);
        else builder.addHop(from, to, typeCode, conditional);
      }
    return { graph: builder.build(), ids };
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

const HOP_TYPE_SET: ReadonlySet<string> = new Set(HOP_TYPES);

function isHopType(type: string): boolean {
  return HOP_TYPE_SET.has(type);
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}
