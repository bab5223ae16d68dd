import type { Command } from 'commander';
import { hashToken, newToken } from '../api/auth.js';
import { TokenScope } from '../api/token-scope.js';
import { ApiTokenSchema, type TokenScopeConfig } from '../config/api.js';
import { problemsOf } from '../config/file.js';
import type { CliContext } from './context.js';

/** `--scope` kinds and the scope lists they add to (docs/api.md#scoped-tokens). */
const SCOPE_KINDS: Record<string, keyof TokenScopeConfig> = {
  provider: 'providers',
  account: 'accounts',
  project: 'projects',
  cluster: 'clusters',
  namespace: 'namespaces',
};

/** `--scope account=111111111111,222222222222 --scope namespace=prod-payments/payments` → a scope. */
export function parseScopeOptions(values: readonly string[]): TokenScopeConfig | undefined {
  if (values.length === 0) return undefined;
  const scope: Record<string, string[]> = {};
  for (const value of values) {
    const at = value.indexOf('=');
    const kind = value.slice(0, at).trim();
    const list = SCOPE_KINDS[kind];
    const items = value
      .slice(at + 1)
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean);
    if (at < 1 || !list || items.length === 0)
      throw new Error(
        `--scope: expected KIND=VALUE[,VALUE…] with KIND one of ${Object.keys(SCOPE_KINDS).join(', ')}, got "${value}"`,
      );
    scope[list] = [...new Set([...(scope[list] ?? []), ...items])];
  }
  return scope as TokenScopeConfig;
}

export function registerToken(program: Command, context: () => CliContext): void {
  const token = program.command('token').description('API bearer tokens');
  token
    .command('create')
    .description('Print a new random API token once, and the entry to put in the configuration')
    .option('--name <name>', 'who the token is for', 'default')
    .option(
      '--scope <kind=values>',
      'only this part of the estate: provider=aws|gcp|kubernetes, account=ID, project=ID, cluster=NAME, namespace=CLUSTER/NS (repeatable; values comma-separated); a scoped token is read only',
      (value: string, previous: string[]) => [...previous, value],
      [] as string[],
    )
    .option('--read-only', 'queries only, no mutation (implied by --scope)')
    .option('--json', 'print JSON')
    .action((options: { name: string; scope: string[]; readOnly?: boolean; json?: boolean }) => {
      const { output } = context();
      if (!/^[A-Za-z0-9._-]+$/.test(options.name))
        throw new Error(`--name: use letters, digits, dot, dash or underscore, got "${options.name}"`);
      const scope = parseScopeOptions(options.scope);
      const value = newToken();
      const candidate = {
        name: options.name,
        sha256: hashToken(value),
        ...(options.readOnly || scope ? { readOnly: true } : {}),
        ...(scope ? { scope } : {}),
      };
      // The entry is checked as the server will read it, so a bad scope fails here, not at `serve`.
      const parsed = ApiTokenSchema.safeParse(candidate);
      if (!parsed.success)
        throw new Error(
          `--scope: ${problemsOf(parsed.error, candidate)
            .map((p) => `${p.path.join('.')}: ${p.message}`)
            .join('; ')}`,
        );
      const entry = parsed.data;
      if (options.json) {
        output.out(JSON.stringify({ token: value, ...entry }, null, 2));
        return;
      }
      output.out(`token: ${value}`);
      output.out('');
      output.out('This is the only time the token is shown. The server keeps only its hash:');
      output.out(`  config file (api.tokens):  ${JSON.stringify(entry)}`);
      if (entry.scope || entry.readOnly)
        output.out('  (a scoped or read-only token is configured in the config file only)');
      else output.out(`  environment:               REACHGRAPH_API_TOKENS=${entry.name}:${entry.sha256}`);
      if (entry.scope)
        output.out(`It sees only: ${new TokenScope(entry.scope).describe()} (docs/api.md#scoped-tokens).`);
      output.out('Clients send it as "Authorization: Bearer <token>".');
    });
}
