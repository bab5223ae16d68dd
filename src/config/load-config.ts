import { existsSync } from 'node:fs';
import { z } from 'zod';
import { ConfigError, foundText, problemsOf, readConfigFile } from './file.js';
import { type Config, ConfigSchema, ENV_KEYS } from './schema.js';

export const DEFAULT_CONFIG_FILE = 'reachgraph.config.json';

/** The file's shape before layering: sections of settings, checked one by one once merged. */
const ConfigFileSchema = z.record(z.string(), z.record(z.string(), z.unknown()));

/** A command's own defaults, below the config file (e.g. `schedule` logs at info by default). */
export type ConfigDefaults = { [Section in keyof Config]?: Partial<Config[Section]> };

/**
 * Command defaults < config file < environment. The file is `--config FILE`, else
 * $REACHGRAPH_CONFIG, else ./reachgraph.config.json if present; it is JSON. Parsed once; a bad value
 * names the key, where it came from and what was expected.
 */
export function loadConfig(
  options: { file?: string; env?: NodeJS.ProcessEnv; defaults?: ConfigDefaults } = {},
): Config {
  const env = options.env ?? process.env;
  const origin = new Map<string, string>();
  const raw: Record<string, Record<string, unknown>> = {};
  for (const [section, values] of Object.entries(options.defaults ?? {})) raw[section] = { ...values };

  const file =
    options.file ??
    env.REACHGRAPH_CONFIG ??
    (existsSync(DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  if (file) {
    const fromFile = readConfigFile(file, {
      schema: ConfigFileSchema,
      title: 'config file',
      syntax: 'json',
      notation: 'dots',
      wording: { unparsable: (name, _syntax, reason) => `${name}: not a valid JSON object: ${reason}` },
    });
    for (const [section, values] of Object.entries(fromFile)) {
      raw[section] = { ...raw[section], ...values };
      for (const key of Object.keys(values)) origin.set(`${section}.${key}`, `config file ${file}`);
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
  const lines = problemsOf(parsed.error, raw).map((problem) => {
    const key = problem.path.join('.');
    // A nested key (aws.accountEnvironments.<id>) comes from where its setting came from.
    const setting = problem.path.slice(0, 2).join('.');
    const from = origin.get(key) ?? origin.get(setting) ?? (file ? `config file ${file}` : 'defaults');
    return `${key || '(top level)'} (from ${from}): ${problem.message}${foundText(problem)}`;
  });
  throw new ConfigError(`invalid configuration:\n  ${lines.join('\n  ')}`);
}
