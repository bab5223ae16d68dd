import { DEFAULT_OWNER_KEYS, type OwnerKey } from '../config/owners.js';
import type { Inventory, InventoryNode, PropertyValue } from '../model/inventory.js';
import type { OwnerConfidence, OwnerType } from '../model/properties.js';
import { type CodeOwners, repositoryOwners } from './codeowners.js';
import type { CreatorRecord, Creators } from './creators.js';
import { GITHUB_ISSUER_HOST, repositoryOfPrincipalSet, repositoryOfSubject } from './github.js';
import type { OwnerEntry, OwnerRule, OwnersFile } from './owners-file.js';

/**
 * Owner resolution: a pure function from the run's merged inventory (and the owners file and
 * CODEOWNERS files the user gives) to an owner for every non-human identity, with the evidence.
 * The pipeline runs it after analysis and cross-provider rules, before validation and the load
 * (src/pipeline/sync.ts), so `analyze`, `sync` and `query --snapshot` see the same owners.
 *
 * Every source that names an owner gives a candidate; the first candidate in the documented order
 * (OWNER_STEPS) is the owner, and all candidates are kept on the node (`ownerCandidates`):
 * disagreeing sources are a conflict shown, never hidden (docs/owners.md).
 */

/** Where an owner may come from, in the order tried. */
export const OWNER_STEPS = [
  'file',
  'tag',
  'kubernetes',
  'gcp',
  'repository',
  'creator',
  'inherited',
] as const;
export type OwnerStep = (typeof OWNER_STEPS)[number];

export interface OwnerCandidate {
  owner: string;
  type: OwnerType;
  step: OwnerStep;
  /** One line a person can check: which file rule, tag key, label, CODEOWNERS line. */
  source: string;
  confidence: OwnerConfidence;
}

export interface OwnerSources {
  /** The owners file and the name it is cited by in evidence. */
  file?: { name: string; owners: OwnersFile };
  /** Repository (ORG/REPO) → its parsed CODEOWNERS file and the name it is cited by. */
  codeowners?: ReadonlyMap<string, { name: string; codeowners: CodeOwners }>;
  /** Tag, label and annotation keys naming an owner, in order (default DEFAULT_OWNER_KEYS). */
  keys?: readonly OwnerKey[];
  /** Who created each identity or credential, from the activity logs (creators.ts). */
  creators?: Creators;
}

export interface OwnerResolution {
  /** The inventory's nodes, non-human identities with their owner properties. */
  nodes: InventoryNode[];
  stats: { identities: number; owned: number; unowned: number; conflicts: number };
}

/** Principals that stand for the provider or for anyone, never for a team of the estate. */
export const NOT_OWNED = new Set([
  'AwsServicePrincipal',
  'AwsAccountRoot',
  'ExternalPrincipal',
  'Public',
  'Grant',
]);

/** The owner properties owner resolution writes (node-kinds.ts declares them on principals). */
export const OWNER_PROPERTY_NAMES = [
  'owner',
  'ownerType',
  'ownerSource',
  'ownerConfidence',
  'ownerContacts',
  'ownerAlertRoute',
  'ownerCandidates',
  'ownerConflict',
] as const;

const CONFIDENCE_RANK: Record<OwnerConfidence, number> = { high: 2, medium: 1, low: 0 };
const atMost = (confidence: OwnerConfidence, cap: OwnerConfidence): OwnerConfidence =>
  CONFIDENCE_RANK[confidence] <= CONFIDENCE_RANK[cap] ? confidence : cap;

/** True for the nodes owner resolution gives an owner to. */
export function isOwnedIdentity(node: Pick<InventoryNode, 'kind' | 'properties'>): boolean {
  return node.properties.nonHuman === true && !NOT_OWNED.has(node.kind);
}

export function resolveOwners(
  inventory: Pick<Inventory, 'nodes' | 'relationships'>,
  sources: OwnerSources = {},
): OwnerResolution {
  const context = new Context(inventory, sources);
  const stats = { identities: 0, owned: 0, unowned: 0, conflicts: 0 };
  const nodes = inventory.nodes.map((node) => {
    if (!isOwnedIdentity(node)) return node;
    stats.identities += 1;
    const candidates = context.candidates(node);
    const [first] = candidates;
    if (!first) {
      stats.unowned += 1;
      return withoutOwner(node);
    }
    stats.owned += 1;
    // A scope's owner is a fallback, not a competing claim: a namespace of payments in a cluster of
    // platform is no conflict. Sources naming the identity itself that disagree are.
    const conflict = new Set(candidates.filter((c) => c.step !== 'inherited').map((c) => c.owner)).size > 1;
    if (conflict) stats.conflicts += 1;
    const entry = context.entry(first.owner);
    return {
      ...node,
      properties: {
        ...withoutOwner(node).properties,
        owner: first.owner,
        ownerType: first.type,
        ownerSource: first.source,
        ownerConfidence: first.confidence,
        ...(entry && entry.contacts.length > 0 ? { ownerContacts: [...entry.contacts] } : {}),
        ownerAlertRoute: entry?.alert ?? first.owner,
        ownerCandidates: JSON.stringify(candidates),
        ownerConflict: conflict,
      },
    };
  });
  return { nodes, stats };
}

/** A node as given, without owner properties an inventory might carry (resolution decides them). */
function withoutOwner(node: InventoryNode): InventoryNode {
  if (!OWNER_PROPERTY_NAMES.some((name) => name in node.properties)) return node;
  const properties = { ...node.properties };
  for (const name of OWNER_PROPERTY_NAMES) delete properties[name];
  return { ...node, properties };
}

/** The candidates stored on a node, parsed (the API and reports read them back). */
export function parseOwnerCandidates(text: unknown): OwnerCandidate[] {
  if (typeof text !== 'string') return [];
  try {
    const parsed = JSON.parse(text) as unknown;
    return Array.isArray(parsed) ? (parsed as OwnerCandidate[]) : [];
  } catch {
    return [];
  }
}

// ── What the resolution reads, indexed once ─────────────────────────────────────────────────

interface KeyValue {
  key: string;
  value: string;
  /** tag, label or annotation: how evidence names it. */
  what: 'tag' | 'label' | 'annotation';
}

/** The tags, labels and annotations of a node (stored as `key=value` strings). */
function keyValues(properties: Record<string, PropertyValue>): KeyValue[] {
  const out: KeyValue[] = [];
  const read = (list: PropertyValue | undefined, what: KeyValue['what']) => {
    if (!Array.isArray(list)) return;
    for (const item of list) {
      if (typeof item !== 'string') continue;
      const eq = item.indexOf('=');
      if (eq > 0) out.push({ key: item.slice(0, eq), value: item.slice(eq + 1), what });
    }
  };
  read(properties.tags, 'tag');
  read(properties.labels, 'label');
  read(properties.annotations, 'annotation');
  return out;
}

/** Where a node sits: its AWS account, GCP project, Kubernetes cluster and namespace. */
interface Placement {
  account?: string;
  project?: string;
  cluster?: string;
  namespace?: string;
}

function placementOf(node: InventoryNode): Placement {
  const p = node.properties;
  const out: Placement = {};
  const account =
    typeof p.accountId === 'string' ? p.accountId : /^arn:[^:]+:iam::(\d{12}):/.exec(node.id)?.[1];
  if (account) out.account = account;
  if (typeof p.projectId === 'string') out.project = p.projectId;
  if (node.id.startsWith('k8s:')) {
    const [, cluster] = node.id.split(':');
    if (cluster) out.cluster = cluster;
    if (typeof p.namespace === 'string') out.namespace = p.namespace;
  }
  return out;
}

/** `*` matches any run of characters, `?` one; linear in pattern × value, no regular expression. */
export function globMatch(pattern: string, value: string): boolean {
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < value.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p += 1;
      v += 1;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p;
      mark = v;
      p += 1;
    } else if (star >= 0) {
      p = star + 1;
      mark += 1;
      v = mark;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p += 1;
  return p === pattern.length;
}

/** How specific a file rule is: one naming the identity beats one naming its scope. */
function ruleSpecificity(rule: OwnerRule): number {
  if (rule.id !== undefined) return 0;
  if (rule.tag !== undefined) return 1;
  if (rule.namespace !== undefined) return 2;
  return 3;
}

function describeRule(rule: OwnerRule): string {
  const parts: string[] = [];
  if (rule.id !== undefined) parts.push(`id ${rule.id}`);
  if (rule.account !== undefined) parts.push(`account ${rule.account}`);
  if (rule.project !== undefined) parts.push(`project ${rule.project}`);
  if (rule.cluster !== undefined) parts.push(`cluster ${rule.cluster}`);
  if (rule.namespace !== undefined) parts.push(`namespace ${rule.namespace}`);
  for (const [key, value] of Object.entries(rule.tag ?? {})) parts.push(`tag/label ${key}=${value}`);
  return parts.join(', ');
}

class Context {
  private readonly byId = new Map<string, InventoryNode>();
  /** Incoming RUNS_AS, CHILD_OF (pod → its controller), FEDERATES_TO and CAN_IMPERSONATE, by target. */
  private readonly runsAs = new Map<string, string[]>();
  private readonly parents = new Map<string, string[]>();
  private readonly federatedFrom = new Map<string, string[]>();
  private readonly aliases = new Map<string, string>();
  /** The credentials (access keys, service-account keys) each identity holds. */
  private readonly credentials = new Map<string, string[]>();
  /** Identities whose creator's owner is being looked up (a creation cycle names no owner). */
  private readonly resolving = new Set<string>();
  private readonly keys: readonly OwnerKey[];
  private readonly repositoryCache = new Map<string, OwnerCandidate[]>();
  /** The owners file's rules naming identities, and those naming scopes, by scope key when they name one. */
  private readonly identityRules: IndexedRule[] = [];
  private readonly scopeRules = new Map<string, IndexedRule[]>();
  private readonly otherScopeRules: IndexedRule[] = [];

  constructor(
    inventory: Pick<Inventory, 'nodes' | 'relationships'>,
    private readonly sources: OwnerSources,
  ) {
    for (const node of inventory.nodes) this.byId.set(node.id, node);
    const push = (map: Map<string, string[]>, key: string, value: string) => {
      const list = map.get(key);
      if (list) list.push(value);
      else map.set(key, [value]);
    };
    for (const r of inventory.relationships) {
      if (r.type === 'HAS_CREDENTIAL') push(this.credentials, r.from, r.to);
      if (r.type === 'RUNS_AS') push(this.runsAs, r.to, r.from);
      else if (r.type === 'CHILD_OF') push(this.parents, r.from, r.to);
      else if (r.type === 'FEDERATES_TO' || r.type === 'CAN_IMPERSONATE')
        push(this.federatedFrom, r.to, r.from);
    }
    for (const [name, entry] of Object.entries(sources.file?.owners.owners ?? {})) {
      this.aliases.set(name.toLowerCase(), name);
      for (const alias of entry.aliases) this.aliases.set(alias.toLowerCase(), name);
    }
    this.keys = sources.keys ?? DEFAULT_OWNER_KEYS;
    for (const [index, rule] of (sources.file?.owners.rules ?? []).entries()) {
      const indexed = { rule, index };
      if (ruleSpecificity(rule) <= 1) this.identityRules.push(indexed);
      else {
        const key = scopeKeyOfRule(rule);
        if (key === undefined) this.otherScopeRules.push(indexed);
        else this.scopeRules.set(key, [...(this.scopeRules.get(key) ?? []), indexed]);
      }
    }
  }

  /** The owners file's entry for a canonical owner name. */
  entry(owner: string): OwnerEntry | undefined {
    return this.sources.file?.owners.owners[owner];
  }

  /** A name as found (a tag value, a CODEOWNERS handle) → the owner it is, with its type. */
  private owner(raw: string, step: OwnerStep, source: string, confidence: OwnerConfidence): OwnerCandidate {
    const value = raw.trim();
    const owner = this.aliases.get(value.toLowerCase()) ?? value;
    const declared = this.entry(owner)?.type;
    // An email address or a GitHub user (`@name`, not `@org/team`) is a person; anything else a team.
    const type: OwnerType =
      declared ?? (/^[^@\s]+@[^@\s]+$/.test(owner) || /^@[^/\s]+$/.test(owner) ? 'person' : 'team');
    return { owner, type, step, source, confidence };
  }

  candidates(node: InventoryNode): OwnerCandidate[] {
    const placement = placementOf(node);
    const own = keyValues(node.properties);
    const out: OwnerCandidate[] = [];
    this.fileRules(node, placement, own, 'identity', out);
    this.keyed(own, 'tag', '', 'high', out);
    if (node.id.startsWith('k8s:')) this.kubernetes(node, placement, out);
    if (node.kind === 'GcpServiceAccount' && placement.project) {
      const project = this.byId.get(`gcp:projects/${placement.project}`);
      if (project)
        this.keyed(keyValues(project.properties), 'gcp', ` on project ${placement.project}`, 'medium', out);
    }
    this.repository(node, out);
    this.creator(node, out);
    this.fileRules(node, placement, own, 'scope', out);
    if (placement.account) {
      const account = this.byId.get(`aws:account:${placement.account}`);
      if (account)
        this.keyed(
          keyValues(account.properties),
          'inherited',
          ` on account ${placement.account}`,
          'low',
          out,
        );
    }
    return out;
  }

  /**
   * Owners file rules: those naming the identity (an id pattern or a tag) come first; those naming
   * only its scope (account, project, cluster, namespace) say who owns the scope, and the identity
   * inherits that owner last.
   */
  private fileRules(
    node: InventoryNode,
    placement: Placement,
    own: readonly KeyValue[],
    which: 'identity' | 'scope',
    out: OwnerCandidate[],
  ): void {
    const file = this.sources.file;
    if (!file) return;
    // Scope rules naming one account, project, cluster or namespace are looked up, not scanned.
    const candidates =
      which === 'identity'
        ? this.identityRules
        : [
            ...this.otherScopeRules,
            ...scopeKeysOf(placement).flatMap((key) => this.scopeRules.get(key) ?? []),
          ];
    const matched = candidates
      .filter(({ rule }) => ruleMatches(rule, node, placement, own))
      .sort((a, b) => ruleSpecificity(a.rule) - ruleSpecificity(b.rule) || a.index - b.index);
    for (const { rule, index } of matched)
      out.push(
        this.owner(
          rule.owner,
          which === 'identity' ? 'file' : 'inherited',
          `owners file ${file.name} rule ${index + 1} (${describeRule(rule)})`,
          which === 'identity' || rule.namespace !== undefined ? 'high' : 'medium',
        ),
      );
  }

  /** The configured keys, in order, among some tags, labels or annotations. */
  private keyed(
    list: readonly KeyValue[],
    step: OwnerStep,
    where: string,
    cap: OwnerConfidence,
    out: OwnerCandidate[],
  ): void {
    for (const { key, confidence } of this.keys)
      for (const kv of list)
        if (kv.key.toLowerCase() === key.toLowerCase() && kv.value.trim() !== '')
          out.push(
            this.owner(kv.value, step, `${kv.what} ${kv.key}=${kv.value}${where}`, atMost(confidence, cap)),
          );
  }

  /**
   * Kubernetes: the labels and annotations of the workloads that run as a service account (or of a
   * pod's controller), then those of its namespace.
   */
  private kubernetes(node: InventoryNode, placement: Placement, out: OwnerCandidate[]): void {
    const related = [...(this.runsAs.get(node.id) ?? []), ...(this.parents.get(node.id) ?? [])].sort();
    for (const id of related) {
      const workload = this.byId.get(id);
      if (!workload) continue;
      const how = this.parents.get(node.id)?.includes(id) ? 'its controller' : 'runs as it';
      this.keyed(
        keyValues(workload.properties),
        'kubernetes',
        ` on ${describeWorkload(workload)} (${how})`,
        'medium',
        out,
      );
    }
    if (placement.cluster && placement.namespace) {
      const ns = this.byId.get(`k8s:${placement.cluster}:ns:${placement.namespace}`);
      if (ns)
        this.keyed(
          keyValues(ns.properties),
          'kubernetes',
          ` on namespace ${placement.namespace}`,
          'medium',
          out,
        );
    }
  }

  /**
   * A CI identity's repository: a GitHub Actions subject names it; an AWS role or GCP service
   * account that such subjects federate into or impersonate is the pipeline's identity, owned by
   * the repositories' owners.
   */
  private repository(node: InventoryNode, out: OwnerCandidate[]): void {
    const own = repositoryOfNode(node);
    if (own) {
      out.push(...this.repositoryOwners(own.repository, own.evidence, 'high'));
      return;
    }
    const repositories = new Map<string, string>();
    for (const from of this.federatedFrom.get(node.id) ?? []) {
      const subject = this.byId.get(from);
      const found = subject && repositoryOfNode(subject);
      if (found && !repositories.has(found.repository)) repositories.set(found.repository, found.evidence);
    }
    for (const [repository, evidence] of [...repositories].sort(([a], [b]) => (a < b ? -1 : 1)))
      out.push(...this.repositoryOwners(repository, `${evidence}, which can act as it`, 'medium'));
  }

  /**
   * The creator from the activity logs: the identity whose logged call created this identity, or a
   * credential it holds (a key's creator has set up its use). A person who created it is a candidate
   * (medium confidence: creators move on, and an administrator creates for others); a non-human
   * creator (a pipeline's role, a provisioning service account) stands for its own owner, found by
   * the sources naming that identity itself (low confidence). A provider or account-root creator
   * names no team. Every creation is a candidate, oldest first, with its event.
   */
  private creator(node: InventoryNode, out: OwnerCandidate[]): void {
    const creators = this.sources.creators;
    if (!creators || creators.size === 0) return;
    const records: { record: CreatorRecord; what: string; cap: OwnerConfidence }[] = [];
    for (const record of creators.get(node.id) ?? [])
      records.push({ record, what: 'created it', cap: 'medium' });
    for (const credential of (this.credentials.get(node.id) ?? []).sort())
      for (const record of creators.get(credential) ?? [])
        records.push({ record, what: `created its credential ${credential}`, cap: 'low' });
    for (const { record, what, cap } of records) {
      const evidence = `${record.creator} ${what} (${record.action}, event ${record.eventId} at ${record.time}, ${record.source} log)`;
      if (record.creator === node.id) continue;
      // The real actor behind a role session or an impersonation, when the log names a person.
      const actor = record.origin?.split(' > ')[0];
      const actorPerson = actor ? personOf(actor, this.byId.get(actor)) : undefined;
      if (actorPerson) {
        out.push(
          this.owner(actorPerson, 'creator', `${evidence}, acting for ${actor}`, atMost('medium', cap)),
        );
        continue;
      }
      const creator = this.byId.get(record.creator);
      if (creator && NOT_OWNED.has(creator.kind)) continue;
      if (creator?.properties.nonHuman === true) {
        if (this.resolving.has(record.creator)) continue;
        this.resolving.add(record.creator);
        try {
          const found = this.candidates(creator).find((c) => c.step !== 'inherited');
          if (found)
            out.push({
              ...found,
              step: 'creator',
              source: `${evidence}; its owner from ${found.source}`,
              confidence: 'low',
            });
        } finally {
          this.resolving.delete(record.creator);
        }
        continue;
      }
      const person = personOf(record.creator, creator);
      if (person) out.push(this.owner(person, 'creator', evidence, atMost('medium', cap)));
    }
  }

  private repositoryOwners(repository: string, evidence: string, cap: OwnerConfidence): OwnerCandidate[] {
    const key = `${repository}\n${evidence}\n${cap}`;
    const cached = this.repositoryCache.get(key);
    if (cached) return cached;
    const found: OwnerCandidate[] = [];
    const file = this.sources.file;
    const mapped = file?.owners.repositories[repository];
    if (file && mapped)
      found.push(
        this.owner(
          mapped,
          'repository',
          `repository ${repository} (${evidence}): owners file ${file.name} repositories`,
          cap,
        ),
      );
    const codeowners = this.sources.codeowners?.get(repository);
    const rule = codeowners && repositoryOwners(codeowners.codeowners);
    if (codeowners && rule)
      for (const owner of rule.owners)
        found.push(
          this.owner(
            owner,
            'repository',
            `repository ${repository} (${evidence}): ${codeowners.name} line ${rule.line} (${rule.pattern} ${rule.owners.join(' ')})`,
            atMost('medium', cap),
          ),
        );
    this.repositoryCache.set(key, found);
    return found;
  }
}

/**
 * The person a human creator is, by the name people know them by: a Google account's email
 * (`gcp:user:EMAIL`), else the graph's name of the node, else the last segment of an IAM user's ARN,
 * a federated subject or a Kubernetes user name. Roles, service accounts and other machine
 * identities the graph does not hold are no person.
 */
function personOf(id: string, node: InventoryNode | undefined): string | undefined {
  const name = personName(id, node);
  return name && !name.startsWith('system:') ? name : undefined;
}

function personName(id: string, node: InventoryNode | undefined): string | undefined {
  if (id.startsWith('gcp:user:')) return id.slice('gcp:user:'.length);
  if (node?.properties.nonHuman === true) return undefined;
  // An AWS source identity is the name the caller set, conventionally the person's user name or email.
  if (/^[^@\s:]+@[^@\s:]+$/.test(id)) return id;
  if (node && typeof node.properties.name === 'string') return node.properties.name;
  const user = /^arn:[^:]+:iam::\d{12}:user\/(?:.*\/)?([^/]+)$/.exec(id);
  if (user) return user[1];
  const federated = /^external:[^:]+(?::[^:]+)*:([^:]+)$/.exec(id);
  if (federated && id.includes(':saml-provider/')) return federated[1];
  const k8sUser = /^k8s:[^:]+:user:(.+)$/.exec(id);
  if (k8sUser && !k8sUser[1]?.startsWith('system:')) return k8sUser[1];
  return undefined;
}

interface IndexedRule {
  rule: OwnerRule;
  /** Its position in the file, for evidence and ties. */
  index: number;
}

/** The one scope a scope rule names, as a lookup key; undefined when it names several. */
function scopeKeyOfRule(rule: OwnerRule): string | undefined {
  const named = [
    rule.account !== undefined ? `account:${rule.account}` : undefined,
    rule.project !== undefined ? `project:${rule.project}` : undefined,
    rule.cluster !== undefined ? `cluster:${rule.cluster}` : undefined,
    rule.namespace !== undefined
      ? `namespace:${rule.namespace.includes('/') ? rule.namespace : `*/${rule.namespace}`}`
      : undefined,
  ].filter((key) => key !== undefined);
  return named.length === 1 ? named[0] : undefined;
}

/** The lookup keys of the scopes a node sits in (as scopeKeyOfRule writes them). */
function scopeKeysOf(placement: Placement): string[] {
  const keys: string[] = [];
  if (placement.account) keys.push(`account:${placement.account}`);
  if (placement.project) keys.push(`project:${placement.project}`);
  if (placement.cluster) keys.push(`cluster:${placement.cluster}`);
  if (placement.namespace) {
    keys.push(`namespace:*/${placement.namespace}`);
    if (placement.cluster) keys.push(`namespace:${placement.cluster}/${placement.namespace}`);
  }
  return keys;
}

function describeWorkload(node: InventoryNode): string {
  const kind = typeof node.properties.workloadKind === 'string' ? node.properties.workloadKind : 'pod';
  return `${kind.toLowerCase()} ${String(node.properties.namespace ?? '')}/${String(node.properties.name ?? node.id)}`;
}

/** The repository a GitHub Actions subject or a pool principal set naming one stands for. */
function repositoryOfNode(node: InventoryNode): { repository: string; evidence: string } | undefined {
  const p = node.properties;
  if (
    node.kind === 'OidcSubject' &&
    typeof p.subject === 'string' &&
    String(p.issuer ?? '').includes(GITHUB_ISSUER_HOST)
  ) {
    const repository = repositoryOfSubject(p.subject);
    return repository ? { repository, evidence: `GitHub OIDC subject ${p.subject}` } : undefined;
  }
  if (node.kind === 'GcpPrincipalSet' && typeof p.uri === 'string') {
    const repository = repositoryOfPrincipalSet(p.uri);
    return repository ? { repository, evidence: `workload identity principal set ${p.uri}` } : undefined;
  }
  return undefined;
}

function ruleMatches(
  rule: OwnerRule,
  node: InventoryNode,
  placement: Placement,
  own: readonly KeyValue[],
): boolean {
  if (rule.id !== undefined && !globMatch(rule.id, node.id)) return false;
  if (rule.account !== undefined && placement.account !== rule.account) return false;
  if (rule.project !== undefined && placement.project !== rule.project) return false;
  if (rule.cluster !== undefined && placement.cluster !== rule.cluster) return false;
  if (rule.namespace !== undefined) {
    if (placement.namespace === undefined) return false;
    const slash = rule.namespace.indexOf('/');
    const [cluster, namespace] =
      slash >= 0
        ? [rule.namespace.slice(0, slash), rule.namespace.slice(slash + 1)]
        : [undefined, rule.namespace];
    if (namespace !== placement.namespace || (cluster !== undefined && cluster !== placement.cluster))
      return false;
  }
  for (const [key, pattern] of Object.entries(rule.tag ?? {}))
    if (!own.some((kv) => kv.key.toLowerCase() === key.toLowerCase() && globMatch(pattern, kv.value)))
      return false;
  return true;
}
