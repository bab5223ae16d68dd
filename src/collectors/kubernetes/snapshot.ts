import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CollectionIssue } from '../../model/collection-issue.js';
import { k8sScope } from '../../model/kubernetes/ids.js';
import { DEFAULT_SNAPSHOT_FILE_LIMIT, readSnapshotJson } from '../snapshot-files.js';
import { CLUSTER_FILE, COLLECTED_KINDS, clusterNameProblem, USER_GROUPS_FILE } from './kinds.js';
import type { KubernetesRaw, KubernetesRawCluster, RawList } from './raw.js';

/**
 * Snapshot directories (docs/snapshots.md): `<root>/kubernetes/<cluster>/<kind>.json`, each the
 * `kubectl get <kind> -A -o json` List, plus the optional `user-groups.json` and `cluster.json`.
 * The folder name is the cluster's name. A missing kind file is a kind not collected; a file that
 * cannot be read or parsed is an error issue naming it, and the rest is read. Files are read as the
 * AWS snapshot reader reads them (regular files only, up to a size limit).
 */

export const KUBERNETES_FOLDER = 'kubernetes';

export interface KubernetesSnapshotOptions {
  /** Largest file read, in bytes (default `DEFAULT_SNAPSHOT_FILE_LIMIT`). */
  maxFileBytes?: number;
}

export async function readKubernetesSnapshot(
  root: string,
  options: KubernetesSnapshotOptions = {},
): Promise<KubernetesRaw> {
  const limit = options.maxFileBytes ?? DEFAULT_SNAPSHOT_FILE_LIMIT;
  const folder = join(root, KUBERNETES_FOLDER);
  let entries: string[];
  try {
    entries = (await readdir(folder)).sort();
  } catch (error) {
    throw new Error(`${folder}: cannot read the Kubernetes snapshot folder: ${(error as Error).message}`);
  }
  const clusters: KubernetesRawCluster[] = [];
  for (const name of entries) {
    const path = join(folder, name);
    const info = await stat(path).catch(() => undefined);
    if (!info?.isDirectory()) continue;
    const problem = clusterNameProblem(name);
    if (problem) throw new Error(`${path}: the cluster folder name "${name}" ${problem}`);
    clusters.push(await readCluster(name, path, limit));
  }
  if (clusters.length === 0)
    throw new Error(`${folder}: no cluster folder (kubernetes/<cluster>/) in the snapshot`);
  return { clusters };
}

async function readCluster(name: string, folder: string, limit: number): Promise<KubernetesRawCluster> {
  const cluster: KubernetesRawCluster = { name, lists: {}, issues: [] };
  const fail = (source: string, message: string) =>
    cluster.issues.push({ severity: 'error', source, object: k8sScope(name), message });
  const present = new Set(await readdir(folder));
  for (const kind of COLLECTED_KINDS) {
    const file = `${kind.file}.json`;
    if (!present.has(file)) continue;
    const path = join(folder, file);
    const parsed = await readSnapshotJson(path, limit);
    if ('error' in parsed) {
      fail(path, parsed.error);
      continue;
    }
    const list = listItems(parsed.value);
    if (typeof list === 'string') fail(path, list);
    else cluster.lists[kind.file] = { source: path, items: list } satisfies RawList;
  }
  for (const [file, key] of [
    [USER_GROUPS_FILE, 'userGroups'],
    [CLUSTER_FILE, 'cluster'],
  ] as const) {
    if (!present.has(file)) continue;
    const path = join(folder, file);
    const parsed = await readSnapshotJson(path, limit);
    if ('error' in parsed) fail(path, parsed.error);
    else cluster[key] = { source: path, value: parsed.value };
  }
  return cluster;
}

/** The items of a `kubectl get -o json` List (`kind: List` or `<Kind>List`), or what is wrong with it. */
export function listItems(document: unknown): unknown[] | string {
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return 'not a Kubernetes List (expected {"kind": "List", "items": [...]})';
  const { kind, items } = document as { kind?: unknown; items?: unknown };
  if (typeof kind !== 'string' || !kind.endsWith('List'))
    return `not a Kubernetes List: kind is ${JSON.stringify(kind)} (expected "List" or "<Kind>List")`;
  if (!Array.isArray(items)) return '"items" is not an array';
  return items;
}

/**
 * Writes raw data in the snapshot layout (what `kubectl get <kind> -A -o json` would write):
 * `readKubernetesSnapshot` reads back the same items. Nothing secret is in `raw` to begin with.
 */
export async function writeKubernetesSnapshot(raw: KubernetesRaw, root: string): Promise<void> {
  for (const cluster of raw.clusters) {
    const folder = join(root, KUBERNETES_FOLDER, cluster.name);
    await mkdir(folder, { recursive: true });
    const write = (file: string, value: unknown) =>
      writeFile(join(folder, file), `${JSON.stringify(value, null, 4)}\n`);
    for (const kind of COLLECTED_KINDS) {
      const list = cluster.lists[kind.file];
      if (list) await write(`${kind.file}.json`, { apiVersion: 'v1', kind: 'List', items: list.items });
    }
    if (cluster.userGroups) await write(USER_GROUPS_FILE, cluster.userGroups.value);
    if (cluster.cluster) await write(CLUSTER_FILE, cluster.cluster.value);
  }
}

/** The issues of a raw collection, every cluster's. */
export function rawIssues(raw: KubernetesRaw): CollectionIssue[] {
  return raw.clusters.flatMap((c) => c.issues);
}
