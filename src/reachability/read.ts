import { ENDING_LEG, type HopGraph, HopGraphBuilder } from '../answers/hop-graph.js';
import { cypherFile, render } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';
import { chunk } from '../util/collections.js';
import { hopTypeCode, levelMask } from './codes.js';
import { type ExistingRows, ExistingRowsBuilder } from './existing.js';

/**
 * Pulls the hop graph, the CAN_ACCESS edges and the REACHES rows already there out of Neo4j once: the nodes in one read, the edges
 * in pages of source principals (each page one short read transaction), everything keyed by
 * Neo4j's internal id so no stable id string travels per edge.
 */

export interface ReadProgress {
  done: number;
  total: number;
}

export interface ReadResult {
  graph: HopGraph;
  existing: ExistingRows;
  existingRows: number;
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
  },
): Promise<ReadResult> {
  const withExisting = options.existing !== false;
  const builder = new HopGraphBuilder();
  const existing = new ExistingRowsBuilder((key) => builder.indexOf(key));
  const nodes = await executor.read<{
    key: number;
    id: string;
    principal: boolean;
    resource: boolean;
    scope: string | null;
  }>(cypherFile('reachability/nodes'), {}, { action: 'reading principals and resources for the summary' });
  const principalKeys: number[] = [];
  let resources = 0;
  for (const node of nodes) {
    builder.addNode(node);
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
  for (const grant of grants) builder.addGrant(grant.key, grant.id);
  const withHubs = { hopTypes: HOP_TYPES.join('|') };
  for (const page of chunk(
    grants.map((g) => g.key),
    options.pageSize,
  )) {
    const legs = await executor.read<GrantLegRow>(
      render(cypherFile('reachability/grant-legs'), withHubs),
      { keys: page },
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

  const pages = chunk(principalKeys, options.pageSize);
  for (const [index, page] of pages.entries()) {
    const action = `reading hop and access edges for the summary (page ${index + 1} of ${pages.length})`;
    const [hops, access, reaches, members] = await executor.transaction(
      'READ',
      async (tx) => {
        const params = { keys: page };
        const hopEdges = render(cypherFile('reachability/hop-edges'), { hopTypes: HOP_TYPES.join('|') });
        return [
          await tx.run<HopRow>(hopEdges, params),
          await tx.run<AccessRow>(cypherFile('reachability/access-edges'), params),
          withExisting ? await tx.run<ReachesRow>(cypherFile('reachability/existing-reaches'), params) : [],
          grants.length > 0
            ? await tx.run<MemberLegRow>(render(cypherFile('reachability/member-legs'), withHubs), params)
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
    options.onPage?.({ done: index + 1, total: pages.length });
  }

  const graph = builder.build();
  return {
    graph,
    existing: existing.build(graph.size),
    existingRows: existing.count,
    principals: principalKeys.length,
    resources,
    hopEdges: builder.hopCount,
    accessEdges: builder.accessCount,
  };
}
