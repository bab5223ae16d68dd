import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/**
 * All Cypher lives in `cypher/`, one statement per file, with a header:
 *   // name: nhi-to-production
 *   // description: Which non-human identities can reach production resources, and how.
 * Values are always `$parameters`. Identifiers that Cypher cannot take as parameters (labels and
 * relationship types in index-backed MATCH/MERGE) are `{{placeholders}}`, filled only with names
 * checked against the graph vocabulary.
 */
export interface CypherFile {
  /** Path under cypher/ without the extension, e.g. `load/merge-nodes`. */
  path: string;
  name: string;
  description: string;
  text: string;
}

const cache = new Map<string, CypherFile>();

export function cypherFile(path: string): CypherFile {
  let file = cache.get(path);
  if (!file) {
    const full = join(packageRoot(), 'cypher', `${path}.cypher`);
    file = withIncludes(parseCypherFile(path, readFileSync(full, 'utf8')));
    cache.set(path, file);
  }
  return file;
}

const INCLUDE = /\{\{include ([\w/-]+)\}\}/g;

/**
 * `{{include folder/name}}` stands for another file's statement text: one fragment shared by several
 * queries (the reachability summary's expansion), so they cannot drift apart.
 */
function withIncludes(file: CypherFile): CypherFile {
  if (!file.text.includes('{{include ')) return file;
  return { ...file, text: file.text.replace(INCLUDE, (_, path: string) => cypherFile(path).text) };
}

/** Every file of one folder of cypher/, sorted by name (e.g. the named queries). */
export function cypherFiles(folder: string): CypherFile[] {
  return readdirSync(join(packageRoot(), 'cypher', folder))
    .filter((f) => f.endsWith('.cypher'))
    .sort()
    .map((f) => cypherFile(`${folder}/${f.slice(0, -'.cypher'.length)}`));
}

export function parseCypherFile(path: string, source: string): CypherFile {
  const header = (key: string) => source.match(new RegExp(`^//\\s*${key}:\\s*(.+)$`, 'm'))?.[1]?.trim();
  const text = source
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('//'))
    .join('\n')
    .trim();
  return { path, name: header('name') ?? path, description: header('description') ?? '', text };
}

// A plain identifier, several labels joined by colons (`Principal:Workload`) or relationship types
// joined by bars (`CAN_ASSUME|RUNS_AS`).
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*([:|][A-Za-z_][A-Za-z0-9_]*)*$/;

/** Fill `{{placeholders}}` with identifiers; anything but a plain identifier is refused. */
export function render(file: CypherFile, identifiers: Record<string, string>): string {
  return file.text.replace(/\{\{(\w+)\}\}/g, (_, key: string) => {
    const value = identifiers[key];
    if (value === undefined) throw new Error(`cypher/${file.path}.cypher: no value for {{${key}}}`);
    if (!IDENTIFIER.test(value))
      throw new Error(`cypher/${file.path}.cypher: "${value}" is not a plain identifier`);
    return value;
  });
}
