import { ACCESS_LEVELS, type PropertySpecs } from './properties.js';

/**
 * - hop: principal → principal; path queries traverse these.
 * - terminal: principal → resource; a path ends with one.
 * - structural: containment, membership, attachment; for explanation and scoping, never traversed by paths.
 * - summary: computed in the graph from hop and terminal edges after a load (src/reachability/compute.ts);
 *   never part of an Inventory, never traversed by paths, and without evidence of its own (the edges it
 *   summarizes carry it).
 * Hop and terminal edges are derived: each must carry evidence.
 */
export const RELATIONSHIP_CATEGORIES = ['hop', 'terminal', 'structural', 'summary'] as const;
export type RelationshipCategory = (typeof RELATIONSHIP_CATEGORIES)[number];

export interface RelationshipKindSpec {
  type: string;
  category: RelationshipCategory;
  /** Labels (kind or category labels) the source node must carry one of; `*` for any. */
  from: readonly string[];
  to: readonly string[];
  meaning: string;
  /** MITRE ATT&CK technique the edge models, where one fits. */
  attack?: string;
  properties: PropertySpecs;
}

/** Properties every derived (hop or terminal) edge carries; the loader fills them from the evidence. */
export const DERIVED_EDGE_PROPERTIES: PropertySpecs = {
  reason: {
    type: 'string',
    description: 'One-line human reason, from the first evidence record.',
    required: true,
  },
  evidence: { type: 'string', description: 'The evidence records, JSON array.', required: true },
  evidenceRefs: { type: 'string[]', description: 'The policy/binding ids of the evidence, for lookups.' },
  conditional: {
    type: 'boolean',
    description:
      'True when the edge holds only under conditions that cannot be decided offline (source IP, MFA, time…).',
  },
  conditions: { type: 'string[]', description: 'The undecided condition keys.' },
};

function rel(spec: RelationshipKindSpec): RelationshipKindSpec {
  return spec;
}

export const RELATIONSHIP_KINDS = [
  // ── Hops ────────────────────────────────────────────────────────────────────────────────────
  rel({
    type: 'CAN_ASSUME',
    category: 'hop',
    from: ['Principal'],
    to: ['AwsRole'],
    meaning:
      'The source can obtain the role’s credentials (sts:AssumeRole*): both its trust policy and the caller’s permissions allow it.',
    attack: 'T1548',
    properties: {},
  }),
  rel({
    type: 'CAN_IMPERSONATE',
    category: 'hop',
    from: ['Principal'],
    to: ['Principal'],
    meaning:
      'The source can act as the target: GCP iam.serviceAccounts.getAccessToken/signJwt/actAs, Kubernetes impersonate.',
    attack: 'T1134',
    properties: {},
  }),
  rel({
    type: 'FEDERATES_TO',
    category: 'hop',
    from: ['Principal'],
    to: ['Principal'],
    meaning:
      'A federated identity (OIDC/SAML subject, IRSA, GKE Workload Identity) is admitted by the target’s trust side.',
    attack: 'T1550',
    properties: {},
  }),
  rel({
    type: 'RUNS_AS',
    category: 'hop',
    from: ['Workload'],
    to: ['Principal'],
    meaning:
      'A workload runs with the target identity’s credentials (pod service account, instance profile role).',
    attack: 'T1552.005',
    properties: {},
  }),
  rel({
    type: 'CAN_ESCALATE',
    category: 'hop',
    from: ['Principal'],
    to: ['Principal', 'AwsAccount'],
    meaning:
      'The source can gain the target’s privileges through a privilege-escalation technique; an edge to an AwsAccount is self-escalation: the source can make itself administrator of that account.',
    attack: 'T1098',
    properties: {
      technique: {
        type: 'string',
        description: 'The technique id from docs/aws.md, e.g. iam-passrole-lambda-createfunction.',
        required: true,
      },
      attack: { type: 'string', description: 'The MITRE ATT&CK technique id, e.g. T1098.003.' },
      self: { type: 'boolean', description: 'True when the source escalates its own privileges.' },
      requires: {
        type: 'string[]',
        description:
          'What else must exist for the technique to work and was not seen in the collected data (e.g. an EC2 instance running as the role): the edge is possible-if-such-a-resource-exists.',
      },
    },
  }),

  // ── Terminal ────────────────────────────────────────────────────────────────────────────────
  rel({
    type: 'CAN_ACCESS',
    category: 'terminal',
    from: ['Principal'],
    to: ['Resource'],
    meaning: 'The source can perform actions on the resource, at the given access levels.',
    properties: {
      levels: {
        type: 'string[]',
        description: 'Access levels granted.',
        values: ACCESS_LEVELS,
        required: true,
      },
      actions: { type: 'string[]', description: 'The allowed actions (or permissions/verbs).' },
    },
  }),

  rel({
    type: 'ADMINISTERS',
    category: 'terminal',
    from: ['Principal'],
    to: ['AwsAccount', 'GcpProject', 'K8sCluster'],
    meaning:
      'The source’s effective permissions amount to full control of the scope (e.g. Allow * on * with nothing restricting it).',
    properties: {},
  }),

  // ── Summary ─────────────────────────────────────────────────────────────────────────────────
  rel({
    type: 'REACHES',
    category: 'summary',
    from: ['Principal'],
    to: ['Resource'],
    meaning:
      'Reachability summary, recomputed after every load: the source reaches the resource through at most `maxHops` hop edges and one CAN_ACCESS edge. Describes the shortest such routes; expand it into the full explained path with a path query.',
    properties: {
      hops: {
        type: 'integer',
        description:
          'Fewest hop edges before the final CAN_ACCESS on any route (0: the source accesses the resource directly).',
        required: true,
      },
      levelMask: {
        type: 'integer',
        description:
          'Union of the levels of the CAN_ACCESS edges that end the shortest routes (every principal at `hops` hop edges from the source with a CAN_ACCESS edge to the resource), as bits: 1 list, 2 read, 4 write, 8 permissions, 16 tagging.',
        required: true,
      },
      allLevelMask: {
        type: 'integer',
        description:
          'Union of the levels over every route within `maxHops`, shortest or not (what the source can get on the resource at all), as bits like `levelMask`. Ask who can write with `allLevelMask IN [4, 5, 6, 7, …]` (every mask with bit 4), as the API does.',
        required: true,
      },
      firstHop: {
        type: 'string',
        description:
          'Id of the node the first hop of a shortest route enters; the resource itself for direct access. An unconditional route is chosen when there is one.',
        required: true,
      },
      viaCode: {
        type: 'integer',
        description:
          'Hop relationship types of that route, in order, as base-8 digits (first hop most significant; 1 CAN_ASSUME, 2 CAN_IMPERSONATE, 3 FEDERATES_TO, 4 RUNS_AS, 5 CAN_ESCALATE); 0 for direct access. The final CAN_ACCESS is implied.',
        required: true,
      },
      conditional: {
        type: 'boolean',
        description:
          'True when every shortest route has a conditional edge (hop or CAN_ACCESS); a longer unconditional route does not make it false.',
        required: true,
      },
      maxHops: { type: 'integer', description: 'The hop bound the summary was computed with.' },
      digest: {
        type: 'integer',
        description:
          'Checksum of the properties above, so a recomputation rewrites only the rows that changed and leaves the others untouched. Rows carry firstSeen (when the pair was first found) but no lastSeen or run id: every row belongs to the last successful computation, which deletes the rows it did not confirm.',
      },
    },
  }),

  // ── Structural ──────────────────────────────────────────────────────────────────────────────
  rel({
    type: 'MEMBER_OF',
    category: 'structural',
    from: ['Principal'],
    to: ['AwsGroup', 'GcpGroup', 'K8sGroup'],
    meaning: 'Group membership.',
    properties: {},
  }),
  rel({
    type: 'HAS_POLICY',
    category: 'structural',
    from: ['Principal', 'AwsGroup', 'Resource'],
    to: ['AwsPolicy'],
    meaning: 'A policy is attached to (or inline in, or the permissions boundary of) the source.',
    properties: {
      attachments: {
        type: 'string[]',
        description:
          'How the policy applies to the source; one policy can be both attached and the permissions boundary.',
        values: ['managed', 'inline', 'permissions-boundary', 'resource', 'scp', 'rcp'],
      },
    },
  }),
  rel({
    type: 'BOUND_TO',
    category: 'structural',
    from: ['*'],
    to: ['PermissionContainer'],
    meaning:
      'An RBAC or IAM binding grants a role: subject → binding → role, or a principal straight to a GCP role on a resource.',
    properties: {
      on: {
        type: 'string',
        description: 'The resource the binding applies to, when it is not the scope itself.',
      },
    },
  }),
  rel({
    type: 'HAS_CREDENTIAL',
    category: 'structural',
    from: ['Principal'],
    to: ['Credential'],
    meaning: 'The principal owns the credential.',
    properties: {},
  }),
  rel({
    type: 'CONTAINS',
    category: 'structural',
    from: ['Resource'],
    to: ['*'],
    meaning: 'Containment: an account contains its roles and buckets, a namespace its pods.',
    properties: {},
  }),
  rel({
    type: 'CHILD_OF',
    category: 'structural',
    from: ['Resource'],
    to: ['Resource'],
    meaning: 'Hierarchy: project → folder → organization, account → organization.',
    properties: {},
  }),
  rel({
    type: 'HAS_FLAG',
    category: 'structural',
    from: ['*'],
    to: ['AnalysisFlag'],
    meaning:
      'An analyzer flagged the source node; the AnalysisFlag holds the rule, severity, message and evidence. Report rules read flags as `(s)-[:HAS_FLAG]->(f:AnalysisFlag {rule: $flagRule})`.',
    properties: {},
  }),
] as const satisfies readonly RelationshipKindSpec[];

export type RelationshipType = (typeof RELATIONSHIP_KINDS)[number]['type'];

const byType = new Map<string, RelationshipKindSpec>(RELATIONSHIP_KINDS.map((r) => [r.type, r]));
if (byType.size !== RELATIONSHIP_KINDS.length) throw new Error('RELATIONSHIP_KINDS declares a type twice');

export function relationshipKind(type: string): RelationshipKindSpec | undefined {
  return byType.get(type);
}

/** Hop and terminal edges: derived by analyzers, each with evidence. */
export function isDerived(spec: RelationshipKindSpec): boolean {
  return spec.category === 'hop' || spec.category === 'terminal';
}

/** Whether an Inventory may carry the kind (summary kinds are computed in the graph, not loaded). */
export function isLoadable(spec: RelationshipKindSpec): boolean {
  return spec.category !== 'summary';
}

export const HOP_TYPES = RELATIONSHIP_KINDS.filter((r) => r.category === 'hop').map((r) => r.type);
