import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GcpContainerKind } from '../../model/gcp/environment.js';
import { gcpScope } from '../../model/gcp/ids.js';
import { DEFAULT_SNAPSHOT_FILE_LIMIT, readSnapshotJson } from '../snapshot-files.js';
import { readCaiExport } from './cai.js';
import {
  CAI_FOLDER,
  GCP_FOLDER,
  GROUPS_FOLDER,
  LEVEL_FILES,
  LEVEL_FOLDERS,
  PREDEFINED_ROLES_FILE,
  RESOURCE_FOLDERS,
} from './layout.js';
import type { GcpRaw, GcpRawLevel, RawDocument } from './raw.js';

/**
 * Snapshot directories (docs/snapshots.md) hold GCP in one of two forms: a Cloud Asset Inventory
 * export under `gcp/cai/` (cai.ts), or form (a): `gcloud … --format=json` output under
 * `<root>/gcp/`: `organization/`, `folders/<number>/`, `projects/<project id>/`, each holding the
 * files of `LEVEL_FILES` and the per-resource folders of `RESOURCE_FOLDERS`, plus the optional
 * `roles.json`. A missing optional file is a thing not collected; a file that cannot be read or
 * parsed is an error issue naming it, and the rest is read. Files are read as the AWS snapshot reader
 * reads them (regular files only, up to a size limit).
 */

export interface GcpSnapshotOptions {
  /** Largest file read, in bytes (default `DEFAULT_SNAPSHOT_FILE_LIMIT`); an export is read by line. */
  maxFileBytes?: number;
  /** Largest line of a Cloud Asset Inventory export, in bytes (default `DEFAULT_CAI_LINE_LIMIT`). */
  maxLineBytes?: number;
}

const FOLDER_ID = /^\d+$/;
const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;

export async function readGcpSnapshot(root: string, options: GcpSnapshotOptions = {}): Promise<GcpRaw> {
  const limit = options.maxFileBytes ?? DEFAULT_SNAPSHOT_FILE_LIMIT;
  const folder = join(root, GCP_FOLDER);
  const present = await readdir(folder).catch((error: Error) => {
    throw new Error(`${folder}: cannot read the GCP snapshot folder: ${error.message}`);
  });
  const cai = await isDirectory(join(folder, CAI_FOLDER));
  const raw: GcpRaw = cai
    ? await readCaiExport(folder, {
        maxFileBytes: limit,
        ...(options.maxLineBytes ? { maxLineBytes: options.maxLineBytes } : {}),
      })
    : { levels: [], issues: [] };
  const read = async (path: string, scope?: string): Promise<RawDocument | undefined> => {
    const parsed = await readSnapshotJson(path, limit);
    if ('value' in parsed) return { source: path, value: parsed.value };
    raw.issues.push({
      severity: 'error',
      source: path,
      ...(scope ? { object: scope } : {}),
      message: parsed.error,
    });
    return undefined;
  };
  if (present.includes(PREDEFINED_ROLES_FILE)) {
    const roles = await read(join(folder, PREDEFINED_ROLES_FILE));
    if (roles) raw.roles = roles;
  }
  // Cloud Identity group memberships, beside either form.
  const groups = join(folder, LEVEL_FOLDERS.organization, GROUPS_FOLDER);
  if (await isDirectory(groups)) {
    raw.groups = {};
    for (const file of (await readdir(groups)).sort()) {
      if (!file.endsWith('.json')) continue;
      const document = await read(join(groups, file));
      if (document) raw.groups[file.slice(0, -'.json'.length)] = document;
    }
  }
  // The levels of an export come from it alone (its folder checks refuse gcloud files beside it).
  if (cai) return raw;
  if (await isDirectory(join(folder, LEVEL_FOLDERS.organization)))
    raw.levels.push(await readLevel('organization', 'organization', join(folder, 'organization'), read));
  for (const kind of ['folder', 'project'] as const) {
    const parent = join(folder, LEVEL_FOLDERS[kind]);
    if (!(await isDirectory(parent))) continue;
    for (const id of (await readdir(parent)).sort()) {
      const path = join(parent, id);
      if (!(await isDirectory(path))) continue;
      if (!(kind === 'folder' ? FOLDER_ID : PROJECT_ID).test(id))
        throw new Error(
          `${path}: "${id}" is not a ${kind === 'folder' ? 'folder number' : 'project id (6-30 lower-case letters, digits and hyphens)'}`,
        );
      raw.levels.push(await readLevel(kind, id, path, read));
    }
  }
  if (raw.levels.length === 0)
    throw new Error(
      `${folder}: no organization/, folders/<number>/ or projects/<project id>/ folder in the snapshot`,
    );
  return raw;
}

async function readLevel(
  kind: GcpContainerKind,
  id: string,
  folder: string,
  readFile: (path: string, scope?: string) => Promise<RawDocument | undefined>,
): Promise<GcpRawLevel> {
  const level: GcpRawLevel = { kind, id, files: {}, resources: {} };
  // The organization's number is known only from its describe.json: its problems concern every scope.
  const scope = kind === 'organization' ? undefined : gcpScope(`${LEVEL_FOLDERS[kind]}/${id}`);
  const read = (path: string) => readFile(path, scope);
  const present = new Set(await readdir(folder));
  for (const spec of LEVEL_FILES) {
    if (!spec.levels.includes(kind) || !present.has(spec.file)) continue;
    const document = await read(join(folder, spec.file));
    if (document) level.files[spec.key] = document;
  }
  if (kind !== 'project') return level;
  for (const spec of RESOURCE_FOLDERS) {
    if (!present.has(spec.folder)) continue;
    const documents: Record<string, RawDocument> = {};
    for (const file of (await readdir(join(folder, spec.folder))).sort()) {
      if (!file.endsWith('.json')) continue;
      const document = await read(join(folder, spec.folder, file));
      if (document) documents[file.slice(0, -'.json'.length)] = document;
    }
    level.resources[spec.key] = documents;
  }
  return level;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/**
 * Writes a raw collection in the snapshot layout (what scripts/snapshot-gcp.sh writes with gcloud),
 * group memberships included: `readGcpSnapshot` reads back the same documents. Nothing secret is in `raw`: key listings hold
 * metadata only.
 */
export async function writeGcpSnapshot(raw: GcpRaw, root: string): Promise<void> {
  const write = async (folder: string, file: string, value: unknown) => {
    // Names come from the APIs (emails, bucket and secret ids): never a path of their own.
    if (file.includes('/') || file.startsWith('.'))
      throw new Error(`gcp: "${file}" cannot be a snapshot file name`);
    await mkdir(folder, { recursive: true });
    await writeFile(join(folder, file), `${JSON.stringify(value, null, 2)}\n`);
  };
  if (raw.roles) await write(join(root, GCP_FOLDER), PREDEFINED_ROLES_FILE, raw.roles.value);
  // Group memberships sit under the organization's folder, one `<group email>.json` each.
  for (const [email, document] of Object.entries(raw.groups ?? {}))
    await write(
      join(root, GCP_FOLDER, LEVEL_FOLDERS.organization, GROUPS_FOLDER),
      `${email}.json`,
      document.value,
    );
  for (const level of raw.levels) {
    const folder =
      level.kind === 'organization'
        ? join(root, GCP_FOLDER, LEVEL_FOLDERS.organization)
        : join(root, GCP_FOLDER, LEVEL_FOLDERS[level.kind], level.id);
    for (const spec of LEVEL_FILES) {
      const document = level.files[spec.key];
      if (document) await write(folder, spec.file, document.value);
    }
    for (const spec of RESOURCE_FOLDERS) {
      const documents = level.resources[spec.key];
      if (!documents) continue;
      await mkdir(join(folder, spec.folder), { recursive: true });
      for (const [resource, document] of Object.entries(documents))
        await write(join(folder, spec.folder), `${resource}.json`, document.value);
    }
  }
}
