import { mkdir, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { ACCOUNT_ID_PATTERN, type AwsRaw, type AwsRawScope, emptyScope, REGION_PATTERN } from './raw.js';

/**
 * Snapshot directories (docs/snapshots.md): `<dir>/aws/<account-id>/…` and `<dir>/aws/organization/…`
 * holding the AWS CLI's `--output json` stdout, `<name>.json` per document, the credential report
 * as `iam-credential-report.csv`, and `<name>.error` for a call that failed (its stderr).
 * Reading never throws for one bad file: it is recorded under `errors` and the rest is read.
 */

const ORGANIZATION = 'organization';

export async function readAwsSnapshot(dir: string): Promise<AwsRaw> {
  const root = join(dir, 'aws');
  let entries: string[];
  try {
    entries = (await readdir(root)).sort();
  } catch (error) {
    throw new Error(`${root}: cannot read the AWS snapshot folder: ${(error as Error).message}`);
  }
  const raw: AwsRaw = { accounts: {} };
  for (const entry of entries) {
    const path = join(root, entry);
    if (!(await stat(path)).isDirectory()) continue;
    if (entry === ORGANIZATION) raw.organization = await readScope(path);
    else if (ACCOUNT_ID_PATTERN.test(entry)) raw.accounts[entry] = await readScope(path);
  }
  if (Object.keys(raw.accounts).length === 0) {
    throw new Error(`${root}: no account folder (aws/<12-digit account id>/) in the snapshot`);
  }
  return raw;
}

async function readScope(folder: string): Promise<AwsRawScope> {
  const scope = emptyScope();
  const walk = async (dir: string): Promise<void> => {
    for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
      a.name.localeCompare(b.name),
    )) {
      const path = join(dir, entry.name);
      const name = relative(folder, path).split('\\').join('/');
      if (entry.isDirectory()) {
        // A command folder (`s3api-get-bucket-policy/`) says the command ran; region folders hold commands.
        if (!REGION_PATTERN.test(entry.name)) scope.ran.push(name);
        await walk(path);
      } else if (entry.name.endsWith('.json')) {
        const key = name.slice(0, -'.json'.length);
        const text = await readFile(path, 'utf8');
        try {
          scope.documents[key] = JSON.parse(text);
        } catch (error) {
          scope.errors[key] = `${path}: malformed JSON (truncated?): ${(error as Error).message}`;
        }
      } else if (entry.name.endsWith('.csv')) {
        scope.documents[name.slice(0, -'.csv'.length)] = await readFile(path, 'utf8');
      } else if (entry.name.endsWith('.error')) {
        scope.errors[name.slice(0, -'.error'.length)] = (await readFile(path, 'utf8')).trim();
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
