import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { ConfigError } from '../config/file.js';
import type { OwnersConfig } from '../config/owners.js';
import { type CodeOwners, parseCodeOwners } from './codeowners.js';
import { readOwnersFile } from './owners-file.js';
import type { OwnerSources } from './resolve.js';

/** What a command adds to the `owners` config: `--owners FILE`, `--codeowners ORG/REPO=FILE`. */
export interface OwnerFlags {
  owners?: string;
  codeowners?: readonly string[];
}

/**
 * The owners file and CODEOWNERS files a run resolves owners from: the flag's owners file, else
 * the config's; CODEOWNERS files from the owners file, then the config, then the flags (a later one
 * replaces an earlier one for the same repository). Reading is the only I/O of owner resolution.
 */
export function readOwnerSources(
  config: OwnersConfig,
  flags: OwnerFlags = {},
): OwnerSources & { warnings: string[] } {
  const warnings: string[] = [];
  const path = flags.owners ?? config.file;
  const file = path ? { name: citeName(path), owners: readOwnersFile(path) } : undefined;
  const files = new Map<string, string>(Object.entries(file?.owners.codeowners ?? {}));
  for (const [repo, codeowners] of Object.entries(config.codeowners)) files.set(repo, codeowners);
  for (const flag of flags.codeowners ?? []) {
    const match = /^([^/\s=]+\/[^/\s=]+)=(.+)$/.exec(flag);
    if (!match) throw new ConfigError(`--codeowners ${flag}: expected ORG/REPO=FILE`);
    files.set(match[1] as string, match[2] as string);
  }
  const codeowners = new Map<string, { name: string; codeowners: CodeOwners }>();
  for (const [repo, path] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (error) {
      throw new ConfigError(`CODEOWNERS of ${repo} ${path}: ${(error as Error).message}`, path);
    }
    const parsed = parseCodeOwners(text);
    const name = `CODEOWNERS ${citeName(path)}`;
    for (const problem of parsed.problems)
      warnings.push(`${name}: ${problem} (line ignored, as GitHub does)`);
    codeowners.set(repo, { name, codeowners: parsed });
  }
  return { ...(file ? { file } : {}), codeowners, keys: config.keys, warnings };
}

/** A path as evidence cites it: relative to the working directory when inside it. */
function citeName(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}
