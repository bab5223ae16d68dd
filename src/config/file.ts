import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { ReachgraphError } from '../errors.js';
import { SECRET_KEYS } from '../secrets.js';

/**
 * The one way configuration files are read: read the file → parse it (JSON for `.json`, else YAML,
 * which reads JSON too) → check it with a zod schema. Every failure is a ConfigError naming the
 * file, the place inside it (`jobs[2].sync.aws.snapshots[0]`) and what was expected and found.
 * Unknown keys are errors naming them, because the schemas are strict: a misspelt key must never
 * silently leave a default in place.
 */

/** A bad configuration file or setting. `file` is the file concerned, when there is one. */
export class ConfigError extends ReachgraphError {
  constructor(
    message: string,
    readonly file?: string,
  ) {
    super(message);
  }
}

/** One problem at one place in a configuration; `found` is the offending value when it is worth showing. */
export interface ConfigProblem {
  path: readonly PropertyKey[];
  message: string;
  found?: unknown;
}

/**
 * How a place is written: `jobs[0].cron` (brackets), or zod's `compliance.iso27001.0` (dots), which
 * the application config, rule files and alert sections have always used in their messages.
 */
export type PathNotation = 'brackets' | 'dots';

/** The messages of one kind of file; the defaults suit any file, a few files keep their established wording. */
export interface ConfigWording {
  unreadable(name: string, reason: string): string;
  unparsable(name: string, syntax: string, reason: string): string;
  invalid(name: string, problems: readonly ConfigProblem[], notation: PathNotation): string;
}

export interface ConfigFileSpec<T> {
  schema: z.ZodType<T>;
  /** What the file is, put before its path in messages: "schedule config" → `schedule config /etc/jobs.yaml: …`. */
  title?: string;
  /** Force a syntax instead of choosing by extension. */
  syntax?: 'json' | 'yaml';
  /** The value of an empty file (or one holding only comments); without it, an empty file is checked as nothing. */
  empty?: unknown;
  notation?: PathNotation;
  wording?: Partial<ConfigWording>;
}

const DEFAULT_WORDING: ConfigWording = {
  unreadable: (name, reason) => `${name}: cannot be read: ${reason}`,
  unparsable: (name, syntax, reason) => `${name}: not valid ${syntax}: ${reason}`,
  invalid: (name, problems, notation) =>
    `${name} is invalid:\n  ${problems.map((p) => describeProblem(p, notation)).join('\n  ')}`,
};

export function readConfigFile<T>(file: string, spec: ConfigFileSpec<T>): T {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(wordingOf(spec).unreadable(nameOf(file, spec), (error as Error).message), file);
  }
  return parseConfigFile(file, text, spec);
}

/** The text of a configuration file named `file` (in messages, and to choose the syntax). */
export function parseConfigFile<T>(file: string, text: string, spec: ConfigFileSpec<T>): T {
  const json = (spec.syntax ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'yaml')) === 'json';
  let raw: unknown;
  try {
    raw = json ? JSON.parse(text) : parseYaml(text);
  } catch (error) {
    const reason = (error as Error).message.split('\n')[0] ?? '';
    throw new ConfigError(
      wordingOf(spec).unparsable(nameOf(file, spec), json ? 'JSON' : 'YAML or JSON', reason),
      file,
    );
  }
  if ((raw === null || raw === undefined) && spec.empty !== undefined) raw = spec.empty;
  const parsed = spec.schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  throw invalidConfig(file, problemsOf(parsed.error, raw), spec);
}

/** The error for problems found in `file`, worded as the file's spec says. */
export function invalidConfig(
  file: string,
  problems: readonly ConfigProblem[],
  spec: Pick<ConfigFileSpec<unknown>, 'title' | 'notation' | 'wording'>,
): ConfigError {
  return new ConfigError(
    wordingOf(spec).invalid(nameOf(file, spec), problems, spec.notation ?? 'brackets'),
    file,
  );
}

/** zod's issues as problems, each with the value found at its place in `input`. */
export function problemsOf(error: z.ZodError, input: unknown): ConfigProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path,
    message: issue.message,
    found: issue.path.reduce<unknown>(
      (value, key) =>
        value !== null && typeof value === 'object'
          ? (value as Record<PropertyKey, unknown>)[key]
          : undefined,
      input,
    ),
  }));
}

/** `jobs[0].cron: not a valid cron expression, got "61 * * * *"`. */
export function describeProblem(problem: ConfigProblem, notation: PathNotation = 'brackets'): string {
  return `${pathText(problem.path, notation) || '(top level)'}: ${problem.message}${foundText(problem)}`;
}

export function pathText(path: readonly PropertyKey[], notation: PathNotation = 'brackets'): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number' && notation === 'brackets') return `${out}[${key}]`;
    return out ? `${out}.${String(key)}` : String(key);
  }, '');
}

/**
 * `, got "x"` for a scalar; nothing for objects and lists (the message names the keys concerned) or
 * for a value under a secret key, which an error message must not repeat.
 */
export function foundText(problem: ConfigProblem): string {
  const { found, path } = problem;
  if (found === undefined || (found !== null && typeof found === 'object')) return '';
  const secret = path.some((key) =>
    (SECRET_KEYS as readonly string[]).some((s) => s.toLowerCase() === String(key).toLowerCase()),
  );
  return secret ? '' : `, got ${JSON.stringify(found)}`;
}

function nameOf(file: string, spec: { title?: string }): string {
  return spec.title ? `${spec.title} ${file}` : file;
}

function wordingOf(spec: { wording?: Partial<ConfigWording> }): ConfigWording {
  return { ...DEFAULT_WORDING, ...spec.wording };
}
