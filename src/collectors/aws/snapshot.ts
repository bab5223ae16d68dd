import type { Dirent } from 'node:fs';
import { mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { jsonPosition } from '../../model/aws/policy-parser.js';
import { DEFAULT_SNAPSHOT_FILE_LIMIT, readSnapshotFile } from '../snapshot-files.js';
import { ACCOUNT_ID_PATTERN, type AwsRaw, type AwsRawScope, emptyScope, REGION_PATTERN } from './raw.js';

/**
 * Snapshot directories (docs/snapshots.md): `<dir>/aws/<account-id>/…` and `<dir>/aws/organization/…`
 * holding the AWS CLI's `--output json` stdout, `<name>.json` per document, the credential report
 * as `iam-credential-report.csv`, and `<name>.error` for a call that failed (its stderr).
 * Reading never throws for one bad file: it is recorded under `errors`, naming the path, and the
 * rest is read. Only regular files are read (a FIFO would block, a link to a device never end),
 * each up to a size limit.
 */

const ORGANIZATION = 'organization';

export interface SnapshotReadOptions {
  /** Largest file read, in bytes (default `DEFAULT_SNAPSHOT_FILE_LIMIT`); a larger one is an error for that file. */
  maxFileBytes?: number;
}

export async function readAwsSnapshot(dir: string, options: SnapshotReadOptions = {}): Promise<AwsRaw> {
  const limit = options.maxFileBytes ?? DEFAULT_SNAPSHOT_FILE_LIMIT;
  const root = join(dir, 'aws');
  let entries: string[];
  try {
    entries = (await readdir(root)).sort();
  } catch (error) {
    throw new Error(`${root}: cannot read the AWS snapshot folder: ${(error as Error).message}`);
  }
  const raw: AwsRaw = { accounts: {} };
  const failures: string[] = [];
  for (const entry of entries) {
    const path = join(root, entry);
    const isScope = entry === ORGANIZATION || ACCOUNT_ID_PATTERN.test(entry);
    let isDirectory: boolean;
    try {
      isDirectory = (await stat(path)).isDirectory();
    } catch (error) {
      // A dangling link named like an account: that account cannot be read; other names are not ours.
      if (isScope) failures.push(`${path}: cannot read the folder: ${(error as Error).message}`);
      continue;
    }
    if (!isDirectory) continue;
    if (entry === ORGANIZATION) raw.organization = await readScope(path, limit);
    else if (isScope) raw.accounts[entry] = await readScope(path, limit);
  }
  if (Object.keys(raw.accounts).length === 0) {
    throw new Error(
      `${root}: no account folder (aws/<12-digit account id>/) in the snapshot${failures.length ? ` (${failures.join('; ')})` : ''}`,
    );
  }
  if (failures.length) raw.failures = failures;
  return raw;
}

/** Snapshot file extensions and what each holds. */
const EXTENSIONS = ['.json', '.csv', '.error'] as const;

async function readScope(folder: string, limit: number): Promise<AwsRawScope> {
  const scope = emptyScope();
  const walk = async (dir: string): Promise<void> => {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      scope.errors[relative(folder, dir)] = `${dir}: cannot read the folder: ${(error as Error).message}`;
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      const name = relative(folder, path).split('\\').join('/');
      const extension = EXTENSIONS.find((e) => entry.name.endsWith(e));
      // Folders are walked only when real (not links), so a link cannot loop the walk.
      if (entry.isDirectory() && extension === undefined) {
        // A command folder (`s3api-get-bucket-policy/`) says the command ran; region folders hold commands.
        if (!REGION_PATTERN.test(entry.name)) scope.ran.push(name);
        await walk(path);
        continue;
      }
      if (extension === undefined) continue;
      const key = name.slice(0, -extension.length);
      const text = await readSnapshotFile(path, limit);
      if (typeof text !== 'string') {
        scope.errors[key] = text.error;
      } else if (extension === '.json') {
        try {
          scope.documents[key] = JSON.parse(text);
        } catch (error) {
          const message = (error as Error).message;
          scope.errors[key] =
            `${path}: malformed JSON (truncated?): ${message}${jsonPosition(text, message)}`;
        }
      } else if (extension === '.csv') {
        scope.documents[key] = text;
      } else {
        scope.errors[key] = text.trim();
      }
    }
  };
  await walk(folder);
  return scope;
}

/** Writes raw data in the snapshot layout; what `readAwsSnapshot` reads back is equal to `raw`. */
export async function writeAwsSnapshot(raw: AwsRaw, dir: string): Promise<void> {
  for (const [accountId, scope] of Object.entries(raw.accounts)) {
    await writeScope(scope, join(dir, 'aws', accountId));
  }
  if (raw.organization) await writeScope(raw.organization, join(dir, 'aws', ORGANIZATION));
}

async function writeScope(scope: AwsRawScope, folder: string): Promise<void> {
  await mkdir(folder, { recursive: true });
  for (const name of scope.ran) await mkdir(join(folder, name), { recursive: true });
  const write = async (name: string, extension: string, text: string) => {
    const path = join(folder, `${name}${extension}`);
    await mkdir(join(path, '..'), { recursive: true });
    await writeFile(path, text);
  };
  for (const [name, document] of Object.entries(scope.documents)) {
    if (typeof document === 'string') await write(name, '.csv', document);
    // The AWS CLI indents its JSON output by four spaces.
    else await write(name, '.json', `${JSON.stringify(document, null, 4)}\n`);
  }
  for (const [name, message] of Object.entries(scope.errors)) await write(name, '.error', `${message}\n`);
}
