import { ENDING_LEG, type HopGraph, HopGraphBuilder } from '../answers/hop-graph.js';
import { cypherFile, render } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { GRANT_KIND } from '../model/grants.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';
import type { LoadRelationship, ValidInventory } from '../model/validate.js';
import { chunk } from '../util/collections.js';
import { hopTypeCode, levelMask } from './codes.js';
import { type ExistingRows, ExistingRowsBuilder } from './existing.js';

/**
 * Pulls the hop graph, the CAN_ACCESS edges and the REACHES rows already there out of Neo4j once: the nodes in one read, the edges
 * in pages of source principals (each page one short read transaction), everything keyed by
 * Neo4j's internal id so no stable id string travels per edge.
 *
 * Right after a load, the edges can come from the inventory just loaded instead, which this
 * process still holds: the nodes (with their internal ids and labels) and the REACHES rows are
 * still read, the edges only when the graph may hold others (see `inventoryIsTheGraph`).
 */

export interface ReadProgress {
  done: number;
  total: number;
}

export interface ReadResult {
  graph: HopGraph;
  /** Where the edges came from: the graph, or the inventory just loaded (the same edges). */
  edges: 'graph' | 'inventory';
  existing: ExistingRows;
  existingRows: number;
  /** REACHES rows of Grant nodes that are no longer CAN_ACCESS hubs (relationship ids): stale. */
  staleHubRows: number[];
  /** The delegations (REACHES_AS) already there, in the same shape: source, delegate, id, digest. */
  existingDelegations: ExistingRows;
  principals: number;
  resources: number;
  hopEdges: number;
  accessEdges: number;
}

/** Rows of one page, per source principal (internal ids as floats: see the Cypher files). */
interface HopRow {
  source: number;
  targets: number[];
  types: string[];
  conditional: boolean[];
}
interface AccessRow {
  source: number;
  targets: number[];
  levels: (string[] | null)[];
  conditional: boolean[];
}
interface MemberLegRow {
  source: number;
  grants: number[];
  types: string[];
  conditional: boolean[];
}
interface GrantLegRow {
  grant: number;
  targets: number[];
  types: string[];
  levels: (string[] | null)[];
  conditional: boolean[];
}
interface ReachesRow {
  source: number;
  targets: number[];
  relationships: number[];
  digests: number[];
}

export async function readReachGraph(
  executor: GraphExecutor,
  options: {
    pageSize: number;
    onPage?: (progress: ReadProgress) => void;
    /** Also read the REACHES rows already there (the summary matches against them); default true. */
    existing?: boolean;
    /**
     * The inventory this process has just loaded: its edges are searched instead of reading the
     * graph's when they are exactly the graph's.
     */
    loaded?: ValidInventory;
  },
): Promise<ReadResult> {
  const withExisting = options.existing !== false;
  const builder = new HopGraphBuilder();
  // CAN_ACCESS hubs' rows (delegation.ts) are read once the graph numbers its hub rows.
  const hubByKey = new Map<number, number>();
  const existing = new ExistingRowsBuilder((key) => builder.indexOf(key) ?? hubByKey.get(key));
  const delegations = new ExistingRowsBuilder((key) => builder.indexOf(key) ?? hubByKey.get(key));
  const nodes = await executor.read<{
    key: number;
    id: string;
    principal: boolean;
    resource: boolean;
    scope: string | null;
  }>(cypherFile('reachability/nodes'), {}, { action: 'reading principals and resources for the summary' });
  const principalKeys: number[] = [];
  const keyOf = new Map<string, number>();
  let resources = 0;
  // An id on two nodes (two kinds) could not name an inventory edge's end: then the graph is read.
  let idsUnique = true;
  const remember = (id: string, key: number) => {
    const known = keyOf.get(id);
    if (known !== undefined && known !== key) idsUnique = false;
    keyOf.set(id, key);
  };
  for (const node of nodes) {
    builder.addNode(node);
    remember(node.id, node.key);
    if (node.principal) principalKeys.push(node.key);
    if (node.resource) resources++;
  }

  // Grant hubs (model/grants.ts): their target legs once, their member legs with each page; the
  // HopGraph keeps both as they are and the search sees the pair edges they stand for.
  const grants = await executor.read<{ key: number; id: string }>(
    cypherFile('reachability/grants'),
    {},
    { action: 'reading Grant hubs for the summary' },
  );
  for (const grant of grants) {
    builder.addGrant(grant.key, grant.id);
    remember(grant.id, grant.key);
  }
  const fromInventory =
    options.loaded !== undefined &&
    idsUnique &&
    (await inventoryIsTheGraph(executor, options.loaded.relationships));
  if (fromInventory)
    addInventoryEdges(builder, (options.loaded as ValidInventory).relationships, keyOf, grants.length > 0);
  else await readGrantLegs(executor, builder, grants, options.pageSize);

  const pages = chunk(principalKeys, options.pageSize);
  const withHubs = { hopTypes: HOP_TYPES.join('|') };
  for (const [index, page] of pages.entries()) {
    const action = `reading ${fromInventory ? 'the REACHES rows' : 'hop and access edges'} for the summary (page ${index + 1} of ${pages.length})`;
    const [hops, access, reaches, members, delegated] = await executor.transaction(
      'READ',
      async (tx) => {
        const params = { page: { keys: page } };
        const hopEdges = render(cypherFile('reachability/hop-edges'), { hopTypes: HOP_TYPES.join('|') });
        return [
          fromInventory ? [] : await tx.run<HopRow>(hopEdges, params),
          fromInventory ? [] : await tx.run<AccessRow>(cypherFile('reachability/access-edges'), params),
          withExisting ? await tx.run<ReachesRow>(cypherFile('reachability/existing-reaches'), params) : [],
          !fromInventory && grants.length > 0
            ? await tx.run<MemberLegRow>(render(cypherFile('reachability/member-legs'), withHubs), params)
            : [],
          withExisting
            ? await tx.run<ReachesRow>(cypherFile('reachability/existing-delegations'), params)
            : [],
        ] as const;
      },
      { action },
    );
    for (const { source, targets, types, conditional } of hops) {
      for (let i = 0; i < targets.length; i++)
        builder.addHop(
          source,
          targets[i] as number,
          hopTypeCode(types[i] as string),
          conditional[i] === true,
        );
    }
    for (const { source, targets, levels, conditional } of access) {
      for (let i = 0; i < targets.length; i++)
        builder.addAccess(source, targets[i] as number, levelMask(levels[i]), conditional[i] === true);
    }
    for (const { source, grants: hubs, types, conditional } of members) {
      for (let i = 0; i < hubs.length; i++) {
        const type = types[i] as string;
        builder.addMemberLeg(
          source,
          hubs[i] as number,
          type === 'CAN_ACCESS' ? ENDING_LEG : hopTypeCode(type),
          conditional[i] === true,
        );
      }
    }
    for (const { source, targets, relationships, digests } of reaches) {
      for (let i = 0; i < targets.length; i++)
        existing.add(source, targets[i] as number, relationships[i] as number, digests[i] as number);
    }
    for (const { source, targets, relationships, digests } of delegated) {
      for (let i = 0; i < targets.length; i++)
        delegations.add(source, targets[i] as number, relationships[i] as number, digests[i] as number);
    }
    options.onPage?.({ done: index + 1, total: pages.length });
  }

  const graph = builder.build();
  // The REACHES rows stored on Grant hubs for the principals delegating to them: those of a Grant
  // that is no longer a CAN_ACCESS hub row go as stale.
  const hubRowsDropped: number[] = [];
  if (withExisting && grants.length > 0) {
    for (let h = graph.hubStart; h < graph.size; h++)
      if ((graph.accessOffsets[h + 1] as number) > (graph.accessOffsets[h] as number))
        hubByKey.set(graph.keys[h] as number, h);
    for (const [index, page] of chunk(
      grants.map((g) => g.key),
      options.pageSize,
    ).entries()) {
      const rows = await executor.read<ReachesRow>(
        cypherFile('reachability/existing-reaches'),
        { page: { keys: page } },
        { action: `reading the REACHES rows of Grant hubs for the summary (page ${index + 1})` },
      );
      for (const { source, targets, relationships, digests } of rows)
        for (let i = 0; i < targets.length; i++) {
          if (!hubByKey.has(source)) hubRowsDropped.push(relationships[i] as number);
          else existing.add(source, targets[i] as number, relationships[i] as number, digests[i] as number);
        }
    }
  }
  return {
    graph,
    edges: fromInventory ? 'inventory' : 'graph',
    existing: existing.build(graph.size),
    existingRows: existing.count,
    staleHubRows: hubRowsDropped,
    existingDelegations: delegations.build(graph.size),
    principals: principalKeys.length,
    resources,
    hopEdges: builder.hopCount,
    accessEdges: builder.accessCount,
  };
}

async function readGrantLegs(
  executor: GraphExecutor,
  builder: HopGraphBuilder,
  grants: { key: number }[],
  pageSize: number,
): Promise<void> {
  const withHubs = { hopTypes: HOP_TYPES.join('|') };
  for (const page of chunk(
    grants.map((g) => g.key),
    pageSize,
  )) {
    const legs = await executor.read<GrantLegRow>(
      render(cypherFile('reachability/grant-legs'), withHubs),
      { page: { keys: page } },
      { action: 'reading Grant hubs’ target legs for the summary' },
    );
    for (const { grant, targets, types, levels, conditional } of legs)
      for (let i = 0; i < targets.length; i++) {
        const type = types[i] as string;
        if (type === 'CAN_ACCESS')
          builder.addHubAccess(grant, targets[i] as number, levelMask(levels[i]), conditional[i] === true);
        else builder.addHubHop(grant, targets[i] as number, hopTypeCode(type), conditional[i] === true);
      }
  }
}

/** The relationship types the summary searches: the hops and CAN_ACCESS. */
const SEARCHED_TYPES: readonly string[] = [...HOP_TYPES, 'CAN_ACCESS'];

/**
 * Whether the graph's hop and CAN_ACCESS edges are exactly `relationships`' (an inventory whose load
 * has just succeeded): the load wrote each of them (one per type and pair, its properties replaced
 * whole), so the graph holds them all, and equal counts per type leave no room for any other
 * (another scope's edges, the stale edges of a scope not cleaned this run).
 */
async function inventoryIsTheGraph(
  executor: GraphExecutor,
  relationships: readonly LoadRelationship[],
): Promise<boolean> {
  const loaded = new Map<string, number>(SEARCHED_TYPES.map((t) => [t, 0]));
  for (const r of relationships) {
    const n = loaded.get(r.type);
    if (n !== undefined) loaded.set(r.type, n + 1);
  }
  const counts = await executor.transaction(
    'READ',
    async (tx) => {
      const found: number[] = [];
      for (const type of SEARCHED_TYPES) {
        const [row] = await tx.run<{ count: number }>(
          render(cypherFile('reachability/relationship-count'), { type }),
          {},
        );
        found.push(row?.count ?? 0);
      }
      return found;
    },
    { action: 'counting hop and access edges for the summary' },
  );
  return SEARCHED_TYPES.every((type, i) => counts[i] === loaded.get(type));
}

/**
 * The inventory's hop and CAN_ACCESS edges, keyed by the internal ids just read; the builder keeps
 * exactly those the Cypher patterns of the graph read would (principal → principal hops, principal →
 * resource access, legs into and out of Grant hubs).
 */
function addInventoryEdges(
  builder: HopGraphBuilder,
  relationships: readonly LoadRelationship[],
  keyOf: ReadonlyMap<string, number>,
  hasGrants: boolean,
): void {
  const searched = new Set(SEARCHED_TYPES);
  for (const r of relationships) {
    if (!searched.has(r.type)) continue;
    const from = keyOf.get(r.from);
    const to = keyOf.get(r.to);
    if (from === undefined || to === undefined) continue;
    const access = r.type === 'CAN_ACCESS';
    const conditional = r.properties.conditional === true;
    if (hasGrants && r.toKind === GRANT_KIND) {
      if (r.fromKind !== GRANT_KIND)
        builder.addMemberLeg(from, to, access ? ENDING_LEG : hopTypeCode(r.type), conditional);
    } else if (hasGrants && r.fromKind === GRANT_KIND) {
      if (access) builder.addHubAccess(from, to, levelMask(levelsOf(r)), conditional);
      else builder.addHubHop(from, to, hopTypeCode(r.type), conditional);
    } else if (access) builder.addAccess(from, to, levelMask(levelsOf(r)), conditional);
    else builder.addHop(from, to, hopTypeCode(r.type), conditional);
  }
}

function levelsOf(r: LoadRelationship): string[] | null {
  const { levels } = r.properties;
  return Array.isArray(levels) ? levels.filter((l): l is string => typeof l === 'string') : null;
}
