import type { Command } from 'commander';
import { hashToken, newToken } from '../api/auth.js';
import type { CliContext } from './context.js';

export function registerToken(program: Command, context: () => CliContext): void {
  const token = program.command('token').description('API bearer tokens');
  token
    .command('create')
    .description('Print a new random API token once, and the hash line to put in the configuration')
    .option('--name <name>', 'who the token is for', 'default')
    .option('--json', 'print JSON')
    .action((options: { name: string; json?: boolean }) => {
      const { output } = context();
      if (!/^[A-Za-z0-9._-]+$/.test(options.name))
        throw new Error(`--name: use letters, digits, dot, dash or underscore, got "${options.name}"`);
      const value = newToken();
      const entry = { name: options.name, sha256: hashToken(value) };
      if (options.json) {
        output.out(JSON.stringify({ token: value, ...entry }, null, 2));
        return;
      }
      output.out(`token: ${value}`);
      output.out('');
      output.out('This is the only time the token is shown. The server keeps only its hash:');
      output.out(`  config file (api.tokens):  ${JSON.stringify(entry)}`);
      output.out(`  environment:               REACHGRAPH_API_TOKENS=${entry.name}:${entry.sha256}`);
      output.out('Clients send it as "Authorization: Bearer <token>".');
    });
}
