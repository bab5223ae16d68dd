import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { DETECTORS, detectorNamed } from '../../activity/anomalies/detectors.js';
import { ConfigError, type ConfigFileSpec, describeProblem, readConfigFile } from '../../config/file.js';
import { packageRoot } from '../../package-root.js';
import type { RuleDeclaration } from '../types.js';
import { RESERVED_PARAMETERS, RuleDeclarationSchema } from './schema.js';

/**
 * The rule registry: one YAML file per rule under rules/, each naming a Cypher file under
 * cypher/findings/. Loading checks everything a run would otherwise trip over later: the shape of
 * each file, unique ids, that the named query exists and uses every declared parameter. Every error
 * names the file it comes from.
 */

export function defaultRulesDir(): string {
  return join(packageRoot(), 'rules');
}

/** Where a rule's query lives. */
export function findingsQueryPath(query: string): string {
  return join(packageRoot(), 'cypher', 'findings', `${query}.cypher`);
}

export function loadRules(dir: string = defaultRulesDir()): RuleDeclaration[] {
  if (!existsSync(dir)) throw new ConfigError(`rules directory ${dir} does not exist`, dir);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
    .sort();
  const rules: RuleDeclaration[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const path = join(dir, file);
    const rule = readRuleFile(path);
    const earlier = seen.get(rule.id);
    if (earlier)
      throw new ConfigError(`${path}: rule id "${rule.id}" is already declared in ${earlier}`, path);
    seen.set(rule.id, path);
    rules.push(rule);
  }
  return rules.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** How rule files are read: every problem of a file on one line, in zod's dotted notation. */
const RULE_FILE: ConfigFileSpec<unknown> = {
  schema: RuleDeclarationSchema,
  syntax: 'yaml',
  notation: 'dots',
  wording: {
    invalid: (path, problems, notation) =>
      `${path}: ${problems.map((p) => describeProblem(p, notation)).join('; ')}`,
  },
};

/** One rule file → checked declaration, its query file (or detector) included. */
function readRuleFile(path: string): RuleDeclaration {
  const rule = readConfigFile(path, RULE_FILE) as RuleDeclaration;
  if (rule.detector !== undefined) return checkDetectorRule(path, rule, rule.detector);
  const query = rule.query as string;
  const queryPath = findingsQueryPath(query);
  if (!existsSync(queryPath))
    throw new ConfigError(
      `${path}: rule ${rule.id} names the query "${rule.query}", but ${relative(packageRoot(), queryPath)} does not exist`,
      path,
    );
  const text = readFileSync(queryPath, 'utf8');
  for (const name of Object.keys(rule.parameters)) {
    if ((RESERVED_PARAMETERS as readonly string[]).includes(name))
      throw new ConfigError(`${path}: parameter "${name}" is reserved (the runner sets it)`, path);
    if (!new RegExp(`\\$${name}\\b`).test(text))
      throw new ConfigError(
        `${path}: parameter "${name}" is not used by cypher/findings/${rule.query}.cypher (as $${name})`,
        path,
      );
  }
  return rule;
}

/** An anomaly rule: its detector exists and reads every parameter the rule declares. */
function checkDetectorRule(path: string, rule: RuleDeclaration, name: string): RuleDeclaration {
  const detector = detectorNamed(name);
  if (!detector)
    throw new ConfigError(
      `${path}: rule ${rule.id} names the detector "${name}", which does not exist; known: ${DETECTORS.map((d) => d.name).join(', ')}`,
      path,
    );
  for (const parameter of Object.keys(rule.parameters))
    if (!(parameter in detector.defaults))
      throw new ConfigError(
        `${path}: parameter "${parameter}" is not read by the detector ${name} (it reads ${Object.keys(detector.defaults).join(', ')})`,
        path,
      );
  return rule;
}
