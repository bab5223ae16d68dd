import type { Command } from 'commander';
import { openGraph } from '../graph/connection.js';
import { listRuns } from '../records/collection-runs.js';
import type { CliContext } from './context.js';
import { positiveInteger } from './flags.js';
import { formatCounts, json, table } from './output.js';

export function registerRuns(program: Command, context: () => CliContext): void {
  program
    .command('runs')
    .description('List collection runs, newest first')
    .option('--last <n>', 'how many runs', '20')
    .option('--json', 'print JSON')
    .action(async (options: { last: string; json?: boolean }) => {
      const { config, output } = context();
      const last = positiveInteger(options.last, '--last');
      const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
      try {
        const runs = await listRuns(graph.executor, last);
        if (options.json) {
          output.out(json(runs));
          return;
        }
        if (runs.length === 0) {
          output.out('No runs yet. Load an inventory with `reachgraph load FILE`.');
          return;
        }
        output.out(
          table(
            ['RUN', 'STATUS', 'STARTED', 'FINISHED', 'AS OF', 'SCOPES', 'WRITTEN', 'DELETED', 'ERRORS'],
            runs.map((r) => [
              r.id,
              r.status,
              r.startedAt,
              r.finishedAt ?? '',
              r.asOf ?? '',
              r.scopes.join(' '),
              Object.values(r.counts).reduce((a, b) => a + b, 0),
              formatCounts(r.deleted),
              r.errors.join('; '),
            ]),
          ),
        );
      } finally {
        await graph.close();
      }
    });
}
