import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { packageRoot } from '../../package-root.js';
import type { RuleDeclaration } from '../types.js';
import { RESERVED_PARAMETERS, RuleDeclarationSchema } from './schema.js';

/**
 * The rule registry: one YAML file per rule under rules/, each naming a Cypher file under
 * cypher/findings/. Loading checks everything a run would otherwise trip over later: the shape of
 * each file, unique ids, that the named query exists and uses every declared parameter. Every error
 * names the file it comes from.
 */

export class RuleRegistryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RuleRegistryError';
  }
}

export function defaultRulesDir(): string {
  return join(packageRoot(), 'rules');
}

/** Where a rule's query lives. */
export function findingsQueryPath(query: string): string {
  return join(packageRoot(), 'cypher', 'findings', `${query}.cypher`);
}

export function loadRules(dir: string = defaultRulesDir()): RuleDeclaration[] {
  if (!existsSync(dir)) throw new RuleRegistryError(`rules directory ${dir} does not exist`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const rules: RuleDeclaration[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const path = join(dir, file);
    const rule = parseRuleFile(path, readFileSync(path, 'utf8'));
    const earlier = seen.get(rule.id);
    if (earlier)
      throw new RuleRegistryError(`${path}: rule id "${rule.id}" is already declared in ${earlier}`);
    seen.set(rule.id, path);
    rules.push(rule);
  }
  return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** One rule file: YAML → checked declaration. `path` names the file in errors. */
export function parseRuleFile(path: string, text: string): RuleDeclaration {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (error) {
    throw new RuleRegistryError(`${path}: not valid YAML: ${(error as Error).message.split('\n')[0]}`);
  }
  const parsed = RuleDeclarationSchema.safeParse(raw);
  if (!parsed.success) throw new RuleRegistryError(`${path}: ${describeIssues(parsed.error)}`);
  const rule = parsed.data as RuleDeclaration;
  const queryPath = findingsQueryPath(rule.query);
  if (!existsSync(queryPath))
    throw new RuleRegistryError(
      `${path}: rule ${rule.id} names the query "${rule.query}", but ${relative(packageRoot(), queryPath)} does not exist`,
    );
  const text_ = readFileSync(queryPath, 'utf8');
  for (const name of Object.keys(rule.parameters)) {
    if ((RESERVED_PARAMETERS as readonly string[]).includes(name))
      throw new RuleRegistryError(`${path}: parameter "${name}" is reserved (the runner sets it)`);
    if (!new RegExp(`\\$${name}\\b`).test(text_))
      throw new RuleRegistryError(
        `${path}: parameter "${name}" is not used by cypher/findings/${rule.query}.cypher (as $${name})`,
      );
  }
  return rule;
}

export function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length ? issue.path.join('.') : '(top level)'}: ${issue.message}`)
    .join('; ');
}
