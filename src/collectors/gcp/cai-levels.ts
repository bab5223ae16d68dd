import type { CollectionIssue } from '../../model/collection-issue.js';
import type { GcpDataKind } from '../../model/gcp/environment.js';
import { gcpScope } from '../../model/gcp/ids.js';
import { describe, type Obj, quoted } from '../aws/documents.js';
import type { CaiAssetKind, LevelFile, ResourceFolder } from './layout.js';
import { LEVEL_FOLDERS } from './layout.js';
import type { GcpRaw, GcpRawLevel, RawDocument } from './raw.js';

/**
 * A Cloud Asset Inventory export's assets (cai.ts reads them) placed into the raw levels the gcloud
 * form gives: the hierarchy from `ancestors` (the asset's own CRM container first, then up to the
 * root: https://cloud.google.com/asset-inventory/docs/reference/rest/v1/Asset), each asset's
 * `resource.data` in the list its gcloud command prints, each `iamPolicy` where `get-iam-policy`
 * output goes.
 */

const CRM = '//cloudresourcemanager.googleapis.com/';

/** One asset record of a known type, as read. */
export interface Asset {
  where: string;
  name: string;
  type: string;
  kind: CaiAssetKind;
  ancestors: string[];
  /** `resource.parent`: the CRM container's full name. */
  parent?: string;
  data?: Obj;
  policy?: unknown;
}

/** A line that could not be read as an asset: resolved to its scope once the projects are known. */
export interface Malformed {
  where: string;
  message: string;
  name?: string;
  ancestors?: string[];
}

/** What reading an export gave. */
export interface CaiRecords {
  resources: Asset[];
  policies: Asset[];
  malformed: Malformed[];
  issues: CollectionIssue[];
  /** Records not read, by asset type (and why, when the type is known). */
  skipped: Map<string, number>;
}

/**
 * The raw levels of the assets read from an export: containers first (projects are named by number in
 * `ancestors`, by id in the gcloud form), then each asset in its level's list or per-resource
 * document, each policy on its container or resource. What cannot be placed is an error naming its
 * line; the types skipped are one `info` issue.
 */
export function caiLevels(records: CaiRecords, folder: string): GcpRaw {
  const skip = (type: string) => records.skipped.set(type, (records.skipped.get(type) ?? 0) + 1);
  const hierarchy = new Hierarchy();
  const error = (where: string, object: string | undefined, message: string) =>
    records.issues.push({ severity: 'error', source: where, ...(object ? { object } : {}), message });
  const errorOf = (asset: Asset, message: string, scope = hierarchy.scopeOf(asset.ancestors)) =>
    error(asset.where, scope ? `${scope} ${asset.name}` : asset.name, message);

  for (const asset of records.resources) {
    if (asset.kind !== 'organization' && asset.kind !== 'folder' && asset.kind !== 'project') continue;
    const problem = hierarchy.add(asset);
    if (problem) errorOf(asset, problem, undefined);
  }
  const lists = new Lists(folder);
  const accounts = new Map<string, string>();
  const projectLevel = (asset: Asset): GcpRawLevel | undefined => {
    const level = hierarchy.projectOf(asset);
    if (!level)
      errorOf(
        asset,
        `its project (${asset.ancestors[0] ?? asset.parent ?? 'none named'}) is not in the export: export the cloudresourcemanager.googleapis.com/Project assets with --content-type=resource`,
      );
    return level;
  };

  for (const asset of records.resources) {
    const data = asset.data as Obj;
    switch (asset.kind) {
      case 'organization':
      case 'folder':
      case 'project':
        break;
      case 'customRole': {
        const roleName = typeof data.name === 'string' ? data.name : '';
        if (roleName.startsWith('roles/')) {
          skip(`${asset.type} (predefined)`);
          break;
        }
        const level = roleName.startsWith('organizations/')
          ? hierarchy.level(roleName.split('/').slice(0, 2).join('/'))
          : projectLevel(asset);
        if (level) lists.add(level, 'customRoles', asset);
        else if (roleName.startsWith('organizations/'))
          errorOf(
            asset,
            `its organization ${roleName.split('/').slice(0, 2).join('/')} is not in the export`,
          );
        break;
      }
      case 'serviceAccount': {
        const level = projectLevel(asset);
        if (!level) break;
        lists.add(level, 'serviceAccounts', asset);
        if (typeof data.email === 'string') {
          accounts.set(lastSegment(asset.name), data.email);
          if (typeof data.uniqueId === 'string') accounts.set(data.uniqueId, data.email);
        }
        break;
      }
      case 'pool': {
        const level = projectLevel(asset);
        if (level) lists.add(level, 'pools', asset);
        break;
      }
      default: {
        if (asset.kind === 'serviceAccountKey' || asset.kind === 'poolProvider') break;
        const level = projectLevel(asset);
        if (level) lists.add(level, asset.kind, asset);
      }
    }
  }
  // Keys and providers are grouped by their account and pool, named in their own name.
  for (const asset of records.resources) {
    if (asset.kind !== 'serviceAccountKey' && asset.kind !== 'poolProvider') continue;
    const level = projectLevel(asset);
    if (!level) continue;
    const data = asset.data as Obj;
    const own = typeof data.name === 'string' ? data.name : asset.name;
    if (asset.kind === 'poolProvider') {
      const pool = /\/workloadIdentityPools\/([^/]+)\/providers\//.exec(own)?.[1];
      if (pool) lists.addResource(level, 'poolProviders', pool, asset);
      else errorOf(asset, `"name" ${quoted(own)} is not …/workloadIdentityPools/<pool>/providers/<provider>`);
      continue;
    }
    const account = /\/serviceAccounts\/([^/]+)\/keys\/[^/]+$/.exec(own)?.[1];
    const email = account?.includes('@') ? account : account && accounts.get(account);
    if (email) lists.addResource(level, 'serviceAccountKeys', email, asset);
    else errorOf(asset, `the key's service account ${quoted(account ?? own)} is not in the export`);
  }

  for (const asset of records.policies) {
    const document: RawDocument = { source: asset.where, value: asset.policy };
    if (asset.kind === 'organization' || asset.kind === 'folder' || asset.kind === 'project') {
      const level = hierarchy.level(asset.name.slice(CRM.length));
      if (level) level.files.iamPolicy = document;
      else
        errorOf(
          asset,
          `an IAM policy for ${asset.name.slice(CRM.length)}, which the export does not hold as a resource: export --content-type=resource too`,
        );
      continue;
    }
    const folderKey = policyFolder(asset.kind);
    if (!folderKey) {
      skip(`${asset.type} (IAM policy)`);
      continue;
    }
    const level = projectLevel(asset);
    if (!level) continue;
    const key = policyKey(asset.kind, asset.name, accounts);
    if (key) {
      level.resources[folderKey] ??= {};
      level.resources[folderKey][key] = document;
    } else errorOf(asset, `cannot tell which ${asset.kind} the IAM policy of ${asset.name} is for`);
  }

  for (const m of records.malformed) {
    // The ancestors come last in an export's line, so a truncated line has often lost them: the
    // project named in the asset's own name (`//service/projects/<id>/…`) stands in.
    const named = /^\/\/[^/]+\/(projects\/[^/]+)\//.exec(m.name ?? '')?.[1];
    const scope = hierarchy.scopeOf(m.ancestors ?? (named ? [named] : []));
    const object = [scope, m.name].filter(Boolean).join(' ');
    error(m.where, object || undefined, m.message);
  }
  if (records.policies.length === 0 && hierarchy.all().length > 0)
    records.issues.push({
      severity: 'warning',
      source: folder,
      message:
        'the export holds no IAM policies: add `gcloud asset export --content-type=iam-policy`; nothing is granted without them',
    });
  if (records.skipped.size > 0) {
    const counts = [...records.skipped].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
    const total = counts.reduce((sum, [, n]) => sum + n, 0);
    const shown = counts.slice(0, 12).map(([type, n]) => `${type} (${n})`);
    records.issues.push({
      severity: 'info',
      source: folder,
      message: `${total} records of asset types reachgraph does not read were skipped: ${shown.join(', ')}${counts.length > shown.length ? `, and ${counts.length - shown.length} more types` : ''}`,
    });
  }
  return { levels: hierarchy.all(), issues: records.issues };
}

/** The organization, folders and projects of an export, by their names in `ancestors`. */
class Hierarchy {
  private organization?: { name: string; level: GcpRawLevel };
  private readonly folders = new Map<string, GcpRawLevel>();
  /** By project number and by project id. */
  private readonly projects = new Map<string, GcpRawLevel>();

  /** Adds a container from its resource asset, or says what is wrong with it. */
  add(asset: Asset): string | undefined {
    const data = asset.data as Obj;
    const relative = asset.name.startsWith(CRM) ? asset.name.slice(CRM.length) : '';
    // The hierarchy comes from `ancestors` (itself, then its parent) when the data does not name it.
    const parent = asset.ancestors[1];
    const describeDoc = (value: Obj): RawDocument => ({
      source: asset.where,
      value: value.parent === undefined && parent ? { ...value, parent } : value,
    });
    if (asset.kind === 'organization') {
      if (!/^organizations\/\d+$/.test(relative)) return `"name" is not ${CRM}organizations/<number>`;
      if (this.organization)
        return `a second organization in one export (${this.organization.name} came first): export one organization per snapshot`;
      const level: GcpRawLevel = { kind: 'organization', id: 'organization', files: {}, resources: {} };
      level.files.describe = describeDoc(data);
      this.organization = { name: relative, level };
      return undefined;
    }
    if (asset.kind === 'folder') {
      const id = /^folders\/(\d+)$/.exec(relative)?.[1];
      if (!id) return `"name" is not ${CRM}folders/<number>`;
      const level: GcpRawLevel = {
        kind: 'folder',
        id,
        files: { describe: describeDoc(data) },
        resources: {},
      };
      this.folders.set(id, level);
      return undefined;
    }
    const number = /^projects\/(\d+)$/.exec(relative)?.[1];
    if (!number) return `"name" is not ${CRM}projects/<number>`;
    const id = data.projectId;
    if (typeof id !== 'string' || id === '')
      return `"resource.data.projectId" is ${describe(id)}, expected the project id`;
    const level: GcpRawLevel = {
      kind: 'project',
      id,
      files: { describe: describeDoc({ projectNumber: number, ...data }) },
      resources: {},
    };
    this.projects.set(number, level);
    this.projects.set(id, level);
    return undefined;
  }

  /** `organizations/1`, `folders/2`, `projects/<number or id>`. */
  level(name: string): GcpRawLevel | undefined {
    const [collection, id = ''] = name.split('/');
    if (collection === 'organizations')
      return this.organization?.name === name ? this.organization.level : undefined;
    if (collection === 'folders') return this.folders.get(id);
    if (collection === 'projects') return this.projects.get(id);
    return undefined;
  }

  /** The project an asset is in: its closest CRM ancestor, else `resource.parent`. */
  projectOf(asset: Asset): GcpRawLevel | undefined {
    const closest =
      asset.ancestors[0] ?? (asset.parent?.startsWith(CRM) ? asset.parent.slice(CRM.length) : undefined);
    return closest?.startsWith('projects/') ? this.level(closest) : undefined;
  }

  /** The scope an asset's problems concern (`gcp:<project id>`, `gcp:folders/<n>`), when known. */
  scopeOf(ancestors: readonly string[]): string | undefined {
    const closest = ancestors[0];
    if (!closest) return undefined;
    const level = this.level(closest);
    if (level?.kind === 'project') return gcpScope(`projects/${level.id}`);
    if (level?.kind === 'folder') return gcpScope(`folders/${level.id}`);
    return undefined;
  }

  /** Organization, then folders and projects in id order (as the gcloud form is read). */
  all(): GcpRawLevel[] {
    const byId = (a: GcpRawLevel, b: GcpRawLevel) => a.id.localeCompare(b.id);
    return [
      ...(this.organization ? [this.organization.level] : []),
      ...[...this.folders.values()].sort(byId),
      ...[...new Set(this.projects.values())].sort(byId),
    ];
  }
}

/** The lists the gcloud form holds one file each for, assembled from one asset a line. */
class Lists {
  constructor(private readonly folder: string) {}

  add(level: GcpRawLevel, key: LevelFile, asset: Asset): void {
    level.files[key] ??= this.list(level, asset.type);
    this.push(level.files[key] as RawDocument, asset);
  }

  addResource(level: GcpRawLevel, key: ResourceFolder, resource: string, asset: Asset): void {
    level.resources[key] ??= {};
    const documents = level.resources[key];
    documents[resource] ??= this.list(level, `${asset.type} of ${resource}`);
    this.push(documents[resource] as RawDocument, asset);
  }

  private list(level: GcpRawLevel, what: string): RawDocument {
    const where = level.kind === 'organization' ? 'organization' : `${LEVEL_FOLDERS[level.kind]}/${level.id}`;
    return { source: `${this.folder} (${what} assets of ${where})`, value: [], sources: [] };
  }

  private push(document: RawDocument, asset: Asset): void {
    (document.value as unknown[]).push(asset.data);
    (document.sources as string[]).push(asset.where);
  }
}

function policyFolder(kind: CaiAssetKind): ResourceFolder | undefined {
  if (kind === 'serviceAccount') return 'serviceAccountPolicies';
  const data: readonly string[] = ['bucket', 'dataset', 'secret', 'kmsKey', 'topic'] satisfies GcpDataKind[];
  return data.includes(kind)
    ? (`${kind as Exclude<GcpDataKind, 'sqlInstance'>}Policies` as const)
    : undefined;
}

/**
 * The gcloud form's per-resource key of a policy (layout.ts RESOURCE_FOLDERS) from the asset's full
 * name (https://cloud.google.com/asset-inventory/docs/asset-names): a service account's email (its
 * asset is named by unique id), a bucket's, dataset's, secret's, topic's name, `<location>.<ring>.<key>`.
 */
function policyKey(
  kind: CaiAssetKind,
  name: string,
  accounts: ReadonlyMap<string, string>,
): string | undefined {
  switch (kind) {
    case 'serviceAccount': {
      const account = /\/serviceAccounts\/([^/]+)$/.exec(name)?.[1];
      return account?.includes('@') ? account : account && accounts.get(account);
    }
    case 'bucket':
      return /^\/\/storage\.googleapis\.com\/(?:projects\/_\/buckets\/)?([^/]+)$/.exec(name)?.[1];
    case 'dataset':
      return /\/datasets\/([^/]+)$/.exec(name)?.[1];
    case 'secret':
      return /\/secrets\/([^/]+)$/.exec(name)?.[1];
    case 'kmsKey': {
      const m = /\/locations\/([^/]+)\/keyRings\/([^/]+)\/cryptoKeys\/([^/]+)$/.exec(name);
      return m ? `${m[1]}.${m[2]}.${m[3]}` : undefined;
    }
    case 'topic':
      return /\/topics\/([^/]+)$/.exec(name)?.[1];
    default:
      return undefined;
  }
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
