import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { CollectionIssue } from '../../model/collection-issue.js';
import type { GcpDataKind } from '../../model/gcp/environment.js';
import { gcpScope } from '../../model/gcp/ids.js';
import { describe, isObj, type Obj, quoted } from '../aws/documents.js';
import { openSnapshotFile, readSnapshotJson, readSnapshotLines } from '../snapshot-files.js';
import {
  CAI_ASSET_TYPES,
  CAI_FOLDER,
  type CaiAssetKind,
  LEVEL_FILES,
  LEVEL_FOLDERS,
  type LevelFile,
  type ResourceFolder,
} from './layout.js';
import type { GcpRaw, GcpRawLevel, RawDocument } from './raw.js';

/**
 * Snapshot form (b): a Cloud Asset Inventory export under `<root>/gcp/cai/` (docs/gcp.md). Every
 * regular file below it is newline-delimited JSON, one asset a line, as `gcloud asset export` writes
 * it to Cloud Storage (one file with `--output-path`, `<prefix>/<asset type>/<shard>` with
 * `--output-path-prefix`), or one JSON array as `gcloud asset list --format=json` prints it. Lines
 * are read one at a time, so an export of any size is read in bounded memory; only the assets of the
 * types in `CAI_ASSET_TYPES` are kept. They become the same raw levels the gcloud form gives (the
 * transform is one): the hierarchy from `ancestors` (the asset's own CRM container first, then up to
 * the root: https://cloud.google.com/asset-inventory/docs/reference/rest/v1/Asset), each asset's
 * `resource.data` as the list commands print it and its `iamPolicy` as `get-iam-policy` prints it.
 * The export writes proto field names (`asset_type`, `iam_policy`); `gcloud asset list` writes JSON
 * names (`assetType`, `iamPolicy`): both are read.
 *
 * CAI exports no deny policies (its content types are resource, IAM policy, org policy, access
 * policy, OS inventory and relationships): `deny-policies.json` of the gcloud form may sit in
 * `gcp/organization/`, `gcp/folders/<n>/` or `gcp/projects/<id>/` beside the export; any other
 * gcloud-form file there is an error (one snapshot, one form).
 */

export interface CaiReadOptions {
  /** Largest JSON-array file (`gcloud asset list --format=json`) read whole, in bytes. */
  maxFileBytes: number;
  /** Largest line read from an export, in bytes (default `DEFAULT_CAI_LINE_LIMIT`). */
  maxLineBytes?: number;
}

/** One asset is one line: far above any real asset (a large IAM policy is a few hundred KiB). */
export const DEFAULT_CAI_LINE_LIMIT = 64 * 1024 * 1024;

const CRM = '//cloudresourcemanager.googleapis.com/';
/** The level files a CAI export gives, besides the deny policies read from beside it. */
const DENY_FILE = LEVEL_FILES.find((f) => f.key === 'denyPolicies')?.file ?? 'deny-policies.json';

interface Asset {
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
interface Malformed {
  where: string;
  message: string;
  name?: string;
  ancestors?: string[];
}

export async function readCaiExport(gcpFolder: string, options: CaiReadOptions): Promise<GcpRaw> {
  const folder = join(gcpFolder, CAI_FOLDER);
  const reader = new ExportReader();
  for (const path of await exportFiles(folder)) await reader.readFile(path, options);
  const raw = reader.levels(folder);
  await addDenyPolicies(gcpFolder, raw, options.maxFileBytes);
  if (raw.levels.length === 0)
    throw new Error(
      `${folder}: no cloudresourcemanager.googleapis.com Organization, Folder or Project asset in the export (export --content-type=resource)`,
    );
  return raw;
}

/** Every regular file below the folder, sorted; links to folders are not followed (no loops). */
async function exportFiles(folder: string): Promise<string[]> {
  const files: string[] = [];
  const walk = async (dir: string) => {
    const entries: Dirent[] = await readdir(dir, { withFileTypes: true }).catch((error: Error) => {
      throw new Error(`${dir}: cannot read the Cloud Asset Inventory export folder: ${error.message}`);
    });
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) await walk(join(dir, entry.name));
      else files.push(join(dir, entry.name));
    }
  };
  await walk(folder);
  return files;
}

class ExportReader {
  private readonly resources: Asset[] = [];
  private readonly policies: Asset[] = [];
  private readonly seen = new Map<string, string>();
  private readonly malformed: Malformed[] = [];
  private readonly issues: CollectionIssue[] = [];
  /** Assets of types not read, by type; and known assets with neither resource nor IAM policy. */
  private readonly skipped = new Map<string, number>();

  async readFile(path: string, options: CaiReadOptions): Promise<void> {
    if ((await firstCharacter(path)) === '[') {
      const parsed = await readSnapshotJson(path, options.maxFileBytes);
      if ('error' in parsed) this.malformed.push({ where: path, message: parsed.error });
      else if (!Array.isArray(parsed.value))
        this.malformed.push({ where: path, message: `is ${describe(parsed.value)}, expected assets` });
      else for (const [index, value] of parsed.value.entries()) this.record(value, `${path} [${index}]`);
      return;
    }
    const limit = options.maxLineBytes ?? DEFAULT_CAI_LINE_LIMIT;
    const problem = await readSnapshotLines(path, limit, (line) => {
      const where = `${path}:${line.line}`;
      if ('tooLong' in line) {
        this.malformed.push({
          where,
          message: `a line of ${line.tooLong} bytes, above the limit of ${limit}`,
        });
        return;
      }
      if (line.text.trim() === '') return;
      let value: unknown;
      try {
        value = JSON.parse(line.text);
      } catch (error) {
        this.malformed.push({
          where,
          message: `malformed JSON (truncated?): ${(error as Error).message}`,
          ...guessAsset(line.text),
        });
        return;
      }
      this.record(value, where);
    });
    if (problem) this.malformed.push({ where: path, message: problem.error.slice(path.length + 2) });
  }

  private record(value: unknown, where: string): void {
    const bad = (message: string, o?: Obj) =>
      this.malformed.push({
        where,
        message,
        ...(o && typeof o.name === 'string' ? { name: o.name } : {}),
        ...(o && stringList(o.ancestors) ? { ancestors: o.ancestors as string[] } : {}),
      });
    if (!isObj(value)) return void bad(`is ${describe(value)}, expected an asset object`);
    const name = value.name;
    const type = value.assetType ?? value.asset_type;
    if (typeof name !== 'string' || !name.startsWith('//'))
      return void bad(
        `"name" is ${describe(name)}, expected the asset's full resource name (//service/…)`,
        value,
      );
    if (typeof type !== 'string' || type === '')
      return void bad(`"asset_type" is ${describe(type)}, expected an asset type`, value);
    const ancestors = value.ancestors ?? [];
    if (!stringList(ancestors))
      return void bad(`"ancestors" is ${describe(ancestors)}, expected a list of resource names`, value);
    const kind = CAI_ASSET_TYPES[type];
    if (!kind) return void this.skip(type);
    const resource = value.resource;
    const policy = value.iamPolicy ?? value.iam_policy;
    if (resource === undefined && (policy === undefined || policy === null))
      return void this.skip(`${type} (no resource or IAM policy)`);
    if (resource !== undefined) {
      if (!isObj(resource) || !isObj(resource.data))
        return void bad(
          `"resource.data" is ${describe(isObj(resource) ? resource.data : resource)}, expected an object`,
          value,
        );
      const parent = typeof resource.parent === 'string' ? resource.parent : undefined;
      this.keep(
        this.resources,
        { where, name, type, kind, ancestors, data: resource.data, ...(parent ? { parent } : {}) },
        'resource',
      );
    }
    if (policy !== undefined && policy !== null)
      this.keep(this.policies, { where, name, type, kind, ancestors, policy }, 'IAM policy');
  }

  /** The first record of an asset wins; a second (an export read twice, overlapping exports) is named. */
  private keep(into: Asset[], asset: Asset, what: string): void {
    const key = `${what} ${asset.name}`;
    const first = this.seen.get(key);
    if (first) {
      this.issues.push({
        severity: 'warning',
        source: asset.where,
        message: `${asset.name}: a second ${what} record of the asset (the first is ${first}); this one is ignored`,
      });
      return;
    }
    this.seen.set(key, asset.where);
    into.push(asset);
  }

  private skip(type: string): void {
    this.skipped.set(type, (this.skipped.get(type) ?? 0) + 1);
  }

  /** The raw levels of the assets read. */
  levels(folder: string): GcpRaw {
    const hierarchy = new Hierarchy();
    const error = (where: string, object: string | undefined, message: string) =>
      this.issues.push({ severity: 'error', source: where, ...(object ? { object } : {}), message });
    const errorOf = (asset: Asset, message: string, scope = hierarchy.scopeOf(asset.ancestors)) =>
      error(asset.where, scope ? `${scope} ${asset.name}` : asset.name, message);

    for (const asset of this.resources) {
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

    for (const asset of this.resources) {
      const data = asset.data as Obj;
      switch (asset.kind) {
        case 'organization':
        case 'folder':
        case 'project':
          break;
        case 'customRole': {
          const roleName = typeof data.name === 'string' ? data.name : '';
          if (roleName.startsWith('roles/')) {
            this.skip(`${asset.type} (predefined)`);
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
    for (const asset of this.resources) {
      if (asset.kind !== 'serviceAccountKey' && asset.kind !== 'poolProvider') continue;
      const level = projectLevel(asset);
      if (!level) continue;
      const data = asset.data as Obj;
      const own = typeof data.name === 'string' ? data.name : asset.name;
      if (asset.kind === 'poolProvider') {
        const pool = /\/workloadIdentityPools\/([^/]+)\/providers\//.exec(own)?.[1];
        if (pool) lists.addResource(level, 'poolProviders', pool, asset);
        else
          errorOf(asset, `"name" ${quoted(own)} is not …/workloadIdentityPools/<pool>/providers/<provider>`);
        continue;
      }
      const account = /\/serviceAccounts\/([^/]+)\/keys\/[^/]+$/.exec(own)?.[1];
      const email = account?.includes('@') ? account : account && accounts.get(account);
      if (email) lists.addResource(level, 'serviceAccountKeys', email, asset);
      else errorOf(asset, `the key's service account ${quoted(account ?? own)} is not in the export`);
    }

    for (const asset of this.policies) {
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
        this.skip(`${asset.type} (IAM policy)`);
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

    for (const m of this.malformed) {
      // The ancestors come last in an export's line, so a truncated line has often lost them: the
      // project named in the asset's own name (`//service/projects/<id>/…`) stands in.
      const named = /^\/\/[^/]+\/(projects\/[^/]+)\//.exec(m.name ?? '')?.[1];
      const scope = hierarchy.scopeOf(m.ancestors ?? (named ? [named] : []));
      const object = [scope, m.name].filter(Boolean).join(' ');
      error(m.where, object || undefined, m.message);
    }
    if (this.policies.length === 0 && hierarchy.all().length > 0)
      this.issues.push({
        severity: 'warning',
        source: folder,
        message:
          'the export holds no IAM policies: add `gcloud asset export --content-type=iam-policy`; nothing is granted without them',
      });
    if (this.skipped.size > 0) {
      const counts = [...this.skipped].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const total = counts.reduce((sum, [, n]) => sum + n, 0);
      const shown = counts.slice(0, 12).map(([type, n]) => `${type} (${n})`);
      this.issues.push({
        severity: 'info',
        source: folder,
        message: `${total} records of asset types reachgraph does not read were skipped: ${shown.join(', ')}${counts.length > shown.length ? `, and ${counts.length - shown.length} more types` : ''}`,
      });
    }
    return { levels: hierarchy.all(), issues: this.issues };
  }
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
  return data.includes(kind) ? (`${kind as GcpDataKind}Policies` as const) : undefined;
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

/** The deny policies of the gcloud form beside the export; any other gcloud-form file is refused. */
async function addDenyPolicies(gcpFolder: string, raw: GcpRaw, limit: number): Promise<void> {
  const byName = new Map<string, GcpRawLevel>();
  for (const level of raw.levels)
    byName.set(
      level.kind === 'organization' ? 'organization' : `${LEVEL_FOLDERS[level.kind]}/${level.id}`,
      level,
    );
  const folders: string[] = [];
  const list = async (path: string) => readdir(path).catch(() => [] as string[]);
  if ((await list(join(gcpFolder, LEVEL_FOLDERS.organization))).length > 0)
    folders.push(LEVEL_FOLDERS.organization);
  for (const kind of ['folder', 'project'] as const)
    for (const id of (await list(join(gcpFolder, LEVEL_FOLDERS[kind]))).sort())
      folders.push(`${LEVEL_FOLDERS[kind]}/${id}`);
  for (const relative of folders) {
    const dir = join(gcpFolder, relative);
    for (const file of (await list(dir)).sort()) {
      if (file !== DENY_FILE)
        throw new Error(
          `${join(dir, file)}: this snapshot holds a Cloud Asset Inventory export (${join(gcpFolder, CAI_FOLDER)}); only ${DENY_FILE} (which CAI does not export) may sit beside it in the gcloud form's folders: use one form per snapshot`,
        );
      const path = join(dir, file);
      const level = byName.get(relative);
      if (!level) {
        raw.issues.push({
          severity: 'error',
          source: path,
          message: `deny policies for ${relative}, which the Cloud Asset Inventory export does not hold`,
        });
        continue;
      }
      const scope =
        level.kind === 'organization' ? undefined : gcpScope(`${LEVEL_FOLDERS[level.kind]}/${level.id}`);
      const parsed = await readSnapshotJson(path, limit);
      if ('value' in parsed) level.files.denyPolicies = { source: path, value: parsed.value };
      else
        raw.issues.push({
          severity: 'error',
          source: path,
          ...(scope ? { object: scope } : {}),
          message: parsed.error,
        });
    }
  }
}

/** The first non-blank character of a file (`[` for a JSON array), or undefined. */
async function firstCharacter(path: string): Promise<string | undefined> {
  const opened = await openSnapshotFile(path);
  if ('error' in opened) return undefined;
  try {
    const buffer = Buffer.alloc(256);
    const { bytesRead } = await opened.handle.read(buffer, 0, buffer.length, 0);
    return /\S/.exec(buffer.subarray(0, bytesRead).toString('utf8'))?.[0];
  } finally {
    await opened.handle.close();
  }
}

/** The name and ancestors of an asset whose line is not valid JSON (truncated), when they can be seen. */
function guessAsset(text: string): { name?: string; ancestors?: string[] } {
  const name = /"name"\s*:\s*"(\/\/[^"\\]+)"/.exec(text)?.[1];
  const list = /"ancestors"\s*:\s*\[([^\]]*)\]/.exec(text)?.[1];
  const parent = /"parent"\s*:\s*"\/\/cloudresourcemanager\.googleapis\.com\/(projects\/\d+)"/.exec(
    text,
  )?.[1];
  const ancestors = list
    ? [...list.matchAll(/"([^"\\]+)"/g)].map((m) => m[1] as string)
    : parent
      ? [parent]
      : undefined;
  return { ...(name ? { name } : {}), ...(ancestors?.length ? { ancestors } : {}) };
}

function stringList(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((v) => typeof v === 'string');
}

function lastSegment(name: string): string {
  return name.slice(name.lastIndexOf('/') + 1);
}
