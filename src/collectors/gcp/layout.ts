import type { GcpContainerKind, GcpDataKind } from '../../model/gcp/environment.js';

/**
 * The one list of what a GCP snapshot holds (docs/snapshots.md, scripts/snapshot-gcp.sh): per level of
 * the hierarchy, the files written by one `gcloud … --format=json` command each, and the folders of
 * per-resource output (`<folder>/<resource>.json`, one command per resource). The reader, the
 * transform and the snapshot script all follow this table.
 */

export const GCP_FOLDER = 'gcp';
/** `gcp/roles.json`: `gcloud iam roles list --format=json` with permissions (optional; wins over the dataset). */
export const PREDEFINED_ROLES_FILE = 'roles.json';

/**
 * `gcp/organization/groups/<group email>.json`: one group's members, `gcloud identity groups
 * memberships search-transitive-memberships --group-email=G --format=json` (every member, nested
 * groups flattened; Cloud Identity Premium / Workspace Enterprise) or, where that is not available,
 * `gcloud identity groups memberships list --group-email=G --format=json` (direct members; nested
 * groups are followed through their own files). Optional: without it a group's members are unknown.
 */
export const GROUPS_FOLDER = 'groups';
/**
 * A group whose members cannot be read (the listing was refused: the caller is not allowed to see
 * them, or the group belongs to another Cloud Identity customer) is written as
 * `{"unreadable": "<gcloud's error>"}`, so the snapshot says so rather than leaving the group out:
 * its members are then unknown, never taken as none.
 */
export const GROUP_UNREADABLE_KEY = 'unreadable';
export const GROUP_MEMBERSHIP_COMMANDS = {
  transitive:
    'gcloud identity groups memberships search-transitive-memberships --group-email=G --format=json',
  direct: 'gcloud identity groups memberships list --group-email=G --format=json',
} as const;

/** Where each level lives under `gcp/`: one organization, folders and projects by id. */
export const LEVEL_FOLDERS: Readonly<Record<GcpContainerKind, string>> = {
  organization: 'organization',
  folder: 'folders',
  project: 'projects',
};

export type LevelFile =
  | 'describe'
  | 'iamPolicy'
  | 'denyPolicies'
  | 'customRoles'
  | 'serviceAccounts'
  | 'pools'
  | 'keyActivity'
  | GcpDataKind;

export interface LevelFileSpec {
  key: LevelFile;
  file: string;
  levels: readonly GcpContainerKind[];
  /** The command that writes it (documentation; the script runs it). */
  command: string;
  required?: boolean;
}

export const LEVEL_FILES: readonly LevelFileSpec[] = [
  {
    key: 'describe',
    file: 'describe.json',
    levels: ['organization', 'folder', 'project'],
    command: 'gcloud organizations|resource-manager folders|projects describe ID --format=json',
    required: true,
  },
  {
    key: 'iamPolicy',
    file: 'iam-policy.json',
    levels: ['organization', 'folder', 'project'],
    command: 'gcloud organizations|resource-manager folders|projects get-iam-policy ID --format=json',
  },
  {
    key: 'denyPolicies',
    file: 'deny-policies.json',
    levels: ['organization', 'folder', 'project'],
    command:
      'gcloud iam policies get NAME --attachment-point=… --kind=denypolicies --format=json, for each policy listed, as one JSON array',
  },
  {
    key: 'customRoles',
    file: 'custom-roles.json',
    levels: ['organization', 'project'],
    command:
      'gcloud iam roles describe ROLE --organization|--project ID --format=json, for each role listed, as one JSON array',
  },
  {
    key: 'serviceAccounts',
    file: 'service-accounts.json',
    levels: ['project'],
    command: 'gcloud iam service-accounts list --project ID --format=json',
  },
  {
    key: 'pools',
    file: 'workload-identity-pools.json',
    levels: ['project'],
    command: 'gcloud iam workload-identity-pools list --location=global --project ID --format=json',
  },
  {
    // When each user-managed key last authenticated (Policy Analyzer's activity analysis,
    // https://cloud.google.com/policy-intelligence/docs/activity-analyzer-service-account-authentication):
    // optional, it needs the Policy Analyzer API; without it a key's last use is unknown.
    key: 'keyActivity',
    file: 'service-account-key-last-authentication.json',
    levels: ['project'],
    command:
      'gcloud policy-intelligence query-activity --activity-type=serviceAccountKeyLastAuthentication --project=ID --format=json',
  },
  {
    key: 'bucket',
    file: 'buckets.json',
    levels: ['project'],
    command: 'gcloud storage buckets list --project ID --format=json',
  },
  {
    key: 'dataset',
    file: 'bigquery-datasets.json',
    levels: ['project'],
    command: 'bq ls --project_id ID --format=json',
  },
  {
    key: 'secret',
    file: 'secrets.json',
    levels: ['project'],
    command: 'gcloud secrets list --project ID --format=json',
  },
  {
    key: 'kmsKey',
    file: 'kms-keys.json',
    levels: ['project'],
    command:
      "gcloud kms keys list --keyring RING --location LOC --project ID --format=json, every key ring's keys in one array",
  },
  {
    key: 'topic',
    file: 'pubsub-topics.json',
    levels: ['project'],
    command: 'gcloud pubsub topics list --project ID --format=json',
  },
  {
    // Cloud SQL has no per-instance IAM policy: project-level (and inherited) bindings decide
    // (https://cloud.google.com/sql/docs/mysql/iam-roles), so there is no policy folder for it.
    key: 'sqlInstance',
    file: 'sql-instances.json',
    levels: ['project'],
    command: 'gcloud sql instances list --project ID --format=json',
  },
];

export type ResourceFolder =
  | 'serviceAccountKeys'
  | 'serviceAccountPolicies'
  | 'poolProviders'
  | `${Exclude<GcpDataKind, 'sqlInstance'>}Policies`;

export interface ResourceFolderSpec {
  key: ResourceFolder;
  /** A project's subfolder; each file is `<resource>.json`. */
  folder: string;
  /** What `<resource>` is. */
  resource: string;
  command: string;
}

export const RESOURCE_FOLDERS: readonly ResourceFolderSpec[] = [
  {
    key: 'serviceAccountKeys',
    folder: 'service-account-keys',
    resource: 'the service account email',
    command: 'gcloud iam service-accounts keys list --iam-account EMAIL --format=json',
  },
  {
    key: 'serviceAccountPolicies',
    folder: 'service-account-iam-policies',
    resource: 'the service account email',
    command: 'gcloud iam service-accounts get-iam-policy EMAIL --format=json',
  },
  {
    key: 'poolProviders',
    folder: 'workload-identity-providers',
    resource: 'the pool id',
    command:
      'gcloud iam workload-identity-pools providers list --workload-identity-pool POOL --location=global --format=json',
  },
  {
    key: 'bucketPolicies',
    folder: 'bucket-iam-policies',
    resource: 'the bucket name',
    command: 'gcloud storage buckets get-iam-policy gs://BUCKET --format=json',
  },
  {
    key: 'datasetPolicies',
    folder: 'bigquery-dataset-iam-policies',
    resource: 'the dataset id',
    command: 'bq get-iam-policy --format=prettyjson ID:DATASET',
  },
  {
    key: 'secretPolicies',
    folder: 'secret-iam-policies',
    resource: 'the secret id',
    command: 'gcloud secrets get-iam-policy SECRET --project ID --format=json',
  },
  {
    key: 'kmsKeyPolicies',
    folder: 'kms-key-iam-policies',
    resource: '<location>.<key ring>.<key>',
    command: 'gcloud kms keys get-iam-policy KEY --keyring RING --location LOC --project ID --format=json',
  },
  {
    key: 'topicPolicies',
    folder: 'pubsub-topic-iam-policies',
    resource: 'the topic id',
    command: 'gcloud pubsub topics get-iam-policy TOPIC --project ID --format=json',
  },
];

/**
 * The second snapshot form: a Cloud Asset Inventory export under `gcp/cai/` (docs/gcp.md), every
 * regular file below it read as newline-delimited JSON, one asset a line, as `gcloud asset export
 * --content-type=resource|iam-policy` writes it (https://cloud.google.com/asset-inventory/docs/export-cloud-storage),
 * or one JSON array of assets as `gcloud asset list --format=json` prints it. CAI has no deny
 * policies: `deny-policies.json` may sit in the gcloud form's level folders beside it.
 */
export const CAI_FOLDER = 'cai';

/** What each asset type read from an export becomes (https://cloud.google.com/asset-inventory/docs/asset-types). */
export type CaiAssetKind =
  | GcpContainerKind
  | 'serviceAccount'
  | 'serviceAccountKey'
  | 'customRole'
  | 'pool'
  | 'poolProvider'
  | GcpDataKind;

export const CAI_ASSET_TYPES: Readonly<Record<string, CaiAssetKind>> = {
  'cloudresourcemanager.googleapis.com/Organization': 'organization',
  'cloudresourcemanager.googleapis.com/Folder': 'folder',
  'cloudresourcemanager.googleapis.com/Project': 'project',
  'iam.googleapis.com/ServiceAccount': 'serviceAccount',
  'iam.googleapis.com/ServiceAccountKey': 'serviceAccountKey',
  'iam.googleapis.com/Role': 'customRole',
  'iam.googleapis.com/WorkloadIdentityPool': 'pool',
  'iam.googleapis.com/WorkloadIdentityPoolProvider': 'poolProvider',
  'storage.googleapis.com/Bucket': 'bucket',
  'bigquery.googleapis.com/Dataset': 'dataset',
  'secretmanager.googleapis.com/Secret': 'secret',
  'cloudkms.googleapis.com/CryptoKey': 'kmsKey',
  'pubsub.googleapis.com/Topic': 'topic',
  'sqladmin.googleapis.com/Instance': 'sqlInstance',
};
