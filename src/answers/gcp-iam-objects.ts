import { DATA_KINDS } from '../analyzers/gcp-iam/data-resources.js';
import type {
  GcpAllowPolicy,
  GcpContainer,
  GcpContainerKind,
  GcpDataKind,
  GcpDataResource,
  GcpDenyPolicy,
  GcpEnvironment,
  GcpGroupMembership,
  GcpServiceAccount,
} from '../model/gcp/environment.js';
import type { GcpRole, PredefinedRoles } from '../model/gcp/roles.js';
import type { ValidInventory } from '../model/validate.js';
import { type GraphReader, storedJson } from './graph-reader.js';

/**
 * What the GCP authorization questions (answers/gcp-iam.ts) decide from, read back from what the
 * graph stores: the hierarchy with the allow and deny policies attached at each level, service
 * accounts and data resources with theirs, the roles the bindings use with their permissions, and the
 * group membership the graph knows (MEMBER_OF a GcpGroup, from whatever collected it). The same rows
 * come from Neo4j (`cypher/answers/gcp-iam-objects`) or from an inventory in memory (a snapshot), and
 * become the environment the one GCP authorizer reads, so the CLI, the API and a snapshot give the
 * same answer.
 */

const CONTAINER_KINDS: Record<string, GcpContainerKind> = {
  GcpOrganization: 'organization',
  GcpFolder: 'folder',
  GcpProject: 'project',
};
const DATA_KIND_OF = new Map<string, GcpDataKind>(
  Object.entries(DATA_KINDS).map(([kind, spec]) => [spec.label, kind as GcpDataKind]),
);
const MEMBER_KINDS = new Set(['GcpUser', 'GcpGroup', 'GcpServiceAccount']);
const KINDS = new Set([...Object.keys(CONTAINER_KINDS), ...DATA_KIND_OF.keys(), ...MEMBER_KINDS, 'GcpRole']);

/** One stored object: its kind, its properties, the container it is CHILD_OF and the groups it is MEMBER_OF (ids). */
export interface GcpObjectRow {
  kind: string;
  props: Record<string, unknown>;
  parent: string | null;
  groups: string[];
}

/** The environment the authorizer reads, group memberships included. */
export interface GcpIamObjects {
  environment: GcpEnvironment;
}

export function readGcpObjects(reader: GraphReader): Promise<GcpObjectRow[]> {
  return reader.query<GcpObjectRow>('answers/gcp-iam-objects', {});
}

/** The same rows from an inventory (what the loader would write). */
export function gcpObjectsOfInventory(valid: ValidInventory): GcpObjectRow[] {
  const rows = new Map<string, GcpObjectRow>();
  const groups = new Set<string>();
  for (const n of valid.nodes) {
    if (n.kind === 'GcpGroup') groups.add(n.id);
    if (KINDS.has(n.kind))
      rows.set(n.id, { kind: n.kind, props: { ...n.properties, id: n.id }, parent: null, groups: [] });
  }
  for (const r of valid.relationships) {
    const row = rows.get(r.from);
    if (!row) continue;
    if (r.type === 'CHILD_OF') row.parent = r.to;
    if (r.type === 'MEMBER_OF' && groups.has(r.to)) row.groups.push(r.to);
  }
  // Users and groups matter only as members of a group, and groups also for what is known of their
  // members, as the Cypher file selects them.
  return [...rows.values()].filter(
    (r) =>
      !(r.kind === 'GcpUser' || r.kind === 'GcpGroup') ||
      r.groups.length > 0 ||
      (r.kind === 'GcpGroup' && r.props.membership !== undefined),
  );
}

/** The environment the rows describe. */
export function gcpObjects(rows: readonly GcpObjectRow[]): GcpIamObjects {
  const containers = new Map<string, GcpContainer>();
  const serviceAccounts: GcpServiceAccount[] = [];
  const resources: GcpDataResource[] = [];
  const custom = new Map<string, GcpRole>();
  const predefined = new Map<string, GcpRole>();
  const direct = new Map<string, string[]>();
  const listed = new Map<string, Listing>();
  for (const { kind, props, parent, groups } of rows) {
    const id = String(props.id);
    const member = memberOfId(id);
    if (kind === 'GcpGroup' && typeof props.membership === 'string' && member)
      listed.set(member.slice('group:'.length).toLowerCase(), {
        state: props.membership,
        transitive: props.membershipTransitive === true,
      });
    if (member && groups.length > 0)
      direct.set(
        member,
        groups.map((g) => memberOfId(g) as string),
      );
    const policy = policyOf(props);
    const containerKind = CONTAINER_KINDS[kind];
    if (containerKind) {
      const name = id.slice('gcp:'.length);
      containers.set(name, {
        kind: containerKind,
        name,
        ...(parent ? { parent: parent.slice('gcp:'.length) } : {}),
        ...(typeof props.projectNumber === 'string' ? { projectNumber: props.projectNumber } : {}),
        labels: {},
        ...(policy ? { policy } : {}),
        denyPolicies: parsed<GcpDenyPolicy[]>(props, 'denyPolicies', []),
      });
      continue;
    }
    const dataKind = DATA_KIND_OF.get(kind);
    if (dataKind && typeof props.fullName === 'string' && typeof props.projectId === 'string') {
      resources.push({
        kind: dataKind,
        fullName: props.fullName,
        shortName: String(props.name),
        project: `projects/${props.projectId}`,
        labels: {},
        ...(policy ? { policy } : {}),
      });
      continue;
    }
    // An account only a binding names (no project collected) is a member, not a resource asked about.
    if (kind === 'GcpServiceAccount' && typeof props.projectId === 'string')
      serviceAccounts.push({
        email: String(props.email),
        project: `projects/${props.projectId}`,
        disabled: props.disabled === true,
        keys: [],
        ...(policy ? { policy } : {}),
      });
    if (kind === 'GcpRole') {
      const name = id.slice('gcp:role:'.length);
      const role: GcpRole = {
        name,
        permissions: Array.isArray(props.permissions) ? props.permissions.map(String) : [],
        custom: props.custom === true,
        ...(props.deleted === true ? { deleted: true } : {}),
        source: id,
      };
      (role.custom ? custom : predefined).set(name, role);
    }
  }
  return {
    environment: {
      containers,
      serviceAccounts,
      pools: [],
      resources,
      roles: { collected: predefined, custom, dataset: STORED_ONLY },
      issues: [],
      groups: groupsOf(direct, listed),
    },
  };
}

/** Only the roles stored with the policies: one the bindings use that is not stored was unknown to the analysis too. */
const STORED_ONLY: PredefinedRoles = {
  source: 'the roles stored with the policies',
  date: 'stored',
  size: 0,
  role: () => undefined,
  names: () => [],
};

/** `gcp:user:a@x` → `user:a@x`, as a binding names it; other ids are no group members here. */
function memberOfId(id: string): string | undefined {
  const match = /^gcp:(user|group|sa):(.+)$/.exec(id);
  if (!match) return undefined;
  return `${match[1] === 'sa' ? 'serviceAccount' : match[1]}:${match[2]}`;
}

/** What a GcpGroup node says of its collected listing (providers/gcp/inventory.ts). */
interface Listing {
  state: string;
  transitive: boolean;
}

/**
 * The stored MEMBER_OF pairs (member → its groups) as the collected memberships they were written
 * from: the authorizer follows nested groups itself (analyzers/gcp-iam/principals.ts
 * `GroupMemberships`), as in the analysis. Only a group the graph says was listed in full is complete:
 * one listed in part, refused, or only reached by MEMBER_OF edges with no listing behind them (loaded
 * by another rule) may have other members, so a deny rule naming it stays undecided for the rest.
 */
function groupsOf(
  direct: ReadonlyMap<string, readonly string[]>,
  listed: ReadonlyMap<string, Listing>,
): Map<string, GcpGroupMembership> {
  const groups = new Map<string, GcpGroupMembership>();
  const membership = (email: string, members: string[]): GcpGroupMembership => {
    const listing = listed.get(email);
    return {
      email,
      source: 'MEMBER_OF',
      members,
      transitive: listing?.transitive === true,
      complete: listing?.state === 'complete',
      ...(listing?.state === 'unreadable' ? { unreadable: 'not readable when collected' } : {}),
    };
  };
  for (const email of listed.keys()) groups.set(email, membership(email, []));
  for (const [member, of] of direct)
    for (const group of of) {
      const email = normalMember(group).slice('group:'.length);
      const members = [...(groups.get(email)?.members ?? []), normalMember(member)];
      groups.set(email, membership(email, members));
    }
  return groups;
}

/** Emails are case-insensitive; ids are stored lower-case (model/gcp/ids.ts). */
export function normalMember(member: string): string {
  const colon = member.indexOf(':');
  return colon < 0 || member.includes('://')
    ? member
    : `${member.slice(0, colon)}:${member.slice(colon + 1).toLowerCase()}`;
}

function policyOf(props: Record<string, unknown>): GcpAllowPolicy | undefined {
  const policy = parsed<GcpAllowPolicy | undefined>(props, 'iamPolicy', undefined);
  return policy ? { source: String(policy.source), bindings: policy.bindings ?? [] } : undefined;
}

/** A JSON property the inventory wrote (providers/gcp/inventory.ts). */
function parsed<T>(props: Record<string, unknown>, key: string, fallback: T): T {
  return storedJson(props, key, fallback, 'sync GCP again');
}
