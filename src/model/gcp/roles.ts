import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../package-root.js';

/**
 * IAM roles: a role is a set of permissions, and a binding grants every permission of its role
 * (https://cloud.google.com/iam/docs/roles-overview). Predefined roles (`roles/…`, including the basic
 * roles `roles/owner`, `roles/editor`, `roles/viewer`) come from the dataset shipped with reachgraph
 * unless the snapshot carries its own `gcloud iam roles list` output with permissions; custom roles
 * (`organizations/<o>/roles/…`, `projects/<p>/roles/…`) always come from the collection.
 */

/** The dataset shipped in the package (docs/gcp.md says how to refresh it). */
export const ROLE_DATASET_FILE = 'data/gcp-iam-roles/roles.json';
const FORMAT = 'reachgraph-gcp-roles';

/** A role as the analysis uses it. */
export interface GcpRole {
  /** `roles/storage.admin`, `projects/p/roles/deployer`, `organizations/1/roles/auditor`. */
  name: string;
  title?: string;
  stage?: string;
  permissions: readonly string[];
  custom: boolean;
  /** A deleted custom role grants nothing while deleted (https://cloud.google.com/iam/docs/creating-custom-roles#deleting-custom-role). */
  deleted?: boolean;
  /** Where the role was read: the snapshot file, or the dataset. */
  source: string;
}

/**
 * The compact form: every permission name once, each role a list of indexes into it. It is a
 * quarter of the keyed form's size, and parsing it and expanding only the roles in use takes about a
 * tenth of the CPU time of the keyed form (`bench/gcp-roles.ts`).
 */
export interface CompactRoleDataset {
  format: typeof FORMAT;
  version: 1;
  /** Where the data comes from, with its licence. */
  source: string;
  /** The date of the data. */
  date: string;
  permissions: string[];
  /** role name → [title, stage, permission indexes]. */
  roles: Record<string, [string, string, number[]]>;
}

export const PREDEFINED_ROLE = /^roles\/[A-Za-z0-9_.]+$/;
export const CUSTOM_ROLE =
  /^(organizations\/\d+|projects\/[a-z][a-z0-9-]{4,28}[a-z0-9])\/roles\/[A-Za-z0-9_.]+$/;

/**
 * Reads roles from a `gcloud iam roles list|describe --format=json` document (one role or an array)
 * or from the keyed dataset (`{roles: {name: role}}`); a bad entry throws naming it.
 */
export function rolesOfDocument(document: unknown, source: string, custom: boolean): GcpRole[] {
  const entries: [string | undefined, unknown][] = Array.isArray(document)
    ? document.map((r) => [undefined, r])
    : isRecord(document) && isRecord(document.roles)
      ? Object.entries(document.roles)
      : isRecord(document) && typeof document.name === 'string'
        ? [[undefined, document]]
        : [];
  if (entries.length === 0 && !Array.isArray(document))
    throw new Error('not a list of IAM roles (expected the output of `gcloud iam roles list --format=json`)');
  return entries.map(([key, value], index) => {
    const where = key ?? `[${index}]`;
    if (!isRecord(value)) throw new Error(`role ${where}: not an object`);
    const name = key ?? value.name;
    if (typeof name !== 'string' || !(custom ? CUSTOM_ROLE : PREDEFINED_ROLE).test(name))
      throw new Error(
        `role ${where}: name ${JSON.stringify(name)} is not a ${custom ? 'custom role name (organizations/<n>/roles/<id> or projects/<id>/roles/<id>)' : 'predefined role name (roles/<id>)'}`,
      );
    const permissions = value.includedPermissions ?? [];
    if (!Array.isArray(permissions) || permissions.some((p) => typeof p !== 'string'))
      throw new Error(`role ${name}: includedPermissions is not a list of permission names`);
    return {
      name,
      ...(typeof value.title === 'string' ? { title: value.title } : {}),
      ...(typeof value.stage === 'string' ? { stage: value.stage } : {}),
      permissions: permissions as string[],
      custom,
      ...(value.deleted === true ? { deleted: true } : {}),
      source,
    };
  });
}

/** The compact dataset of a keyed dataset or a roles list. */
export function compactRoleDataset(
  document: unknown,
  options: { source?: string; date?: string } = {},
): CompactRoleDataset {
  const roles = rolesOfDocument(document, 'input', false).sort((a, b) => a.name.localeCompare(b.name));
  const meta = isRecord(document) ? document : {};
  const source = options.source ?? (typeof meta.source === 'string' ? meta.source : undefined);
  const date = options.date ?? (typeof meta.commitDate === 'string' ? meta.commitDate : undefined);
  if (!source || !date) throw new Error('the dataset needs a source and a date (--source, --date)');
  const commit = typeof meta.commit === 'string' ? ` commit ${meta.commit}` : '';
  const permissions = [...new Set(roles.flatMap((r) => r.permissions))].sort();
  const index = new Map(permissions.map((p, i) => [p, i]));
  return {
    format: FORMAT,
    version: 1,
    source: `${source}${commit && !source.includes(commit.trim()) ? commit : ''}`,
    date,
    permissions,
    roles: Object.fromEntries(
      roles.map((r) => [
        r.name,
        [
          r.title ?? '',
          r.stage ?? '',
          r.permissions.map((p) => index.get(p) as number).sort((a, b) => a - b),
        ],
      ]),
    ),
  };
}

/** The predefined roles of one dataset, each role's permissions expanded on first use. */
export interface PredefinedRoles {
  readonly source: string;
  readonly date: string;
  role(name: string): GcpRole | undefined;
  /** Every role name of the dataset. */
  names(): string[];
  readonly size: number;
}

export function predefinedRolesOf(dataset: CompactRoleDataset, origin: string): PredefinedRoles {
  if (dataset.format !== FORMAT || dataset.version !== 1)
    throw new Error(`${origin}: not a ${FORMAT} v1 file (rebuild it with scripts/gcp-roles-dataset.ts)`);
  const expanded = new Map<string, GcpRole>();
  const source = `${ROLE_DATASET_FILE} (${dataset.date})`;
  return {
    source: dataset.source,
    date: dataset.date,
    size: Object.keys(dataset.roles).length,
    names: () => Object.keys(dataset.roles),
    role(name) {
      const cached = expanded.get(name);
      if (cached) return cached;
      const entry = Object.hasOwn(dataset.roles, name) ? dataset.roles[name] : undefined;
      if (!entry) return undefined;
      const [title, stage, indexes] = entry;
      const role: GcpRole = {
        name,
        ...(title ? { title } : {}),
        ...(stage ? { stage } : {}),
        permissions: indexes.map((i) => dataset.permissions[i] as string),
        custom: false,
        source,
      };
      expanded.set(name, role);
      return role;
    },
  };
}

let shipped: PredefinedRoles | undefined;

/** The dataset shipped with reachgraph, read on first use only (a run without GCP never parses it). */
export function shippedPredefinedRoles(): PredefinedRoles {
  if (!shipped) {
    const path = join(packageRoot(), ROLE_DATASET_FILE);
    shipped = predefinedRolesOf(JSON.parse(readFileSync(path, 'utf8')) as CompactRoleDataset, path);
  }
  return shipped;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
