import type { GcpDataKind, GcpDataResource } from '../../model/gcp/environment.js';
import { gcpIds } from '../../model/gcp/ids.js';
import type { NodeKind } from '../../model/node-kinds.js';
import type { AccessLevel } from '../../model/properties.js';
import type { PermissionSet, Target } from './authorizer.js';

/**
 * The data resources that get CAN_ACCESS edges, and how a permission on one counts: `permissions`
 * for `setIamPolicy` (granting access), `read` for the permissions that return the content (listed
 * per kind from each service's IAM permissions reference), `list` for the other `get`/`list`
 * permissions (metadata), `write` for the rest (create, update, delete, publish, encrypt…).
 */
interface DataKindSpec {
  label: NodeKind;
  /** The API host of its full resource name: the first label names the service in ids. */
  host: string;
  /** `resource.service` in IAM conditions, when it is not the host. */
  service?: string;
  /** `resource.type` in IAM conditions (https://cloud.google.com/iam/docs/conditions-resource-attributes). */
  type: string;
  /** Permission prefixes that act on this kind of resource. */
  prefixes: readonly string[];
  /** Permissions that read the content. */
  reads: readonly string[];
}

export const DATA_KINDS: Readonly<Record<GcpDataKind, DataKindSpec>> = {
  // https://cloud.google.com/storage/docs/access-control/iam-permissions
  bucket: {
    label: 'GcpStorageBucket',
    host: 'storage.googleapis.com',
    type: 'storage.googleapis.com/Bucket',
    prefixes: ['storage.objects.', 'storage.buckets.', 'storage.managedFolders.'],
    reads: ['storage.objects.get'],
  },
  // https://cloud.google.com/bigquery/docs/access-control#bigquery-permissions
  dataset: {
    label: 'GcpBigQueryDataset',
    host: 'bigquery.googleapis.com',
    type: 'bigquery.googleapis.com/Dataset',
    prefixes: ['bigquery.datasets.', 'bigquery.tables.', 'bigquery.routines.', 'bigquery.models.'],
    reads: ['bigquery.tables.getData', 'bigquery.tables.export', 'bigquery.models.export'],
  },
  // https://cloud.google.com/secret-manager/docs/access-control
  secret: {
    label: 'GcpSecret',
    host: 'secretmanager.googleapis.com',
    type: 'secretmanager.googleapis.com/Secret',
    prefixes: ['secretmanager.secrets.', 'secretmanager.versions.'],
    reads: ['secretmanager.versions.access'],
  },
  // https://cloud.google.com/kms/docs/reference/permissions-and-roles
  kmsKey: {
    label: 'GcpKmsKey',
    host: 'cloudkms.googleapis.com',
    type: 'cloudkms.googleapis.com/CryptoKey',
    prefixes: ['cloudkms.cryptoKeys.', 'cloudkms.cryptoKeyVersions.'],
    reads: [
      'cloudkms.cryptoKeyVersions.useToDecrypt',
      'cloudkms.cryptoKeyVersions.useToDecryptViaDelegation',
    ],
  },
  // https://cloud.google.com/pubsub/docs/access-control#permissions
  topic: {
    label: 'GcpPubSubTopic',
    host: 'pubsub.googleapis.com',
    type: 'pubsub.googleapis.com/Topic',
    prefixes: ['pubsub.topics.'],
    reads: ['pubsub.topics.attachSubscription'],
  },
  // https://cloud.google.com/sql/docs/mysql/iam-permissions: no per-instance IAM, project bindings
  // decide. The content reads are exporting the data (instance or backup) and opening a database
  // session (connect through the connectors, IAM database login, the Data API's executeSql): what a
  // session then reads is up to the database's own users, which are not collected.
  sqlInstance: {
    label: 'GcpSqlInstance',
    host: 'cloudsql.googleapis.com',
    service: 'sqladmin.googleapis.com',
    type: 'sqladmin.googleapis.com/Instance',
    prefixes: [
      'cloudsql.instances.',
      'cloudsql.databases.',
      'cloudsql.users.',
      'cloudsql.backupRuns.',
      'cloudsql.sslCerts.',
    ],
    reads: [
      'cloudsql.instances.export',
      'cloudsql.backupRuns.export',
      'cloudsql.instances.connect',
      'cloudsql.instances.login',
      'cloudsql.instances.executeSql',
    ],
  },
};

// `preCheck…` (Cloud SQL's upgrade check) reads configuration only.
const METADATA_VERBS = /^(get|list|getIamPolicy|testIamPermissions|preCheck)/;

/** Each kind's permissions' levels, as decided (a few hundred names, asked for every grant). */
const accessLevels = new Map<GcpDataKind, Map<string, AccessLevel>>();

export function accessLevel(kind: GcpDataKind, permission: string): AccessLevel {
  let levels = accessLevels.get(kind);
  if (!levels) {
    levels = new Map();
    accessLevels.set(kind, levels);
  }
  let level = levels.get(permission);
  if (!level) {
    level = levelOf(kind, permission);
    levels.set(permission, level);
  }
  return level;
}

function levelOf(kind: GcpDataKind, permission: string): AccessLevel {
  if (permission.endsWith('.setIamPolicy')) return 'permissions';
  if (DATA_KINDS[kind].reads.includes(permission)) return 'read';
  const verb = permission.slice(permission.lastIndexOf('.') + 1);
  return METADATA_VERBS.test(verb) ? 'list' : 'write';
}

const permissionSets = new Map<GcpDataKind, PermissionSet>();

export function dataPermissions(kind: GcpDataKind): PermissionSet {
  let set = permissionSets.get(kind);
  if (!set) {
    const prefixes = DATA_KINDS[kind].prefixes;
    set = { key: `data:${kind}`, has: (p) => prefixes.some((prefix) => p.startsWith(prefix)) };
    permissionSets.set(kind, set);
  }
  return set;
}

/** `//storage.googleapis.com/projects/_/buckets/b` → `projects/_/buckets/b`. */
export function relativeName(fullName: string): string {
  return fullName.replace(/^\/\/[^/]+\//, '');
}

export function dataResourceId(resource: GcpDataResource): string {
  const host = DATA_KINDS[resource.kind].host;
  return gcpIds.resource(host.split('.')[0] as string, relativeName(resource.fullName));
}

export function dataTarget(resource: GcpDataResource): Target {
  const spec = DATA_KINDS[resource.kind];
  return {
    container: resource.project,
    ...(resource.policy ? { own: { at: relativeName(resource.fullName), policy: resource.policy } } : {}),
    facts: { name: relativeName(resource.fullName), type: spec.type, service: spec.service ?? spec.host },
  };
}
