import { NODE_KINDS, type NodeKindSpec, nodeKind } from '../model/node-kinds.js';

/**
 * What resolvers pass around: plain records read from the graph. Properties stay in `props` and only
 * the fields the schema declares are ever exposed.
 */
export interface NodeRecord {
  id: string;
  /** The node's kind (its primary label), e.g. `AwsRole`. */
  kind: string;
  categories: readonly string[];
  props: Record<string, unknown>;
  /** Neo4j's element id, to find the node again within the same request without its kind's index. */
  elementId: string;
}

export interface EdgeRecord {
  type: string;
  from: NodeRecord;
  to: NodeRecord;
  props: Record<string, unknown>;
}

/** A graph row shaped as `{ props, labels }` (see the cypher/api files) → a NodeRecord. */
export function toNodeRecord(row: {
  props: Record<string, unknown>;
  labels: string[];
  elementId: string;
}): NodeRecord {
  const spec = row.labels.map((l) => nodeKind(l)).find((k): k is NodeKindSpec => k !== undefined);
  return {
    id: String(row.props.id),
    kind: spec?.label ?? row.labels[0] ?? 'Unknown',
    categories: spec?.categories ?? [],
    props: row.props,
    elementId: row.elementId,
  };
}

export function toEdgeRecord(row: {
  type: string;
  from: { props: Record<string, unknown>; labels: string[]; elementId: string };
  to: { props: Record<string, unknown>; labels: string[]; elementId: string };
  props: Record<string, unknown>;
}): EdgeRecord {
  return { type: row.type, from: toNodeRecord(row.from), to: toNodeRecord(row.to), props: row.props };
}

const SEPARATOR = '|';

/**
 * An edge's stable id: `<from id>|<TYPE>|<to id>`. There is at most one relationship of a type
 * between two nodes (the loader merges on type and endpoints), so this names it exactly.
 */
export function edgeId(edge: { type: string; from: { id: string }; to: { id: string } }): string {
  return `${edge.from.id}${SEPARATOR}${edge.type}${SEPARATOR}${edge.to.id}`;
}

/** Parse an edge id; the type must be one of `types` (ids themselves may contain the separator). */
export function parseEdgeId(
  id: string,
  types: readonly string[],
): { from: string; type: string; to: string } | undefined {
  for (const type of types) {
    const marker = `${SEPARATOR}${type}${SEPARATOR}`;
    const at = id.indexOf(marker);
    if (at > 0 && at + marker.length < id.length) {
      return { from: id.slice(0, at), type, to: id.slice(at + marker.length) };
    }
  }
  return undefined;
}

/** The node kinds whose id format admits `id`, restricted to kinds with one of `categories`. */
export function kindsForId(id: string, categories: readonly string[]): NodeKindSpec[] {
  return (NODE_KINDS as readonly NodeKindSpec[]).filter(
    (k) => k.categories.some((c) => categories.includes(c)) && k.idPattern.test(id),
  );
}
