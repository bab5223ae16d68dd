import { activityWindowOf, checkTargets, hopUse, routeExercised } from '../answers/answer-shape.js';
import type { EscalationAnswer, PathHop } from '../answers/answer-types.js';
import {
  ANY_NODE,
  type FilterableNode,
  type FilterInput,
  filterOf,
  matchesFilter,
} from '../answers/filters.js';
import { GraphPathQueries } from '../answers/questions.js';
import type { ReachQuestion } from '../answers/reach.js';
import { API_MAX_HOPS_HARD_CAP } from '../config/api.js';
import { ACCESS_LEVELS } from '../model/index.js';
import { HOP_TYPES } from '../model/relationship-kinds.js';
import { builder } from './builder.js';
import type { ApiLimits } from './context.js';
import { EdgeRef, EvidenceRef } from './edge.js';
import { AccessLevelEnum, EdgeTypeEnum, knownList } from './enums.js';
import { ApiError, badRequestFrom } from './errors.js';
import { IdentityFilter, IdentityRef } from './identity.js';
import { NodeRef } from './node.js';
import { connectionComplexity, decodeCursor, pageSize, toPage } from './paging.js';
import { apiReachRows, findReachEnd, type ReachRow, reachEnd, reachEndOf, routeRecords } from './reach.js';
import { type EdgeRecord, edgeId, type NodeRecord } from './records.js';
import { ResourceFilter, ResourceRef } from './resource.js';
import { ActivityWindowRef } from './unused-permissions.js';

/** maxHops within [0, the configured cap]; the cap itself is at most API_MAX_HOPS_HARD_CAP. */
export function checkMaxHops(value: number | null | undefined, fallback: number, limits: ApiLimits): number {
  const maxHops = value ?? Math.min(fallback, limits.maxHops);
  const cap = Math.min(limits.maxHops, API_MAX_HOPS_HARD_CAP);
  if (!Number.isInteger(maxHops) || maxHops < 0)
    throw new ApiError(`maxHops must be a whole number of at least 0, got ${maxHops}`);
  if (maxHops > cap) throw new ApiError(`maxHops ${maxHops} exceeds the limit of ${cap}`);
  return maxHops;
}

function checkVia(via: readonly string[] | null | undefined): string[] | null {
  if (!via || via.length === 0) return null;
  const notHops = via.filter((t) => !HOP_TYPES.includes(t));
  if (notHops.length > 0)
    throw new ApiError(
      `via takes hop edge types (${HOP_TYPES.join(', ')}); ${notHops.join(', ')} can only end a path`,
    );
  return [...new Set(via)];
}

/** Only routes without a conditional edge: what holds for certain (the reports' unconditional findings). */
const CERTAIN = 'Only routes whose every edge holds without undecided conditions; default false.';

const levelsOf = (levels: readonly string[] | null | undefined) =>
  levels?.length ? [...new Set(levels)] : null;

interface Hop {
  from: EdgeRecord['from'];
  edge: EdgeRecord;
  to: EdgeRecord['to'];
}

export const HopRef = builder.objectRef<Hop>('Hop').implement({
  description: 'One step of a path: from a node, over an edge (with its reason and evidence), to a node.',
  fields: (t) => ({
    from: t.field({ type: NodeRef, resolve: (h) => h.from }),
    edge: t.field({ type: EdgeRef, resolve: (h) => h.edge }),
    to: t.field({ type: NodeRef, resolve: (h) => h.to }),
  }),
});

export const PathRef = builder.objectRef<ReachRow>('Path').implement({
  description:
    'An identity reaching a resource: through `length - 1` hop edges, then one access edge. `levels` and `conditional` describe the shortest routes; `hops` explains one of them (one without conditional edges when there is one).',
  fields: (t) => ({
    from: t.field({ type: IdentityRef, resolve: (p) => p.from }),
    to: t.field({ type: ResourceRef, resolve: (p) => p.to }),
    length: t.int({
      description: 'Edges on the path, the final access edge included.',
      resolve: (p) => p.hops + 1,
    }),
    levels: t.field({
      type: [AccessLevelEnum],
      resolve: (p) => knownList(ACCESS_LEVELS, p.levels),
    }),
    conditional: t.boolean({
      description: 'Every shortest route needs an edge that holds only under undecided conditions.',
      resolve: (p) => p.conditional,
    }),
    via: t.field({
      type: [EdgeTypeEnum],
      description: 'Hop edge types of the route, in order.',
      resolve: (p) => p.viaTypes,
    }),
    exercised: t.boolean({
      nullable: true,
      description:
        'Whether the route `hops` shows was exercised end to end over the window the activity logs cover: true when every hop was used, false when one was not, null when the logs do not say (docs/activity.md).',
      complexity: { field: 10, multiplier: 5 },
      resolve: async (p, _args, { graph }) =>
        routeExercised((await routeRecords(graph, p)).map((edge) => hopUse(edge.props))) ?? null,
    }),
    activityWindow: t.field({
      type: ActivityWindowRef,
      nullable: true,
      description: 'The window the activity logs cover for the identity; null when none does.',
      resolve: (p) => activityWindowOf(p.fromNode.props) ?? null,
    }),
    hops: t.field({
      type: [HopRef],
      description: 'The route, edge by edge, each with its reason and evidence (computed on demand).',
      // One search per path; a route has a handful of hops.
      complexity: { field: 10, multiplier: 5 },
      resolve: async (p, _args, { graph }) => {
        const edges = await routeRecords(graph, p);
        return edges.map((edge) => ({ from: edge.from, edge, to: edge.to }));
      },
    }),
  }),
});

/** One connection type for paths, whichever query returns them. */
const PathConnection = builder.connectionObject(
  { type: PathRef, name: 'PathConnection' },
  { name: 'PathEdge' },
);

async function pathPage(
  question: ReachQuestion,
  args: { first?: number | null; after?: string | null; last?: number | null; before?: string | null },
  context: { graph: Parameters<typeof apiReachRows>[0]; limits: ApiLimits },
) {
  const first = pageSize(args, context.limits.maxPageSize);
  const after = args.after ? (decodeCursor(args.after, 2) as [string, string]) : null;
  const rows = await apiReachRows(context.graph, question, first + 1, after);
  return toPage(rows, first, (r) => [r.from.id, r.to.id], Boolean(args.after));
}

builder.queryField('paths', (t) =>
  t.connection(
    {
      type: PathRef,
      description:
        'Every identity matching `from` that can reach a resource matching `to` within `maxHops` hop edges, one row per (identity, resource), in id order.',
      args: {
        from: t.arg({ type: IdentityFilter, required: true }),
        to: t.arg({ type: ResourceFilter, required: true }),
        maxHops: t.arg.int({ defaultValue: 4, description: 'Hop edges before the final access (capped).' }),
        via: t.arg({ type: [EdgeTypeEnum], description: 'Hop edge types a route may use; default all.' }),
        levels: t.arg({
          type: [AccessLevelEnum],
          description: 'The final access grants one of these; default any.',
        }),
        certain: t.arg.boolean({ description: CERTAIN }),
      },
      complexity: (args) => connectionComplexity(args, 10),
      resolve: (_root, args, context) =>
        pathPage(
          {
            who: filterOf(args.from as FilterInput),
            what: filterOf(args.to as FilterInput),
            maxHops: checkMaxHops(args.maxHops, 4, context.limits),
            via: checkVia(args.via),
            levels: levelsOf(args.levels),
            unconditionalOnly: args.certain === true,
          },
          args,
          context,
        ),
    },
    PathConnection,
  ),
);

builder.queryField('whoCanReach', (t) =>
  t.connection(
    {
      type: PathRef,
      description: 'Every identity that can reach the resource, and how, in identity id order.',
      args: {
        resource: t.arg.id({ required: true }),
        from: t.arg({
          type: IdentityFilter,
          description:
            'Only identities matching this filter, e.g. {nonHuman: true} (the drill-down of whoCanReachSummary).',
        }),
        levels: t.arg({ type: [AccessLevelEnum] }),
        certain: t.arg.boolean({ description: CERTAIN }),
        maxHops: t.arg.int({ description: 'Hop edges before the final access; default the configured cap.' }),
      },
      complexity: (args) => connectionComplexity(args, 10),
      resolve: async (_root, args, context) => {
        const to = await reachEnd(context.graph, 'resource', args.resource);
        return pathPage(
          {
            who: filterOf(args.from as FilterInput | null),
            what: ANY_NODE,
            to,
            maxHops: checkMaxHops(args.maxHops, context.limits.maxHops, context.limits),
            via: null,
            levels: levelsOf(args.levels),
            unconditionalOnly: args.certain === true,
          },
          args,
          context,
        );
      },
    },
    PathConnection,
  ),
);

builder.queryField('reachableFrom', (t) =>
  t.connection(
    {
      type: PathRef,
      description:
        'The blast radius of an identity: every resource it can reach, and how, in resource id order.',
      args: {
        identity: t.arg.id({ required: true }),
        to: t.arg({
          type: ResourceFilter,
          description:
            'Only resources matching this filter, e.g. {environment: PRODUCTION} (the drill-down of reachableFromSummary).',
        }),
        levels: t.arg({ type: [AccessLevelEnum] }),
        certain: t.arg.boolean({ description: CERTAIN }),
        maxHops: t.arg.int({ description: 'Hop edges before the final access; default the configured cap.' }),
      },
      complexity: (args) => connectionComplexity(args, 10),
      resolve: async (_root, args, context) => {
        const from = await reachEnd(context.graph, 'identity', args.identity);
        return pathPage(
          {
            who: ANY_NODE,
            what: filterOf(args.to as FilterInput | null),
            from,
            maxHops: checkMaxHops(args.maxHops, context.limits.maxHops, context.limits),
            via: null,
            levels: levelsOf(args.levels),
            unconditionalOnly: args.certain === true,
          },
          args,
          context,
        );
      },
    },
    PathConnection,
  ),
);

builder.queryField('path', (t) =>
  t.field({
    type: PathRef,
    nullable: true,
    description:
      'How one identity reaches one resource: the same answer as its row in `reachableFrom` and `whoCanReach`; null when it does not within `maxHops`.',
    args: {
      from: t.arg.id({ required: true, description: 'The identity node id.' }),
      to: t.arg.id({ required: true, description: 'The resource node id.' }),
      levels: t.arg({ type: [AccessLevelEnum] }),
      certain: t.arg.boolean({ description: CERTAIN }),
      maxHops: t.arg.int({ description: 'Hop edges before the final access; default the configured cap.' }),
    },
    complexity: 10,
    resolve: async (_root, args, context) => {
      const [from, to] = await Promise.all([
        findReachEnd(context.graph, 'identity', args.from),
        findReachEnd(context.graph, 'resource', args.to),
      ]);
      const [row] = await apiReachRows(
        context.graph,
        {
          who: ANY_NODE,
          what: ANY_NODE,
          from: reachEndOf('identity', args.from, from),
          to: reachEndOf('resource', args.to, to),
          maxHops: checkMaxHops(args.maxHops, context.limits.maxHops, context.limits),
          via: null,
          levels: levelsOf(args.levels),
          unconditionalOnly: args.certain === true,
        },
        1,
        null,
      );
      return row ?? null;
    },
  }),
);

// ── Escalations: the same answer as `reachgraph query escalations` ──────────────────────────────

export const PathStepRef = builder.objectRef<PathHop>('PathStep').implement({
  description: 'One edge of an escalation path, as `reachgraph query escalations --json` prints it.',
  fields: (t) => ({
    from: t.exposeID('from'),
    to: t.exposeID('to'),
    type: t.field({ type: EdgeTypeEnum, resolve: (h) => h.type }),
    edgeId: t.id({
      description: 'Pass to `explain`.',
      resolve: (h) => edgeId({ type: h.type, from: { id: h.from }, to: { id: h.to } }),
    }),
    technique: t.string({ nullable: true, resolve: (h) => h.technique }),
    reason: t.exposeString('reason'),
    evidence: t.field({ type: [EvidenceRef], resolve: (h) => h.evidence }),
    conditional: t.exposeBoolean('conditional'),
    requires: t.stringList({
      description: 'What must also exist for the technique to work and was not seen.',
      resolve: (h) => h.requires ?? [],
    }),
    used: t.boolean({
      nullable: true,
      description:
        'Whether the source used this edge over the window the activity logs cover; null: unknown.',
      resolve: (h) => h.used ?? null,
    }),
    useCount: t.int({ nullable: true, resolve: (h) => h.useCount ?? null }),
    lastUsed: t.string({ nullable: true, resolve: (h) => h.lastUsed ?? null }),
  }),
});

export const EscalationRef = builder.objectRef<EscalationAnswer>('Escalation').implement({
  description:
    'A principal that does not control a target but can come to, by the shortest path: administrator of an AWS account, cluster-admin of a Kubernetes cluster, or root on a Kubernetes node.',
  fields: (t) => ({
    principal: t.exposeID('principal'),
    identity: t.field({
      type: IdentityRef,
      nullable: true,
      resolve: (e, _args, { graph }) => graph.node(e.principal, ['principal']),
    }),
    target: t.exposeID('target', { description: 'The account, cluster or node (its node id).' }),
    targetKind: t.exposeString('targetKind', {
      description: 'AwsAccount, K8sCluster, K8sNode, GcpOrganization, GcpFolder or GcpProject.',
    }),
    account: t.exposeString('account', {
      nullable: true,
      description: 'The 12-digit account id when the target is an AWS account.',
    }),
    hops: t.exposeInt('hops', { description: 'Hop edges on the path.' }),
    self: t.exposeBoolean('self', { description: 'The path ends in a self-escalation.' }),
    conditional: t.exposeBoolean('conditional'),
    path: t.field({ type: [PathStepRef], resolve: (e) => e.path }),
  }),
});

builder.queryField('escalations', (t) =>
  t.field({
    type: [EscalationRef],
    description:
      'Principals that can become administrator of an AWS account, cluster-admin of a Kubernetes cluster or root on one of its nodes (every target when no filter is given).',
    args: {
      account: t.arg.string({ description: '12-digit AWS account id.' }),
      cluster: t.arg.string({ description: 'Kubernetes cluster name: the cluster and its nodes.' }),
      kind: t.arg.string({
        description:
          'Only targets of this kind: AwsAccount, K8sCluster, K8sNode, GcpOrganization, GcpFolder or GcpProject.',
      }),
      who: t.arg({
        type: IdentityFilter,
        description:
          'Only these principals, e.g. {kind: ["K8sPod", "K8sWorkload"]}: which workloads can become cluster-admin.',
      }),
      maxHops: t.arg.int({ description: 'Hop edges on the path; default the configured cap.' }),
    },
    complexity: { field: 20, multiplier: 10 },
    resolve: async (_root, args, { graph, limits }) => {
      const maxHops = checkMaxHops(args.maxHops, limits.maxHops, limits);
      const targets = {
        account: args.account ?? undefined,
        cluster: args.cluster ?? undefined,
        kind: args.kind ?? undefined,
      };
      badRequestFrom(() => checkTargets(targets));
      const answers = await new GraphPathQueries(graph.executor, graph).escalations({ ...targets, maxHops });
      if (!args.who) return answers;
      const who = filterOf(args.who);
      const kept = new Map<string, boolean>();
      for (const id of new Set(answers.map((a) => a.principal))) {
        const node = await graph.node(id, ['principal']);
        kept.set(id, node !== null && matchesFilter(filterableNode(node), who));
      }
      return answers.filter((a) => kept.get(a.principal));
    },
  }),
);

/** A node record as the filter language reads it (answers/filters.ts). */
function filterableNode(node: NodeRecord) {
  return { id: node.id, labels: [node.kind], properties: node.props as FilterableNode['properties'] };
}
