import type { CollectionIssue } from '../collection-issue.js';
import type { GcpRole, PredefinedRoles } from './roles.js';

/**
 * The GCP model collector and analyzer both stand on: the resource hierarchy with the IAM allow and
 * deny policies attached at each level, service accounts with their keys (metadata only) and their
 * own IAM policies, workload identity pools, the classified data resources with theirs, and the
 * roles. Objects keep the API's field names where the analysis reads them, so that a `gcloud …
 * --format=json` document and a live response read the same.
 */

/** An IAM condition (https://cloud.google.com/iam/docs/conditions-overview). */
export interface GcpCondition {
  expression: string;
  title?: string;
  description?: string;
}

/** One binding of an allow policy: a role granted to members, maybe under a condition. */
export interface GcpBinding {
  role: string;
  members: readonly string[];
  condition?: GcpCondition;
}

/** An allow policy as `get-iam-policy` returns it, with where it was read. */
export interface GcpAllowPolicy {
  /** The file (snapshot) or API call (live) it was read from. */
  source: string;
  bindings: readonly GcpBinding[];
}

/** One rule of a deny policy (https://cloud.google.com/iam/docs/deny-overview). */
export interface GcpDenyRule {
  deniedPrincipals: readonly string[];
  exceptionPrincipals: readonly string[];
  /** In the v2 form as written (`iam.googleapis.com/roles.create`). */
  deniedPermissions: readonly string[];
  exceptionPermissions: readonly string[];
  denialCondition?: GcpCondition;
}

export interface GcpDenyPolicy {
  /** `policies/cloudresourcemanager.googleapis.com%2Fprojects%2Fp/denypolicies/name`. */
  name: string;
  displayName?: string;
  source: string;
  rules: readonly GcpDenyRule[];
}

export type GcpContainerKind = 'organization' | 'folder' | 'project';

/** An organization, folder or project: a node of the resource hierarchy. */
export interface GcpContainer {
  kind: GcpContainerKind;
  /** `organizations/123`, `folders/456`, `projects/my-project` (projects by id, not number). */
  name: string;
  displayName?: string;
  /** The parent's name, when it is known. */
  parent?: string;
  /** Projects: the project number. */
  projectNumber?: string;
  labels: Readonly<Record<string, string>>;
  policy?: GcpAllowPolicy;
  denyPolicies: readonly GcpDenyPolicy[];
}

export interface GcpServiceAccountKey {
  /** The key id (last segment of its name). */
  id: string;
  keyType: 'USER_MANAGED' | 'SYSTEM_MANAGED' | string;
  validAfterTime?: string;
  validBeforeTime?: string;
  disabled: boolean;
  /** When it last authenticated, from Policy Analyzer's activity analysis, when collected. */
  lastAuthenticatedTime?: string;
}

export interface GcpServiceAccount {
  email: string;
  /** The project that owns it (`projects/<id>`). */
  project: string;
  displayName?: string;
  uniqueId?: string;
  disabled: boolean;
  keys: readonly GcpServiceAccountKey[];
  /** Its own IAM policy: who may use or impersonate it. */
  policy?: GcpAllowPolicy;
}

export interface GcpWorkloadIdentityProvider {
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>/providers/<id>`. */
  name: string;
  displayName?: string;
  disabled: boolean;
  /** OIDC: the issuer URI; AWS: `aws:<account id>`; SAML: `saml`. */
  issuer?: string;
  protocol: 'oidc' | 'aws' | 'saml' | 'unknown';
  attributeMapping: Readonly<Record<string, string>>;
  attributeCondition?: string;
}

export interface GcpWorkloadIdentityPool {
  /** `projects/<number>/locations/global/workloadIdentityPools/<pool>`. */
  name: string;
  project: string;
  displayName?: string;
  disabled: boolean;
  providers: readonly GcpWorkloadIdentityProvider[];
}

/** The data resources classified and given CAN_ACCESS edges. */
export type GcpDataKind = 'bucket' | 'dataset' | 'secret' | 'kmsKey' | 'topic' | 'sqlInstance';

export interface GcpDataResource {
  kind: GcpDataKind;
  /** The full resource name, as IAM conditions see it (`//storage.googleapis.com/projects/_/buckets/b`). */
  fullName: string;
  /** The short name shown in answers. */
  shortName: string;
  project: string;
  labels: Readonly<Record<string, string>>;
  policy?: GcpAllowPolicy;
}

/** The roles the analysis expands: the snapshot's or the dataset's predefined ones, and the collected custom ones. */
export interface GcpRoles {
  /** Predefined roles from the snapshot's own `gcp/roles.json`, when present (it wins). */
  collected: ReadonlyMap<string, GcpRole>;
  custom: ReadonlyMap<string, GcpRole>;
  /** The dataset shipped with reachgraph, for predefined roles the snapshot does not describe. */
  dataset: PredefinedRoles;
}

/**
 * One Cloud Identity group's collected membership
 * (https://cloud.google.com/identity/docs/reference/rest/v1/groups.memberships): `gcloud identity
 * groups memberships list` (direct members) or `search-transitive-memberships` (every member,
 * nested groups flattened: `transitive`).
 */
export interface GcpGroupMembership {
  /** The group's email, lower-case. */
  email: string;
  /** The file (snapshot) or API call it was read from. */
  source: string;
  /** Members as IAM names them: `user:…`, `serviceAccount:…`, `group:…`. */
  members: readonly string[];
  /** The listing holds indirect members too (nested groups' members are among `members`). */
  transitive: boolean;
  /** False when a member could not be named (a Workspace customer, a shared drive…), or the listing could not be read: whether others are in it is then unknown. */
  complete: boolean;
  /** Why the members could not be read at all (permission denied, a group outside the customer): none are known. */
  unreadable?: string;
}

/**
 * What is known of a group's members: every one (`complete`), some (`partial`: a member could not be
 * named), or none (`unreadable`: the listing itself was refused). A group with no collected listing at
 * all has unknown members and no state.
 */
export const GROUP_MEMBERSHIP_STATES = ['complete', 'partial', 'unreadable'] as const;
export type GroupMembershipState = (typeof GROUP_MEMBERSHIP_STATES)[number];

export function groupMembershipState(group: GcpGroupMembership): GroupMembershipState {
  if (group.unreadable !== undefined) return 'unreadable';
  return group.complete ? 'complete' : 'partial';
}

export interface GcpEnvironment {
  /** Organizations, folders and projects by name. */
  containers: ReadonlyMap<string, GcpContainer>;
  /** Collected group memberships by group email (lower-case); a group not here has unknown members. */
  groups?: ReadonlyMap<string, GcpGroupMembership>;
  serviceAccounts: readonly GcpServiceAccount[];
  pools: readonly GcpWorkloadIdentityPool[];
  resources: readonly GcpDataResource[];
  roles: GcpRoles;
  issues: CollectionIssue[];
}
