import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gcpScope } from '../../model/gcp/ids.js';
import { describe, isObj, type Obj } from '../aws/documents.js';
import { openSnapshotFile, readSnapshotJson, readSnapshotLines } from '../snapshot-files.js';
import { type Asset, type CaiRecords, caiLevels } from './cai-levels.js';
import { CAI_ASSET_TYPES, CAI_FOLDER, GROUPS_FOLDER, LEVEL_FILES, LEVEL_FOLDERS } from './layout.js';
import type { GcpRaw, GcpRawLevel } from './raw.js';

/**
 * Snapshot form (b): a Cloud Asset Inventory export under `<root>/gcp/cai/` (docs/gcp.md). Every
 * regular file below it is newline-delimited JSON, one asset a line, as `gcloud asset export` writes
 * it to Cloud Storage (one file with `--output-path`, `<prefix>/<asset type>/<shard>` with
 * `--output-path-prefix`), or one JSON array as `gcloud asset list --format=json` prints it. Lines
 * are read one at a time, so an export of any size is read in bounded memory; only the assets of the
 * types in `CAI_ASSET_TYPES` are kept, and `cai-levels.ts` places them into the same raw levels the
 * gcloud form gives (the transform is one). The export writes proto field names (`asset_type`, `iam_policy`); `gcloud asset list` writes JSON
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

/** The one gcloud-form file that may sit beside an export. */
const DENY_FILE = LEVEL_FILES.find((f) => f.key === 'denyPolicies')?.file ?? 'deny-policies.json';

export async function readCaiExport(gcpFolder: string, options: CaiReadOptions): Promise<GcpRaw> {
  const folder = join(gcpFolder, CAI_FOLDER);
  const reader = new ExportReader();
  for (const path of await exportFiles(folder)) await reader.readFile(path, options);
  const raw = caiLevels(reader.records, folder);
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
  readonly records: CaiRecords = {
    resources: [],
    policies: [],
    malformed: [],
    issues: [],
    skipped: new Map(),
  };
  private readonly seen = new Map<string, string>();

  async readFile(path: string, options: CaiReadOptions): Promise<void> {
    if ((await firstCharacter(path)) === '[') {
      const parsed = await readSnapshotJson(path, options.maxFileBytes);
      if ('error' in parsed) this.records.malformed.push({ where: path, message: parsed.error });
      else if (!Array.isArray(parsed.value))
        this.records.malformed.push({
          where: path,
          message: `is ${describe(parsed.value)}, expected assets`,
        });
      else for (const [index, value] of parsed.value.entries()) this.record(value, `${path} [${index}]`);
      return;
    }
    const limit = options.maxLineBytes ?? DEFAULT_CAI_LINE_LIMIT;
    const problem = await readSnapshotLines(path, limit, (line) => {
      const where = `${path}:${line.line}`;
      if ('tooLong' in line) {
        this.records.malformed.push({
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
        this.records.malformed.push({
          where,
          message: `malformed JSON (truncated?): ${(error as Error).message}`,
          ...guessAsset(line.text),
        });
        return;
      }
      this.record(value, where);
    });
    if (problem) this.records.malformed.push({ where: path, message: problem.error.slice(path.length + 2) });
  }

  private record(value: unknown, where: string): void {
    const bad = (message: string, o?: Obj) =>
      this.records.malformed.push({
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
        this.records.resources,
        { where, name, type, kind, ancestors, data: resource.data, ...(parent ? { parent } : {}) },
        'resource',
      );
    }
    if (policy !== undefined && policy !== null)
      this.keep(this.records.policies, { where, name, type, kind, ancestors, policy }, 'IAM policy');
  }

  /** The first record of an asset wins; a second (an export read twice, overlapping exports) is named. */
  private keep(into: Asset[], asset: Asset, what: string): void {
    const key = `${what} ${asset.name}`;
    const first = this.seen.get(key);
    if (first) {
      this.records.issues.push({
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
    this.records.skipped.set(type, (this.records.skipped.get(type) ?? 0) + 1);
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
      // Group memberships (Cloud Identity) are read beside either form (snapshot.ts).
      if (relative === LEVEL_FOLDERS.organization && file === GROUPS_FOLDER) continue;
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
