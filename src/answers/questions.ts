import type { GraphExecutor } from '../graph/executor.js';
import { PARTITION } from '../model/aws/partitions.js';
import { hopTypeCode, levelMask } from '../reachability/codes.js';
import { readReachGraph } from '../reachability/read.js';
import { groupBy } from '../util/collections.js';
import {
  accessAnswer,
  accessOrder,
  activityWindowOf,
  adminAnswer,
  adminOrder,
  checkLevel,
  checkTargets,
  escalationAnswer,
  escalationOrder,
  pairEdge,
  type RawEdge,
} from './answer-shape.js';
import type {
  AccessPathAnswer,
  AdminAnswer,
  AdminOptions,
  EscalationAnswer,
  EscalationOptions,
  PathQueries,
  ReachOptions,
  WhoCanOptions,
} from './answer-types.js';
import { checkMaxHops } from './bounds.js';
import {
  clusterOfTarget,
  ESCALATION_TARGET_KINDS,
  ESCALATION_TARGETS,
  type EscalationTargetKind,
  isEscalationTargetKind,
  type TargetSelection,
  targetLabelExpression,
  targetSelected,
} from './escalation-targets.js';
import { ANY_NODE, matchesFilter, type NodeFilter, parseNodeSelector } from './filters.js';
import { executorReader, type GraphReader, typeAlternation } from './graph-reader.js';
import { ENDING_LEG, type HopGraph, HopGraphBuilder, RowCursor } from './hop-graph.js';
import type { MemoryGraph, RouteGraphShape } from './memory-graph.js';
import { runNamedQuery } from './named-queries.js';
import { type RouteEdgeKey, readRouteEdges, routeEdgeKeys, routeQuestion } from './pair-route.js';
import { type PairRow, type ReachQuestion, reachRows, routeOf } from './reach.js';
import { allRoutes, RouteSearch } from './route-search.js';

/**
 * The CLI's path questions (escalations, admins, reach, who-can), answered from Neo4j or from a
 * snapshot in memory. Both pick routes with the one route search; from Neo4j, reach questions go
 * through the same pages of answers as the API (summary first), so the CLI, the API and the
 * reports name the same route for the same pair.
 */

/** Above this many pairs, reading the whole graph once beats one small search per pair. */
const PAIRS_PER_SEARCH = 50;
const PAGE = 1_000;

export class GraphPathQueries implements PathQueries {
  private readonly reader: GraphReader & { executor: GraphExecutor };

  /** Reads through `reader` when given (the API's, timed and bounded), else through the executor. */
  constructor(executor: GraphExecutor, reader: GraphReader = executorReader(executor)) {
    this.reader = { query: (path, params, identifiers) => reader.query(path, params, identifiers), executor };
  }

  async escalations(options: EscalationOptions = {}): Promise<EscalationAnswer[]> {
    const maxHops = checkMaxHops(options.maxHops);
    const targets = checkTargets(options);
    const found = await escalationRoutes(this.reader, maxHops, targets);
    const rows = await Promise.all(found.map((f) => this.edges(f.edges)));
    return found
      .flatMap((f, i) => {
        const path = rows[i];
        return path ? [escalationAnswer(f.principal, f.targetId, f.targetKind, path)] : [];
      })
      .sort(escalationOrder);
  }

  async admins(options: AdminOptions = {}): Promise<AdminAnswer[]> {
    const targets = checkTargets(options);
    const rows = await runNamedQuery(this.reader.executor, 'administrators', { account: null });
    return rows
      .filter((r) => targetSelected(targets, r.target as string, r.targetKind as EscalationTargetKind))
      .map((r) => {
        const from = r.principal as string;
        const to = r.target as string;
        const stored = {
          evidence: r.evidence,
          conditional: r.conditional,
          ...(r.conditions ? { conditions: r.conditions } : {}),
        };
        const grant = typeof r.grant === 'string' ? r.grant : undefined;
        const member = r.member as Record<string, unknown> | null;
        return adminAnswer(
          grant && member
            ? pairEdge(
                { from, to: grant, type: 'ADMINISTERS', properties: member },
                { from: grant, to, type: 'ADMINISTERS', properties: stored },
              )
            : { from, to, type: 'ADMINISTERS', properties: stored },
          r.targetKind as string,
        );
      })
      .sort(adminOrder);
  }

  reach(options: ReachOptions): Promise<AccessPathAnswer[]> {
    return this.accessPaths(
      parseNodeSelector(options.from, '--from'),
      parseNodeSelector(options.to, '--to'),
      options,
    );
  }

  whoCan(options: WhoCanOptions): Promise<AccessPathAnswer[]> {
    return this.accessPaths(ANY_NODE, { ...ANY_NODE, ids: [options.resource] }, options);
  }

  private async accessPaths(
    who: NodeFilter,
    what: NodeFilter,
    options: { level?: string; maxHops?: number; certain?: boolean },
  ): Promise<AccessPathAnswer[]> {
    const level = checkLevel(options.level);
    const question: ReachQuestion = {
      who,
      what,
      maxHops: checkMaxHops(options.maxHops),
      via: null,
      levels: level ? [level] : null,
      unconditionalOnly: options.certain === true,
    };
    const rows: PairRow[] = [];
    for (let after: [string, string] | null = null; ; ) {
      const page = await reachRows(this.reader, question, PAGE, after);
      rows.push(...page);
      const last = page.at(-1);
      if (page.length < PAGE || !last) break;
      after = [String(last.fromNode.props.id), String(last.toNode.props.id)];
    }
    if (rows.length > PAIRS_PER_SEARCH) await this.routeAll(rows, question);
    const answers: AccessPathAnswer[] = [];
    for (const row of rows) {
      const edges = await routeOf(this.reader, row, question);
      if (edges.length === 0) continue;
      const path = edges.map((e) => ({
        from: String(e.from.props.id),
        to: String(e.to.props.id),
        type: e.type,
        properties: e.props,
        ...(e.grant ? { grant: e.grant } : {}),
      }));
      answers.push(
        accessAnswer(
          String(row.fromNode.props.id),
          String(row.toNode.props.id),
          path,
          activityWindowOf(row.fromNode.props),
        ),
      );
    }
    return answers.sort(accessOrder);
  }

  /** Routes of many pairs at once: the whole graph read once, one search per identity. */
  private async routeAll(rows: PairRow[], question: ReachQuestion): Promise<void> {
    const { graph } = await readReachGraph(this.reader.executor, { pageSize: 10_000, existing: false });
    const index = new Map<number, number>();
    graph.keys.forEach((key, i) => {
      index.set(key, i);
    });
    const search = new RouteSearch(graph, routeQuestion(question));
    for (const pairs of groupBy(rows, (row) => String(row.fromKey)).values()) {
      const source = index.get((pairs[0] as PairRow).fromKey);
      if (source === undefined) continue;
      const wanted = new Map(pairs.map((p) => [index.get(p.toKey), p]));
      search.fromPrincipal(source, (row) => {
        const pair = wanted.get(row.resource);
        if (pair) pair.edgeKeys = routeEdgeKeys(graph, source, row.slots, row.access, 'CAN_ACCESS');
      });
    }
  }

  private async edges(keys: RouteEdgeKey[]): Promise<RawEdge[] | null> {
    const rows = await readRouteEdges(this.reader, keys);
    return (
      rows?.map((e) => ({
        from: String(e.from.props.id),
        to: String(e.to.props.id),
        type: e.type,
        properties: e.props,
        ...(e.grant ? { grant: e.grant } : {}),
      })) ?? null
    );
  }
}

/** The same questions over a validated Inventory (a snapshot), without Neo4j. */
export class MemoryPathQueries implements PathQueries {
  constructor(private readonly graph: MemoryGraph) {}

  async escalations(options: EscalationOptions = {}): Promise<EscalationAnswer[]> {
    return this.escalationsNow(options);
  }

  /** Synchronous core of `escalations`, for callers that have no use for a promise. */
  escalationsNow(options: EscalationOptions = {}): EscalationAnswer[] {
    const maxHops = checkMaxHops(options.maxHops);
    const targets = checkTargets(options);
    const { graph, ids } = this.hopGraph({
      endingHops: true,
      ending: 'ADMINISTERS',
      endsAt: ESCALATION_TARGET_KINDS,
    });
    const kindOf = (id: string) => targetKindOf(this.graph.node(id)?.labels ?? []);
    return escalationsIn(graph, maxHops, targets, kindOf)
      .map((f) => escalationAnswer(f.principal, f.targetId, f.targetKind, this.edges(f.edges, ids)))
      .sort(escalationOrder);
  }

  async admins(options: AdminOptions = {}): Promise<AdminAnswer[]> {
    const targets = checkTargets(options);
    const answers: AdminAnswer[] = [];
    for (const n of this.graph.nodes()) {
      const kind = targetKindOf(n.labels);
      if (!kind || ESCALATION_TARGETS[kind].enteredByHop || !targetSelected(targets, n.id, kind)) continue;
      for (const edge of this.graph.pairsInto(n.id, 'ADMINISTERS')) answers.push(adminAnswer(edge, kind));
    }
    return answers.sort(adminOrder);
  }

  async reach(options: ReachOptions): Promise<AccessPathAnswer[]> {
    return this.accessPaths(
      parseNodeSelector(options.from, '--from'),
      parseNodeSelector(options.to, '--to'),
      options,
    );
  }

  async whoCan(options: WhoCanOptions): Promise<AccessPathAnswer[]> {
    return this.accessPaths(ANY_NODE, { ...ANY_NODE, ids: [options.resource] }, options);
  }

  private accessPaths(
    who: NodeFilter,
    what: NodeFilter,
    options: { level?: string; maxHops?: number; certain?: boolean },
  ): AccessPathAnswer[] {
    const maxHops = checkMaxHops(options.maxHops);
    const level = checkLevel(options.level);
    const { graph, ids } = this.hopGraph({ endingHops: false, ending: 'CAN_ACCESS', endsAt: ['Resource'] });
    const node = (i: number) => this.graph.node(graph.ids[i] as string);
    const filter = Uint8Array.from({ length: graph.size }, (_, i) => {
      const n = node(i);
      return graph.isResource[i] && n && matchesFilter(n, what) ? 1 : 0;
    });
    const search = new RouteSearch(
      graph,
      {
        ...allRoutes(maxHops),
        levels: levelMask(level ? [level] : null),
        unconditionalOnly: options.certain === true,
      },
      { resourceFilter: filter },
    );
    const answers: AccessPathAnswer[] = [];
    for (let p = 0; p < graph.size; p++) {
      const n = node(p);
      if (!graph.isPrincipal[p] || !n || !matchesFilter(n, who)) continue;
      search.fromPrincipal(p, (row) => {
        const keys = routeEdgeKeys(graph, p, row.slots, row.access, 'CAN_ACCESS');
        answers.push(accessAnswer(n.id, graph.ids[row.resource] as string, this.edges(keys, ids)));
      });
    }
    return answers.sort(accessOrder);
  }

  private hopGraph(shape: RouteGraphShape) {
    return this.graph.hopGraph(shape);
  }

  private edges(keys: RouteEdgeKey[], ids: readonly string[]): RawEdge[] {
    return keys.map((k) => {
      const from = ids[k.from] as string;
      const to = ids[k.to] as string;
      const edge = this.graph.edge(from, to, k.type, k.hub === undefined ? undefined : ids[k.hub]);
      if (!edge) throw new Error(`route edge ${from} -${k.type}-> ${to} is not in the inventory`);
      return edge;
    });
  }
}

/** An escalation route: an identity, a target it can come to control, and the route's edges. */
export interface EscalationRoute {
  principal: string;
  /** The target's node id and kind (escalation-targets.ts). */
  targetId: string;
  targetKind: EscalationTargetKind;
  /** Internal ids (Neo4j's, or positions in memory) of the identity and the target. */
  subject: number;
  target: number;
  edges: RouteEdgeKey[];
}

/** The escalation routes in Neo4j: the escalation graph read once, then searched (the reports use it too). */
export async function escalationRoutes(
  reader: GraphReader,
  maxHops: number,
  targets: TargetSelection = {},
): Promise<EscalationRoute[]> {
  const labels = { targets: targetLabelExpression() };
  const nodes = await reader.query<{
    key: number;
    id: string;
    principal: boolean;
    resource: boolean;
    kind: string | null;
  }>('answers/escalation-nodes', { kinds: ESCALATION_TARGET_KINDS }, labels);
  const edges = await reader.query<{
    from: number;
    to: number;
    type: string;
    conditional: boolean;
    leg: 'member' | 'target' | null;
    hub: number | null;
    hubId: string | null;
  }>('answers/escalation-edges', {}, { hopTypes: typeAlternation(null), ...labels });
  const builder = new HopGraphBuilder({ endingHops: true });
  const kinds = new Map<string, string>();
  for (const { kind, ...n } of nodes) {
    builder.addNode({ ...n, scope: null });
    if (kind) kinds.set(n.id, kind);
  }
  for (const e of edges) if (e.hub !== null && e.hubId !== null) builder.addGrant(e.hub, e.hubId);
  for (const e of edges) {
    const ending = e.type === 'ADMINISTERS';
    if (e.leg === 'member')
      builder.addMemberLeg(e.from, e.to, ending ? ENDING_LEG : hopTypeCode(e.type), e.conditional);
    else if (e.leg === 'target') {
      if (ending) builder.addHubAccess(e.from, e.to, 0, e.conditional);
      else builder.addHubHop(e.from, e.to, hopTypeCode(e.type), e.conditional);
    } else if (ending) builder.addAccess(e.from, e.to, 0, e.conditional);
    else builder.addHop(e.from, e.to, hopTypeCode(e.type), e.conditional);
  }
  return escalationsIn(builder.build(), maxHops, targets, (id) => targetKindOf([kinds.get(id) ?? '']));
}

const ROOT_ARN = new RegExp(`^arn:${PARTITION}:iam::(\\d{12}):root$`);

/** The escalation target kind among a node's labels, if any. */
function targetKindOf(labels: readonly string[]): EscalationTargetKind | undefined {
  return labels.find(isEscalationTargetKind);
}

/**
 * From every identity to every target it does not control already but can come to within
 * `maxHops` hops: the rule's route, ending in ADMINISTERS, in a CAN_ESCALATE into the scope (a
 * self-escalation), or in the hop that enters a node. Already in control are: an administrator of
 * the scope, an account's root of its account, and an administrator of a node's cluster of its
 * nodes (cluster-admin runs privileged pods anywhere).
 */
function escalationsIn(
  graph: HopGraph,
  maxHops: number,
  targets: TargetSelection,
  kindOf: (id: string) => EscalationTargetKind | undefined,
): EscalationRoute[] {
  const kinds = graph.ids.map((id, i) => (graph.isResource[i] ? kindOf(id) : undefined));
  const filter = Uint8Array.from(graph.ids, (id, i) => {
    const kind = kinds[i];
    return kind && targetSelected(targets, id, kind) ? 1 : 0;
  });
  const index = new Map(graph.ids.map((id, i) => [id, i]));
  const search = new RouteSearch(graph, allRoutes(maxHops), {
    resourceFilter: filter,
    enteredPrincipals: true,
  });
  const found: EscalationRoute[] = [];
  for (let p = 0; p < graph.size; p++) {
    if (!graph.isPrincipal[p]) continue;
    const principal = graph.ids[p] as string;
    // An account's root already controls that account: it is no escalation.
    const root = ROOT_ARN.exec(principal)?.[1];
    search.fromPrincipal(p, (row) => {
      const target = graph.ids[row.resource] as string;
      const targetKind = kinds[row.resource] as EscalationTargetKind;
      if (administers(graph, p, row.resource) || target === `aws:account:${root}`) return;
      if (targetKind === 'K8sNode') {
        const cluster = index.get(clusterOfTarget(target) ?? '');
        if (cluster !== undefined && administers(graph, p, cluster)) return;
      }
      found.push({
        principal,
        targetId: target,
        targetKind,
        subject: graph.keys[p] as number,
        target: graph.keys[row.resource] as number,
        edges: routeEdgeKeys(graph, p, row.slots, row.access, 'ADMINISTERS'),
      });
    });
  }
  return found;
}

function administers(graph: HopGraph, principal: number, target: number): boolean {
  const endings = new RowCursor(graph, true);
  endings.open(principal);
  while (endings.next()) if (graph.accessTargets[endings.slot] === target) return true;
  return false;
}
