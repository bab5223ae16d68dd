import { existsSync, readFileSync } from 'node:fs';
import { type Config, ConfigSchema, ENV_KEYS } from './schema.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export const DEFAULT_CONFIG_FILE = 'reachgraph.config.json';

/**
 * Defaults < config file < environment. The file is `--config FILE`, else $REACHGRAPH_CONFIG, else
 * ./reachgraph.config.json if present. Parsed once; a bad value names the key, where it came from and
 * what was expected.
 */
export function loadConfig(options: { file?: string; env?: NodeJS.ProcessEnv; cwd?: string } = {}): Config {
  const env = options.env ?? process.env;
  const origin = new Map<string, string>();
  const raw: Record<string, Record<string, unknown>> = {};

  const file =
    options.file ??
    env.REACHGRAPH_CONFIG ??
    (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (file) {
    const fromFile = readConfigFile(file);
    for (const [section, values] of Object.entries(fromFile)) {
      raw[section] = { ...(values as Record<string, unknown>) };
      if (values && typeof values === 'object') {
        for (const key of Object.keys(values)) origin.set(`${section}.${key}`, `config file ${file}`);
      }
    }
  }
  for (const [name, path] of Object.entries(ENV_KEYS)) {
    const value = env[name];
    if (value === undefined || value === '') continue;
    const [section, key] = path.split('.') as [string, string];
    raw[section] = { ...(raw[section] ?? {}), [key]: value };
    origin.set(path, `environment variable ${name}`);
  }

  const parsed = ConfigSchema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.map((issue) => {
    const key = issue.path.join('.');
    // A nested key (aws.accountEnvironments.<id>) comes from where its setting came from.
    const setting = issue.path.slice(0, 2).join('.');
    const from = origin.get(key) ?? origin.get(setting) ?? (file ? `config file ${file}` : 'defaults');
    const got = issue.path.reduce<unknown>(
      (o, p) => (o as Record<string, unknown> | undefined)?.[p as string],
      raw,
    );
    const shown = got === undefined ? '' : `, got ${JSON.stringify(got)}`;
    return `${key || '(top level)'} (from ${from}): ${issue.message}${shown}`;
  });
  throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}

function readConfigFile(file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`config file ${file}: cannot be read: ${(error as Error).message}`);
  }
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value))
      throw new Error('expected a JSON object');
    return value;
  } catch (error) {
    throw new ConfigError(`config file ${file}: not a valid JSON object: ${(error as Error).message}`);
  }
}
