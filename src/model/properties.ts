/**
 * Property types that Neo4j can store on a node or relationship. Nested maps are not property values in
 * Neo4j, so structured data (evidence) is stored as JSON strings; everything else maps one to one.
 */
export type PropertyType = 'string' | 'integer' | 'float' | 'boolean' | 'datetime' | 'string[]' | 'integer[]';

export interface PropertySpec {
  type: PropertyType;
  description: string;
  /** Only for `string`/`string[]`: the allowed values. */
  values?: readonly string[];
  required?: boolean;
}

export type PropertySpecs = Readonly<Record<string, PropertySpec>>;

export const ENVIRONMENTS = ['production', 'staging', 'development', 'unknown'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

export const SENSITIVITIES = ['high', 'medium', 'low', 'unknown'] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

export const NHI_TYPES = [
  'role',
  'service-account',
  'workload',
  'ci-pipeline',
  'api-key',
  'bot',
  'device',
  'human',
] as const;
export type NhiType = (typeof NHI_TYPES)[number];

export const PROVIDERS = ['aws', 'gcp', 'kubernetes', 'oidc', 'external', 'custom'] as const;
export type Provider = (typeof PROVIDERS)[number];

/** Severities of an AnalysisFlag, most severe first (the same scale as report findings). */
export const FLAG_SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type FlagSeverity = (typeof FLAG_SEVERITIES)[number];

/**
 * Access levels of a CAN_ACCESS edge, after the AWS action catalogue's access levels: `list` sees
 * what exists and how it is configured (AWS's List, and the Read actions that return metadata),
 * `read` reads the content, `write` changes it, `permissions` changes who may access it, `tagging`
 * changes its tags.
 */
export const ACCESS_LEVELS = ['list', 'read', 'write', 'permissions', 'tagging'] as const;
export type AccessLevel = (typeof ACCESS_LEVELS)[number];

/** The levels of several grants as one list: each level once, in `ACCESS_LEVELS` order. */
export function unitedLevels(...lists: readonly (readonly string[] | undefined)[]): AccessLevel[] {
  const held = new Set(lists.flatMap((list) => list ?? []));
  return ACCESS_LEVELS.filter((level) => held.has(level));
}

/**
 * A list property of two edges merged into one (two grants of one pair): `levels` by `unitedLevels`,
 * any other list (`actions`, `via`, …) with each value once, sorted.
 */
export function unitedList(key: string, a: readonly string[], b: readonly string[]): string[] {
  return key === 'levels' ? unitedLevels(a, b) : [...new Set([...a, ...b])].sort();
}

/**
 * The levels that reach a resource's data: reading it, changing it, or granting access to it.
 * `list` and `tagging` touch only metadata. Answers prefer a route to data access over a shorter
 * one to metadata (src/answers/route-rule.ts), and "reaches production data" means these levels.
 */
export const DATA_ACCESS_LEVELS: readonly AccessLevel[] = ['read', 'write', 'permissions'];

/** Properties every node has; the loader sets the bookkeeping ones (firstSeen, lastSeen, lastRunId). */
export const COMMON_NODE_PROPERTIES: PropertySpecs = {
  name: { type: 'string', description: 'Human-readable name shown in answers and reports.', required: true },
  provider: { type: 'string', description: 'Which system the node comes from.', values: PROVIDERS },
  scope: {
    type: 'string',
    description:
      'The collection scope that owns the node (an AWS account, a GCP project, a cluster). Absent for shared nodes such as Public or a service principal.',
  },
};

/** How much an owner found from one source is to be trusted (docs/owners.md). */
export const OWNER_CONFIDENCES = ['high', 'medium', 'low'] as const;
export type OwnerConfidence = (typeof OWNER_CONFIDENCES)[number];

/** An owner is a team or a person. */
export const OWNER_TYPES = ['team', 'person'] as const;
export type OwnerType = (typeof OWNER_TYPES)[number];

/**
 * The owner of a non-human identity (docs/owners.md), written by owner resolution (src/owners/)
 * before the load from the owners file, tags, labels, CI repositories and scopes.
 */
export const OWNER_PROPERTIES: PropertySpecs = {
  owner: { type: 'string', description: 'The team or person that owns the identity; absent: unowned.' },
  ownerType: { type: 'string', description: 'Whether the owner is a team or a person.', values: OWNER_TYPES },
  ownerSource: {
    type: 'string',
    description: 'The evidence of the owner: which owners file rule, tag, label, CODEOWNERS line or scope.',
  },
  ownerConfidence: {
    type: 'string',
    description: 'How much that source is to be trusted.',
    values: OWNER_CONFIDENCES,
  },
  ownerContacts: { type: 'string[]', description: 'The owner’s contacts, from the owners file.' },
  ownerAlertRoute: {
    type: 'string',
    description: 'The alert route of the owner (the owners file’s `alert`, else the owner’s name).',
  },
  ownerCandidates: {
    type: 'string',
    description:
      'Every owner any source names, JSON: [{owner, type, step, source, confidence}], in the order tried.',
  },
  ownerConflict: {
    type: 'boolean',
    description:
      'True when sources naming the identity itself name different owners (an inherited scope owner is a fallback, not a conflict).',
  },
};

export const PRINCIPAL_PROPERTIES: PropertySpecs = {
  nonHuman: {
    type: 'boolean',
    description: 'True for bots, roles, workloads, keys and pipelines.',
    required: true,
  },
  nhiType: {
    type: 'string',
    description: 'What kind of identity this is (required when nonHuman is true).',
    values: NHI_TYPES,
  },
  environment: { type: 'string', description: 'Environment the identity belongs to.', values: ENVIRONMENTS },
  ...OWNER_PROPERTIES,
};

export const RESOURCE_PROPERTIES: PropertySpecs = {
  environment: {
    type: 'string',
    description: 'From tags, the account/project map in config, then name patterns.',
    values: ENVIRONMENTS,
    required: true,
  },
  sensitivity: {
    type: 'string',
    description: 'From the classification rules.',
    values: SENSITIVITIES,
  },
};

export const CREDENTIAL_PROPERTIES: PropertySpecs = {
  status: { type: 'string', description: 'Active or inactive.', values: ['active', 'inactive'] },
  createdAt: { type: 'datetime', description: 'When the credential was created.' },
  lastUsedAt: { type: 'datetime', description: 'When the credential was last used, if known.' },
  ageDays: { type: 'integer', description: 'Age in days at collection time.' },
};

/**
 * The activity summary (docs/activity.md): written on principals and long-term access keys from the
 * activity store after each ingest and sync (cypher/activity/), never loaded from an inventory, and
 * removed when the store no longer names the node.
 */
export const ACTIVITY_PROPERTIES: PropertySpecs = {
  lastActivity: {
    type: 'datetime',
    description:
      'The last logged call of the identity, or made with the key (allowed or refused: any use is activity), within the activity store’s retained window.',
  },
  activityEvents: { type: 'integer', description: 'The calls the retained window holds.' },
  activityWindowStart: {
    type: 'datetime',
    description:
      'The earliest event the activity store holds: no `lastActivity` means no call logged since then, not "never used".',
  },
  activityCoveredFrom: {
    type: 'datetime',
    description:
      'On every identity of an account, project or cluster the ingested logs cover: the first event of that coverage. Unset: no log covers the identity, nothing is known unused.',
  },
  activityCoveredTo: { type: 'datetime', description: 'The last event of that coverage.' },
  used: {
    type: 'boolean',
    description:
      'On a CAN_ACCESS, CAN_ASSUME, FEDERATES_TO, CAN_IMPERSONATE or RUNS_AS edge of an identity the logs cover: whether its source used it over the covered window (docs/activity.md, granted vs used). On the member leg of a Grant hub: whether the member used any of the hub’s targets (the pair edges’ own use is in `usedTargets`). Unset: not known.',
  },
  useCount: { type: 'integer', description: 'On such an edge: the successful calls that used it.' },
  lastUsed: { type: 'datetime', description: 'On such an edge: the last of those calls.' },
  usedTargets: {
    type: 'string[]',
    description:
      'On the member leg of a Grant hub whose member the logs cover: the hub’s targets the member used (the pair edges member → target that are used; every other pair edge of the hub is unused).',
  },
  usedTargetCounts: {
    type: 'integer[]',
    description: 'On such a member leg: the successful calls per target of `usedTargets`, in the same order.',
  },
  usedTargetLastUsed: {
    type: 'string[]',
    description: 'On such a member leg: the last of those calls per target of `usedTargets` (ISO 8601 UTC).',
  },
};

/** Bookkeeping properties the loader stamps on every node and relationship. */
export const LOADER_PROPERTIES: PropertySpecs = {
  id: { type: 'string', description: 'Stable unique id (see the id format of each kind).', required: true },
  firstSeen: { type: 'datetime', description: 'When a run first loaded this fact.' },
  lastSeen: { type: 'datetime', description: 'When a run last confirmed this fact.' },
  lastRunId: { type: 'string', description: 'The CollectionRun that last confirmed this fact.' },
};
