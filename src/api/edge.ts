import { hopUse } from '../answers/answer-shape.js';
import { type HubEdgeRow, throughHub } from '../answers/graph-reader.js';
import { ACCESS_LEVELS, type Evidence } from '../model/index.js';
import { evidenceReason, storedEvidence } from '../model/validate.js';
import { builder } from './builder.js';
import { AccessLevelEnum, EDGE_TYPES, EdgeDirectionEnum, EdgeTypeEnum, knownList } from './enums.js';
import { ApiError } from './errors.js';
import { NodeRef } from './node.js';
import { connectionComplexity, decodeCursor, pageSize, toPage } from './paging.js';
import { type EdgeRecord, edgeId, parseEdgeId, toEdgeRecord } from './records.js';
import { kindOf, RelationshipKindRef } from './relationship-kind.js';

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
const optionalString = (value: unknown): string | null => (typeof value === 'string' ? value : null);

/** The evidence records stored on an edge (a JSON array); unreadable evidence reads as none. */
export function evidenceOf(edge: EdgeRecord): Evidence[] {
  return storedEvidence(edge.props.evidence);
}

export const EvidenceRef = builder.objectRef<Evidence>('Evidence').implement({
  description: 'Where the fact that creates an edge is written down, and why it counts.',
  fields: (t) => ({
    source: t.exposeString('source', { description: 'identity-policy, trust-policy, rbac-binding…' }),
    ref: t.exposeString('ref', { description: 'Id of the policy, binding or object (ARN, binding name…).' }),
    statement: t.string({
      nullable: true,
      description: 'Statement Sid or #index, rule index, binding member.',
      resolve: (e) => e.statement ?? null,
    }),
    reason: t.exposeString('reason'),
    conditions: t.stringList({
      description: 'Condition keys that could not be decided offline.',
      resolve: (e) => e.conditions ?? [],
    }),
  }),
});

export const EdgeRef = builder.objectRef<EdgeRecord>('Edge').implement({
  description: 'A derived relationship with its reason and evidence.',
  fields: (t) => ({
    id: t.id({ description: 'Stable id `<from>|<TYPE>|<to>`; pass it to `explain`.', resolve: edgeId }),
    type: t.field({ type: EdgeTypeEnum, resolve: (e) => e.type }),
    kind: t.field({
      type: RelationshipKindRef,
      description: 'What the edge type means: category, ATT&CK technique and help.',
      resolve: (e) => {
        const kind = kindOf(e.type);
        if (!kind)
          throw new ApiError(`edge ${edgeId(e)} has type ${e.type}, which the vocabulary does not declare`);
        return kind;
      },
    }),
    from: t.field({ type: NodeRef, resolve: (e) => e.from }),
    to: t.field({ type: NodeRef, resolve: (e) => e.to }),
    reason: t.string({
      nullable: true,
      description:
        "One line on why the edge exists: the first evidence record's reason (derived, not stored).",
      resolve: (e) => (typeof e.props.evidence === 'string' ? evidenceReason(evidenceOf(e)) : null),
    }),
    evidence: t.field({ type: [EvidenceRef], resolve: evidenceOf }),
    conditional: t.boolean({
      description: 'Holds only under conditions that cannot be decided offline (source IP, MFA, time…).',
      resolve: (e) => e.props.conditional === true,
    }),
    conditions: t.stringList({ resolve: (e) => strings(e.props.conditions) }),
    levels: t.field({
      type: [AccessLevelEnum],
      description: 'CAN_ACCESS: the access levels granted.',
      resolve: (e) => knownList(ACCESS_LEVELS, e.props.levels),
    }),
    actions: t.stringList({
      description: 'CAN_ACCESS: the allowed actions.',
      resolve: (e) => strings(e.props.actions),
    }),
    technique: t.string({
      nullable: true,
      description: 'CAN_ESCALATE: the technique id.',
      resolve: (e) => optionalString(e.props.technique),
    }),
    attack: t.string({
      nullable: true,
      description: 'CAN_ESCALATE: the MITRE ATT&CK technique id.',
      resolve: (e) => optionalString(e.props.attack),
    }),
    requires: t.stringList({
      description: 'CAN_ESCALATE: what else must exist for the technique to work and was not seen.',
      resolve: (e) => strings(e.props.requires),
    }),
    used: t.boolean({
      nullable: true,
      description:
        'Whether the source used this edge over the window the activity logs cover (through a Grant hub: this pair); null when no log covers the source (docs/activity.md).',
      resolve: (e) => hopUse(e.props).used ?? null,
    }),
    useCount: t.int({
      nullable: true,
      description: 'With `used`: the successful calls that used the edge.',
      resolve: (e) => hopUse(e.props).useCount ?? null,
    }),
    lastUsed: t.string({
      nullable: true,
      description: 'With `used`: the last of those calls (ISO 8601).',
      resolve: (e) => hopUse(e.props).lastUsed ?? null,
    }),
    firstSeen: t.string({ nullable: true, resolve: (e) => optionalString(e.props.firstSeen) }),
    lastSeen: t.string({ nullable: true, resolve: (e) => optionalString(e.props.lastSeen) }),
  }),
});

builder.interfaceField(NodeRef, 'edges', (t) =>
  t.connection(
    {
      type: EdgeRef,
      description:
        'Derived edges leaving (OUT) or arriving at (IN) this node, ordered by type then the other end.',
      args: {
        direction: t.arg({ type: EdgeDirectionEnum, defaultValue: 'out' }),
        types: t.arg({ type: [EdgeTypeEnum], description: 'Default: every derived edge type.' }),
      },
      complexity: (args) => connectionComplexity(args, 5),
      resolve: async (node, args, { graph, limits }) => {
        const first = pageSize(args, limits.maxPageSize);
        const [afterType, afterId] = args.after ? decodeCursor(args.after, 2) : [null, null];
        const rows = await graph.read<HubEdgeRow & { otherId: string }>(
          args.direction === 'in' ? 'edges-in' : 'edges-out',
          {
            id: node.id,
            types: args.types?.length ? args.types : EDGE_TYPES,
            afterType,
            afterId,
            limit: first + 1,
          },
          { label: node.kind },
        );
        const other = (e: EdgeRecord) => (args.direction === 'in' ? e.from.id : e.to.id);
        return toPage(
          rows.map((row) => toEdgeRecord(throughHub(row))),
          first,
          (e) => [e.type, other(e)],
          Boolean(args.after),
        );
      },
    },
    { name: 'EdgeConnection' },
    { name: 'EdgeConnectionEdge' },
  ),
);

builder.queryField('explain', (t) =>
  t.field({
    type: EdgeRef,
    nullable: true,
    description:
      'One edge by id (`<from>|<TYPE>|<to>`) with its reason and evidence; null when the graph has none.',
    args: { edge: t.arg.id({ required: true }) },
    complexity: 10,
    resolve: async (_root, args, { graph }) => {
      const parsed = parseEdgeId(String(args.edge), EDGE_TYPES);
      if (!parsed)
        throw new ApiError(
          `invalid edge id "${args.edge}": expected <from id>|<TYPE>|<to id> with TYPE one of ${EDGE_TYPES.join(', ')}`,
        );
      return graph.edge(parsed.from, parsed.type, parsed.to);
    },
  }),
);
