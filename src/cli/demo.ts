import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { openGraph } from '../graph/connection.js';
import { loadInventory } from '../graph/loader.js';
import { parseInventoryText } from '../model/validate.js';
import { packageRoot } from '../package-root.js';
import { formatPaths, type PathRow, runNamedQuery } from '../queries/named-queries.js';
import type { CliContext } from './context.js';
import { formatCounts } from './output.js';

export const SAMPLE_INVENTORY = 'examples/sample-inventory.json';

export function registerDemo(program: Command, context: () => CliContext): void {
  program
    .command('demo')
    .description('Load the bundled sample environment into a throw-away local Neo4j and answer one question')
    .action(async () => {
      const { config, output } = context();
      const started = Date.now();
      const file = join(packageRoot(), SAMPLE_INVENTORY);
      const inventory = parseInventoryText(readFileSync(file, 'utf8'), SAMPLE_INVENTORY);
      // A fresh store of its own, so the demo never touches the user's graph (unless NEO4J_URI says where to go).
      const dataDir = config.neo4j.uri ? undefined : mkdtempSync(join(tmpdir(), 'reachgraph-demo-'));
      output.err(
        config.neo4j.uri ? `Using Neo4j at ${config.neo4j.uri} (NEO4J_URI).` : 'Starting a local Neo4j…',
      );
      const graph = await openGraph(config, {
        onProgress: (m) => output.err(m),
        ...(dataDir ? { dataDir } : {}),
      });
      try {
        output.err(
          `Neo4j ${graph.server.version} ready at ${graph.executor.target.uri}. Loading ${SAMPLE_INVENTORY}…`,
        );
        const result = await loadInventory(graph.executor, inventory, { sources: [SAMPLE_INVENTORY] });
        output.out(`Loaded run ${result.runId}: ${formatCounts(result.counts)}\n`);
        output.out('Which non-human identities can reach production data, and how?\n');
        const rows = (await runNamedQuery(graph.executor, 'nhi-to-production')) as unknown as PathRow[];
        output.out(formatPaths(rows));
        output.out(`\n${rows.length} path(s) in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
      } finally {
        await graph.close();
        if (dataDir) rmSync(dataDir, { recursive: true, force: true });
      }
    });
}
