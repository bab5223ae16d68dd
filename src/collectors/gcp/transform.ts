import type { CollectionIssue } from '../../model/collection-issue.js';
import type {
  GcpAllowPolicy,
  GcpBinding,
  GcpCondition,
  GcpContainer,
  GcpDataKind,
  GcpDataResource,
  GcpDenyPolicy,
  GcpDenyRule,
  GcpEnvironment,
  GcpGroupMembership,
  GcpServiceAccount,
  GcpServiceAccountKey,
  GcpWorkloadIdentityPool,
  GcpWorkloadIdentityProvider,
} from '../../model/gcp/environment.js';
import { gcpScope } from '../../model/gcp/ids.js';
import { type GcpRole, type PredefinedRoles, rolesOfDocument } from '../../model/gcp/roles.js';
import { describe, isObj, type Obj, quoted } from '../aws/documents.js';
import { GROUP_UNREADABLE_KEY } from './layout.js';
import type { GcpRaw, GcpRawLevel, RawDocument } from './raw.js';

/**
 * The pure transform: raw documents (a snapshot's files, or any other source of the same shapes) →
 * the GCP environment. Unknown fields are ignored; a document or object of the wrong shape is an
 * error issue naming the file, the object and the problem, and only that object is left out (its
 * scope is then incomplete, so its previously loaded data is kept).
 */

/** The scope an issue concerns, when it names one (`gcp:<project id>`, `gcp:folders/<n>`…). */
export function gcpIssueScope(issue: CollectionIssue): string | undefined {
  return /^gcp:[^\s]+/.exec(issue.object ?? '')?.[0];
}

class Bad extends Error {}

function fail(message: string): never {
  throw new Bad(message);
}

function field(o: Obj, key: string): string {
  const value = o[key];
  if (typeof value !== 'string' || value === '') fail(`"${key}" is ${describe(value)}, expected a string`);
  return value;
}

function optField(o: Obj, key: string): string | undefined {
  const value = o[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') fail(`"${key}" is ${describe(value)}, expected a string`);
  return value;
}

function strings(o: Obj, key: string): string[] {
  const value = o[key] ?? [];
  if (!Array.isArray(value) || value.some((v) => typeof v !== 'string'))
    fail(`"${key}" is ${describe(value)}, expected a list of strings`);
  return value as string[];
}

function labels(o: Obj): Record<string, string> {
  const value = o.labels ?? {};
  if (!isObj(value) || Object.values(value).some((v) => typeof v !== 'string'))
    fail(`"labels" is ${describe(value)}, expected an object of strings`);
  return value as Record<string, string>;
}

/** Where a list's item was read: its own record when the list was assembled from several. */
function itemSource(document: RawDocument, index: number): string {
  return document.sources?.[index] ?? document.source;
}

function list(document: RawDocument): unknown[] {
  if (!Array.isArray(document.value))
    fail(
      `${document.source}: is ${describe(document.value)}, expected a JSON array (gcloud … --format=json)`,
    );
  return document.value;
}

function condition(value: unknown, key: string): GcpCondition | undefined {
  if (value === undefined || value === null) return undefined;
  if (!isObj(value)) fail(`"${key}" is ${describe(value)}, expected an object with "expression"`);
  const expression = field(value, 'expression');
  const title = optField(value, 'title');
  const description = optField(value, 'description');
  return { expression, ...(title ? { title } : {}), ...(description ? { description } : {}) };
}

export interface GcpTransformOptions {
  /** The predefined roles shipped with reachgraph (read on first use). */
  dataset: PredefinedRoles;
}

export function transformGcp(raw: GcpRaw, options: GcpTransformOptions): GcpEnvironment {
  const issues: CollectionIssue[] = [...raw.issues];
  const containers = new Map<string, GcpContainer>();
  const serviceAccounts: GcpServiceAccount[] = [];
  const pools: GcpWorkloadIdentityPool[] = [];
  const resources: GcpDataResource[] = [];
  const custom = new Map<string, GcpRole>();
  const collected = new Map<string, GcpRole>();
  const error = (source: string, object: string | undefined, message: string) =>
    issues.push({ severity: 'error', source, ...(object ? { object } : {}), message });
  /** Runs `read`, turning a shape problem into an issue naming the file and object. */
  const guard = <T>(source: string, object: string | undefined, read: () => T): T | undefined => {
    try {
      return read();
    } catch (e) {
      if (!(e instanceof Bad)) throw e;
      error(source, object, e.message);
      return undefined;
    }
  };

  if (raw.roles) {
    const document = raw.roles;
    const roles = guard(document.source, undefined, () => {
      try {
        return rolesOfDocument(document.value, document.source, false);
      } catch (e) {
        return fail((e as Error).message);
      }
    });
    for (const role of roles ?? []) if (role.permissions.length > 0) collected.set(role.name, role);
  }

  for (const level of raw.levels) {
    const describeDoc = level.files.describe;
    if (!describeDoc) {
      error(
        `${level.kind} ${level.id}`,
        levelScope(level),
        'describe.json is missing: the level cannot be named',
      );
      continue;
    }
    const container = guard(describeDoc.source, levelScope(level), () => containerOf(level, describeDoc));
    if (!container) continue;
    const scope = gcpScope(container.name);
    const policyDoc = level.files.iamPolicy;
    const policy = policyDoc ? allowPolicy(policyDoc, scope, guard) : undefined;
    const denyDoc = level.files.denyPolicies;
    const denyPolicies = denyDoc ? denyPoliciesOf(denyDoc, scope, guard) : [];
    const full: GcpContainer = { ...container, ...(policy ? { policy } : {}), denyPolicies };
    containers.set(container.name, full);

    const rolesDoc = level.files.customRoles;
    if (rolesDoc)
      for (const [index, entry] of (guard(rolesDoc.source, scope, () => list(rolesDoc)) ?? []).entries()) {
        const role = guard(itemSource(rolesDoc, index), `${scope} [${index}]`, () => {
          try {
            return rolesOfDocument(entry, itemSource(rolesDoc, index), true)[0];
          } catch (e) {
            return fail((e as Error).message);
          }
        });
        if (role) custom.set(role.name, role);
      }
    if (level.kind !== 'project') continue;
    serviceAccounts.push(...serviceAccountsOf(level, container.name, scope, guard));
    pools.push(...poolsOf(level, container.name, scope, guard));
    resources.push(...dataResourcesOf(level, full, scope, guard));
  }
  const groups = raw.groups ? groupsOf(raw.groups, guard, issues) : undefined;
  return {
    containers,
    ...(groups ? { groups } : {}),
    serviceAccounts,
    pools,
    resources,
    roles: { collected, custom, dataset: options.dataset },
    issues,
  };
}

const MEMBER_TYPES: Record<string, string> = {
  USER: 'user',
  SERVICE_ACCOUNT: 'serviceAccount',
  GROUP: 'group',
};

/**
 * Group membership listings (https://cloud.google.com/identity/docs/reference/rest/v1/groups.memberships):
 * `memberships list` entries carry `preferredMemberKey: {id}` and `type`; `search-transitive-memberships`
 * entries carry `preferredMemberKey: [{id}]`, `member` (`users/…`, `groups/…`) and `relationType`, and
 * list every member, nested groups flattened. A member of another type (a customer, a shared drive) is
 * reported, and leaves the group's membership incomplete.
 */
function groupsOf(
  documents: Record<string, RawDocument>,
  guard: Guard,
  issues: CollectionIssue[],
): Map<string, GcpGroupMembership> {
  const groups = new Map<string, GcpGroupMembership>();
  for (const [file, document] of Object.entries(documents)) {
    const email = file.toLowerCase();
    const object = `group ${email}`;
    const membership = guard(document.source, object, () => {
      if (!/^[^@\s]+@[^@\s]+$/.test(email))
        fail(`"${file}" is not a group email (the file is <group email>.json)`);
      // The snapshot script's marker for a group whose members it was refused (GROUP_UNREADABLE_KEY).
      if (isObj(document.value) && GROUP_UNREADABLE_KEY in document.value) {
        const reason = document.value[GROUP_UNREADABLE_KEY];
        const unreadable = typeof reason === 'string' && reason.trim() ? reason.trim() : 'not readable';
        issues.push({
          severity: 'warning',
          source: document.source,
          object,
          message: `the members of group ${email} could not be read (${unreadable}): who else is in it is unknown`,
        });
        return {
          email,
          source: document.source,
          members: [],
          transitive: false,
          complete: false,
          unreadable,
        } satisfies GcpGroupMembership;
      }
      const value =
        isObj(document.value) && Array.isArray(document.value.memberships)
          ? document.value.memberships
          : list(document);
      const members: string[] = [];
      let transitive = false;
      let complete = true;
      for (const [index, entry] of value.entries()) {
        if (!isObj(entry)) fail(`[${index}] is ${describe(entry)}, expected a membership`);
        const key = Array.isArray(entry.preferredMemberKey)
          ? entry.preferredMemberKey[0]
          : entry.preferredMemberKey;
        const id = isObj(key) && typeof key.id === 'string' ? key.id.toLowerCase() : undefined;
        if (entry.relationType !== undefined) transitive = true;
        const resource = typeof entry.member === 'string' ? entry.member : '';
        const type =
          typeof entry.type === 'string'
            ? MEMBER_TYPES[entry.type]
            : resource.startsWith('groups/')
              ? 'group'
              : resource.startsWith('users/') || resource === ''
                ? id?.endsWith('.gserviceaccount.com')
                  ? 'serviceAccount'
                  : 'user'
                : undefined;
        if (!id || !type || !/^[^@\s]+@[^@\s]+$/.test(id)) {
          complete = false;
          issues.push({
            severity: 'info',
            source: document.source,
            object: `${object} [${index}]`,
            message: `member ${id ?? resource ?? '?'} (${String(entry.type ?? resource ?? 'no type')}) is not a user, service account or group: the group's other members are not known for sure`,
          });
          continue;
        }
        members.push(`${type}:${id}`);
      }
      return { email, source: document.source, members, transitive, complete } satisfies GcpGroupMembership;
    });
    if (membership) groups.set(email, membership);
  }
  return groups;
}

type Guard = <T>(source: string, object: string | undefined, read: () => T) => T | undefined;

function levelScope(level: GcpRawLevel): string | undefined {
  if (level.kind === 'folder') return gcpScope(`folders/${level.id}`);
  if (level.kind === 'project') return gcpScope(`projects/${level.id}`);
  return undefined;
}

/** The describe output of an organization, folder or project (Resource Manager v1 or v3 fields). */
function containerOf(level: GcpRawLevel, document: RawDocument): Omit<GcpContainer, 'denyPolicies'> {
  const o = document.value;
  if (!isObj(o)) fail(`is ${describe(o)}, expected the object \`gcloud … describe --format=json\` prints`);
  const displayName = optField(o, 'displayName');
  const base = { ...(displayName ? { displayName } : {}), labels: labels(o) };
  if (level.kind === 'organization') {
    const name = field(o, 'name');
    if (!/^organizations\/\d+$/.test(name)) fail(`"name" ${quoted(name)} is not organizations/<number>`);
    return { kind: 'organization', name, ...base };
  }
  if (level.kind === 'folder') {
    const name = field(o, 'name');
    if (name !== `folders/${level.id}`)
      fail(`"name" ${quoted(name)} is not folders/${level.id}, the folder it was read from`);
    return { kind: 'folder', name, parent: parentOf(o), ...base };
  }
  const projectId = field(o, 'projectId');
  if (projectId !== level.id)
    fail(`"projectId" ${quoted(projectId)} is not ${level.id}, the folder it was read from`);
  const projectNumber =
    optField(o, 'projectNumber') ?? /^projects\/(\d+)$/.exec(optField(o, 'name') ?? '')?.[1];
  const parent = o.parent === undefined ? undefined : parentOf(o);
  return {
    kind: 'project',
    name: `projects/${projectId}`,
    ...(projectNumber ? { projectNumber } : {}),
    ...(parent ? { parent } : {}),
    ...base,
  };
}

/** `parent` as v3 writes it (`folders/1`) or v1 (`{type: "folder", id: "1"}`). */
function parentOf(o: Obj): string {
  const parent = o.parent;
  if (typeof parent === 'string' && /^(organizations|folders)\/\d+$/.test(parent)) return parent;
  if (
    isObj(parent) &&
    (parent.type === 'organization' || parent.type === 'folder') &&
    typeof parent.id === 'string'
  )
    return `${parent.type}s/${parent.id}`;
  return fail(`"parent" is ${describe(parent)}, expected organizations/<n>, folders/<n> or {type, id}`);
}

function allowPolicy(document: RawDocument, scope: string, guard: Guard): GcpAllowPolicy | undefined {
  const o = document.value;
  if (!isObj(o)) {
    guard(document.source, scope, () => fail(`is ${describe(o)}, expected an IAM policy object`));
    return undefined;
  }
  const raw = o.bindings ?? [];
  if (!Array.isArray(raw)) {
    guard(document.source, scope, () => fail(`"bindings" is ${describe(raw)}, expected a list`));
    return undefined;
  }
  const bindings: GcpBinding[] = [];
  for (const [index, entry] of raw.entries()) {
    const binding = guard(document.source, `${scope} bindings[${index}]`, () => {
      if (!isObj(entry)) fail(`is ${describe(entry)}, expected {role, members}`);
      const role = field(entry, 'role');
      const members = strings(entry, 'members');
      const cond = condition(entry.condition, 'condition');
      return { role, members, ...(cond ? { condition: cond } : {}) };
    });
    if (binding) bindings.push(binding);
  }
  return { source: document.source, bindings };
}

function denyPoliciesOf(document: RawDocument, scope: string, guard: Guard): GcpDenyPolicy[] {
  const policies: GcpDenyPolicy[] = [];
  for (const [index, entry] of (guard(document.source, scope, () => list(document)) ?? []).entries()) {
    const policy = guard(document.source, `${scope} [${index}]`, () => {
      if (!isObj(entry)) fail(`is ${describe(entry)}, expected a deny policy`);
      const name = field(entry, 'name');
      const displayName = optField(entry, 'displayName');
      const rules = entry.rules ?? [];
      if (!Array.isArray(rules)) fail(`"rules" is ${describe(rules)}, expected a list`);
      return {
        name,
        ...(displayName ? { displayName } : {}),
        source: document.source,
        rules: rules.map((rule, r): GcpDenyRule => {
          const deny = isObj(rule) ? rule.denyRule : undefined;
          if (!isObj(deny)) fail(`rules[${r}]: "denyRule" is ${describe(deny)}, expected an object`);
          const denialCondition = condition(deny.denialCondition, `rules[${r}].denyRule.denialCondition`);
          return {
            deniedPrincipals: strings(deny, 'deniedPrincipals'),
            exceptionPrincipals: strings(deny, 'exceptionPrincipals'),
            deniedPermissions: strings(deny, 'deniedPermissions'),
            exceptionPermissions: strings(deny, 'exceptionPermissions'),
            ...(denialCondition ? { denialCondition } : {}),
          };
        }),
      };
    });
    if (policy) policies.push(policy);
  }
  return policies;
}

function serviceAccountsOf(
  level: GcpRawLevel,
  project: string,
  scope: string,
  guard: Guard,
): GcpServiceAccount[] {
  const document = level.files.serviceAccounts;
  if (!document) return [];
  const keys = level.resources.serviceAccountKeys ?? {};
  const policies = level.resources.serviceAccountPolicies ?? {};
  const lastAuthentication = level.files.keyActivity
    ? keyActivityOf(level.files.keyActivity, scope, guard)
    : new Map<string, string>();
  const accounts: GcpServiceAccount[] = [];
  for (const [index, entry] of (guard(document.source, scope, () => list(document)) ?? []).entries()) {
    const account = guard(itemSource(document, index), `${scope} [${index}]`, () => {
      if (!isObj(entry)) fail(`is ${describe(entry)}, expected a service account`);
      const email = field(entry, 'email');
      if (!/^[^@\s]+@[^@\s]+$/.test(email)) fail(`"email" ${quoted(email)} is not an email address`);
      const displayName = optField(entry, 'displayName');
      const uniqueId = optField(entry, 'uniqueId');
      return {
        email,
        project,
        ...(displayName ? { displayName } : {}),
        ...(uniqueId ? { uniqueId } : {}),
        disabled: entry.disabled === true,
        keys: [] as GcpServiceAccountKey[],
      } satisfies GcpServiceAccount;
    });
    if (!account) continue;
    const keyDoc = keys[account.email];
    if (keyDoc)
      account.keys = keysOf(keyDoc, `${scope} ${account.email}`, guard).map((key) => {
        const last = lastAuthentication.get(key.id);
        return last ? { ...key, lastAuthenticatedTime: last } : key;
      });
    const policyDoc = policies[account.email];
    const policy = policyDoc ? allowPolicy(policyDoc, `${scope} ${account.email}`, guard) : undefined;
    accounts.push(policy ? { ...account, policy } : account);
  }
  return accounts;
}

/**
 * Key id → when the key last authenticated, from Policy Analyzer's `serviceAccountKeyLastAuthentication`
 * activities (https://cloud.google.com/policy-intelligence/docs/activity-analyzer-service-account-authentication):
 * each names its key by `fullResourceName` (`//iam.googleapis.com/projects/P/serviceAccounts/SA/keys/ID`)
 * and carries `activity.lastAuthenticatedTime`. An activity of another shape is an issue naming it.
 */
function keyActivityOf(document: RawDocument, object: string, guard: Guard): Map<string, string> {
  const last = new Map<string, string>();
  for (const [index, entry] of (guard(document.source, object, () => list(document)) ?? []).entries())
    guard(itemSource(document, index), `${object} activities[${index}]`, () => {
      if (!isObj(entry)) fail(`is ${describe(entry)}, expected an activity`);
      const name = field(entry, 'fullResourceName');
      const id =
        /\/serviceAccounts\/[^/]+\/keys\/([A-Za-z0-9]+)$/.exec(name)?.[1] ??
        fail(`"fullResourceName" ${quoted(name)} does not name a service-account key`);
      const activity = isObj(entry.activity) ? entry.activity : fail('has no "activity"');
      const time = field(activity, 'lastAuthenticatedTime');
      if (Number.isNaN(Date.parse(time))) fail(`"lastAuthenticatedTime" ${quoted(time)} is not a time`);
      last.set(id, time);
    });
  return last;
}

/** Key metadata only: `privateKeyData` (present only in a create response) is never read. */
function keysOf(document: RawDocument, object: string, guard: Guard): GcpServiceAccountKey[] {
  const keys: GcpServiceAccountKey[] = [];
  for (const [index, entry] of (guard(document.source, object, () => list(document)) ?? []).entries()) {
    const key = guard(itemSource(document, index), `${object} keys[${index}]`, () => {
      if (!isObj(entry)) fail(`is ${describe(entry)}, expected a key`);
      const name = field(entry, 'name');
      const id =
        /\/keys\/([A-Za-z0-9]+)$/.exec(name)?.[1] ??
        fail(`"name" ${quoted(name)} does not end in /keys/<id>`);
      const validAfterTime = optField(entry, 'validAfterTime');
      const validBeforeTime = optField(entry, 'validBeforeTime');
      return {
        id,
        keyType: optField(entry, 'keyType') ?? 'USER_MANAGED',
        ...(validAfterTime ? { validAfterTime } : {}),
        ...(validBeforeTime ? { validBeforeTime } : {}),
        disabled: entry.disabled === true,
      };
    });
    if (key) keys.push(key);
  }
  return keys;
}

function poolsOf(
  level: GcpRawLevel,
  project: string,
  scope: string,
  guard: Guard,
): GcpWorkloadIdentityPool[] {
  const document = level.files.pools;
  if (!document) return [];
  const providerDocs = level.resources.poolProviders ?? {};
  const pools: GcpWorkloadIdentityPool[] = [];
  for (const [index, entry] of (guard(document.source, scope, () => list(document)) ?? []).entries()) {
    const pool = guard(itemSource(document, index), `${scope} [${index}]`, () => {
      if (!isObj(entry)) fail(`is ${describe(entry)}, expected a workload identity pool`);
      const name = field(entry, 'name');
      if (!/^projects\/\d+\/locations\/[a-z0-9-]+\/workloadIdentityPools\/[^/\s]+$/.test(name))
        fail(
          `"name" ${quoted(name)} is not projects/<number>/locations/<location>/workloadIdentityPools/<pool>`,
        );
      const displayName = optField(entry, 'displayName');
      return {
        name,
        project,
        ...(displayName ? { displayName } : {}),
        disabled: entry.disabled === true || entry.state === 'DELETED',
        providers: [] as GcpWorkloadIdentityProvider[],
      } satisfies GcpWorkloadIdentityPool;
    });
    if (!pool) continue;
    const poolId = pool.name.slice(pool.name.lastIndexOf('/') + 1);
    const providersDoc = providerDocs[poolId];
    if (providersDoc) pool.providers = providersOf(providersDoc, pool.name, `${scope} ${poolId}`, guard);
    pools.push(pool);
  }
  return pools;
}

function providersOf(
  document: RawDocument,
  pool: string,
  object: string,
  guard: Guard,
): GcpWorkloadIdentityProvider[] {
  const providers: GcpWorkloadIdentityProvider[] = [];
  for (const [index, entry] of (guard(document.source, object, () => list(document)) ?? []).entries()) {
    const provider = guard(itemSource(document, index), `${object} [${index}]`, () => {
      if (!isObj(entry)) fail(`is ${describe(entry)}, expected a workload identity pool provider`);
      const name = field(entry, 'name');
      if (!name.startsWith(`${pool}/providers/`)) fail(`"name" ${quoted(name)} is not a provider of ${pool}`);
      const mapping = entry.attributeMapping ?? {};
      if (!isObj(mapping) || Object.values(mapping).some((v) => typeof v !== 'string'))
        fail(`"attributeMapping" is ${describe(mapping)}, expected an object of CEL expressions`);
      const oidc = isObj(entry.oidc) ? entry.oidc : undefined;
      const aws = isObj(entry.aws) ? entry.aws : undefined;
      const issuer = oidc
        ? field(oidc, 'issuerUri')
        : aws
          ? `aws:${field(aws, 'accountId')}`
          : isObj(entry.saml)
            ? 'saml'
            : undefined;
      const displayName = optField(entry, 'displayName');
      const attributeCondition = optField(entry, 'attributeCondition');
      return {
        name,
        ...(displayName ? { displayName } : {}),
        disabled: entry.disabled === true || entry.state === 'DELETED',
        ...(issuer ? { issuer } : {}),
        protocol: oidc ? 'oidc' : aws ? 'aws' : isObj(entry.saml) ? 'saml' : 'unknown',
        attributeMapping: mapping as Record<string, string>,
        ...(attributeCondition ? { attributeCondition } : {}),
      } satisfies GcpWorkloadIdentityProvider;
    });
    if (provider) providers.push(provider);
  }
  return providers;
}

/**
 * How each data kind's list output names a resource: its short name (the key of its policy file)
 * and its full resource name (https://cloud.google.com/iam/docs/full-resource-names).
 */
const DATA_NAMES: Record<
  GcpDataKind,
  (o: Obj, project: GcpContainer) => { shortName: string; fullName: string }
> = {
  bucket: (o) => {
    const name = (optField(o, 'name') ?? field(o, 'id')).replace(/^gs:\/\//, '').replace(/\/$/, '');
    if (!/^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$/.test(name))
      fail(`bucket name ${quoted(name)} is not a bucket name`);
    return { shortName: name, fullName: `//storage.googleapis.com/projects/_/buckets/${name}` };
  },
  dataset: (o, project) => {
    const reference = isObj(o.datasetReference) ? o.datasetReference : fail('"datasetReference" is missing');
    const id = field(reference, 'datasetId');
    const projectId = field(reference, 'projectId');
    if (`projects/${projectId}` !== project.name)
      fail(`dataset ${id} belongs to project ${projectId}, not ${project.name}`);
    return { shortName: id, fullName: `//bigquery.googleapis.com/projects/${projectId}/datasets/${id}` };
  },
  secret: (o) => {
    const name = field(o, 'name');
    const match =
      /^projects\/([^/]+)\/secrets\/([^/]+)$/.exec(name) ??
      fail(`"name" ${quoted(name)} is not projects/<p>/secrets/<id>`);
    return { shortName: match[2] as string, fullName: `//secretmanager.googleapis.com/${name}` };
  },
  kmsKey: (o) => {
    const name = field(o, 'name');
    const match =
      /^projects\/[^/]+\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)$/.exec(name) ??
      fail(`"name" ${quoted(name)} is not projects/<p>/locations/<l>/keyRings/<r>/cryptoKeys/<k>`);
    return {
      shortName: `${match[1]}.${match[2]}.${match[3]}`,
      fullName: `//cloudkms.googleapis.com/${name}`,
    };
  },
  topic: (o) => {
    const name = field(o, 'name');
    const match =
      /^projects\/[^/]+\/topics\/([^/]+)$/.exec(name) ??
      fail(`"name" ${quoted(name)} is not projects/<p>/topics/<id>`);
    return { shortName: match[1] as string, fullName: `//pubsub.googleapis.com/${name}` };
  },
  // `gcloud sql instances list`: the instance id in `name`, its project in `project`; the full
  // resource name as Cloud Asset Inventory writes it (https://cloud.google.com/asset-inventory/docs/asset-names).
  sqlInstance: (o, project) => {
    const name = field(o, 'name');
    if (!/^[a-z][a-z0-9-]{0,97}$/.test(name)) fail(`"name" ${quoted(name)} is not a Cloud SQL instance id`);
    const projectId = optField(o, 'project') ?? project.name.slice('projects/'.length);
    if (`projects/${projectId}` !== project.name)
      fail(`instance ${name} belongs to project ${projectId}, not ${project.name}`);
    return { shortName: name, fullName: `//cloudsql.googleapis.com/projects/${projectId}/instances/${name}` };
  },
};

/** Where a kind's list output keeps its labels: `labels`, but Cloud SQL's are `settings.userLabels`. */
function dataLabels(kind: GcpDataKind, o: Obj): Record<string, string> {
  if (kind !== 'sqlInstance') return labels(o);
  return isObj(o.settings) ? labels({ labels: o.settings.userLabels }) : {};
}

function dataResourcesOf(
  level: GcpRawLevel,
  project: GcpContainer,
  scope: string,
  guard: Guard,
): GcpDataResource[] {
  const resources: GcpDataResource[] = [];
  for (const kind of Object.keys(DATA_NAMES) as GcpDataKind[]) {
    const document = level.files[kind];
    if (!document) continue;
    const policies = (kind === 'sqlInstance' ? undefined : level.resources[`${kind}Policies`]) ?? {};
    for (const [index, entry] of (guard(document.source, scope, () => list(document)) ?? []).entries()) {
      const resource = guard(itemSource(document, index), `${scope} [${index}]`, () => {
        if (!isObj(entry)) fail(`is ${describe(entry)}, expected a ${kind}`);
        return {
          kind,
          ...DATA_NAMES[kind](entry, project),
          project: project.name,
          labels: dataLabels(kind, entry),
        };
      });
      if (!resource) continue;
      const policyDoc = policies[resource.shortName];
      const policy = policyDoc ? allowPolicy(policyDoc, `${scope} ${resource.shortName}`, guard) : undefined;
      resources.push(policy ? { ...resource, policy } : resource);
    }
  }
  return resources;
}
