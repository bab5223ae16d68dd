import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, readConfigFile } from '../../config/file.js';
import type { RuleDeclaration, RuleParameterValue } from '../types.js';
import { RuleParameterValueSchema, SeveritySchema } from './schema.js';

/**
 * Per-installation settings over the shipped rules: switch a rule off, change its severity, tune its
 * thresholds, and name the suppression file. Anything that does not match a rule or a parameter
 * the rule declares is an error, so a typo never silently leaves a default in place.
 */
export const RulesConfigSchema = z.strictObject({
  rules: z
    .record(
      z.string(),
      z.strictObject({
        enabled: z.boolean().optional(),
        severity: SeveritySchema.optional(),
        parameters: z.record(z.string(), RuleParameterValueSchema).optional(),
      }),
    )
    .optional(),
  /** A suppression file (YAML or JSON), see suppressions.ts. */
  suppressions: z.string().optional(),
});
export type RulesConfig = z.infer<typeof RulesConfigSchema>;

/**
 * The rules config file (YAML or JSON; empty means no overrides). A relative `suppressions` path in
 * it is relative to the config file, so the pair can live together wherever the command runs from.
 */
export function readRulesConfig(file: string): RulesConfig {
  const config = readConfigFile(file, {
    schema: RulesConfigSchema,
    title: 'rules config',
    syntax: 'yaml',
    empty: {},
  });
  return config.suppressions === undefined
    ? config
    : { ...config, suppressions: resolve(dirname(file), config.suppressions) };
}

/** The rules as they run: disabled ones left out, severities and parameters overridden. */
export function effectiveRules(rules: RuleDeclaration[], config?: RulesConfig): RuleDeclaration[] {
  const overrides = config?.rules ?? {};
  const known = new Set(rules.map((r) => r.id));
  const unknown = Object.keys(overrides).filter((id) => !known.has(id));
  if (unknown.length > 0)
    throw new ConfigError(
      `rules configuration names unknown rule${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}; known: ${[...known].join(', ')}`,
    );
  const out: RuleDeclaration[] = [];
  for (const rule of rules) {
    const override = overrides[rule.id];
    if (!override) {
      out.push(rule);
      continue;
    }
    if (override.enabled === false) continue;
    const parameters = { ...rule.parameters };
    for (const [name, value] of Object.entries(override.parameters ?? {})) {
      const declared = rule.parameters[name];
      if (declared === undefined)
        throw new ConfigError(
          `rules.${rule.id}.parameters.${name}: rule ${rule.id} has no parameter "${name}"${describeDeclared(rule)}`,
        );
      if (kindOf(declared) !== kindOf(value))
        throw new ConfigError(
          `rules.${rule.id}.parameters.${name}: expected a ${kindOf(declared)} like the default (${JSON.stringify(declared)}), got ${JSON.stringify(value)}`,
        );
      if (typeof value === 'number' && (!Number.isFinite(value) || value < 0))
        throw new ConfigError(
          `rules.${rule.id}.parameters.${name}: expected a non-negative number, got ${value}`,
        );
      parameters[name] = value;
    }
    out.push({
      ...rule,
      parameters,
      ...(override.severity ? { severity: override.severity, severityFixed: true } : {}),
    });
  }
  return out;
}

function kindOf(value: RuleParameterValue): string {
  if (Array.isArray(value)) return 'list of strings';
  if (typeof value === 'number') return Number.isInteger(value) ? 'whole number' : 'number';
  return typeof value;
}

function describeDeclared(rule: RuleDeclaration): string {
  const names = Object.keys(rule.parameters);
  return names.length ? ` (it has ${names.join(', ')})` : ' (it has none)';
}
