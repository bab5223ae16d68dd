import type { Command } from 'commander';
import { openGraph } from '../graph/connection.js';
import { namedQueries, runNamedQuery } from '../queries/named-queries.js';
import type { CliContext } from './context.js';
import { json, table } from './output.js';

export function registerQuery(program: Command, context: () => CliContext): void {
  program
    .command('query')
    .description('Run a named query from cypher/queries/ (without a name: list them)')
    .argument('[name]', 'query name')
    .option('-p, --param <key=value...>', 'query parameter; the value is parsed as JSON when it can be')
    .option('--json', 'print JSON')
    .action(async (name: string | undefined, options: { param?: string[]; json?: boolean }) => {
      const { config, output } = context();
      if (!name) {
        const queries = namedQueries().map((q) => ({ name: q.name, description: q.description }));
        output.out(
          options.json
            ? json(queries)
            : table(
                ['NAME', 'DESCRIPTION'],
                queries.map((q) => [q.name, q.description]),
              ),
        );
        return;
      }
      const params = Object.fromEntries((options.param ?? []).map(parseParam));
      const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
      try {
        const rows = await runNamedQuery(graph.executor, name, params);
        if (options.json || rows.length === 0) {
          output.out(options.json ? json(rows) : 'No rows.');
          return;
        }
        const headers = Object.keys(rows[0] ?? {});
        output.out(
          table(
            headers,
            rows.map((r) => headers.map((h) => cell(r[h]))),
          ),
        );
      } finally {
        await graph.close();
      }
    });
}

function parseParam(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq < 1) throw new Error(`--param: expected key=value, got "${text}"`);
  const raw = text.slice(eq + 1);
  try {
    return [text.slice(0, eq), JSON.parse(raw)];
  } catch {
    return [text.slice(0, eq), raw];
  }
}

function cell(value: unknown): string {
  return typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value ?? '');
}
