import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { openGraph } from '../graph/connection.js';
import { loadInventory } from '../graph/loader.js';
import { parseInventoryText } from '../model/validate.js';
import type { CliContext } from './context.js';
import { formatCounts, json } from './output.js';
import { loadProgress } from './progress.js';

export function registerLoad(program: Command, context: () => CliContext): void {
  program
    .command('load')
    .description('Load an Inventory JSON file (docs/inventory.md) into the graph as one collection run')
    .argument('<inventory>', 'path to the inventory JSON file')
    .option('--batch-size <n>', 'rows per transaction (default from config: load.batchSize)')
    .option('--json', 'print the run result as JSON')
    .option('--no-progress', 'do not show progress')
    .action(async (file: string, options: { batchSize?: string; json?: boolean; progress: boolean }) => {
      const ctx = context();
      const { config, output, logger } = ctx;
      const batchSize = options.batchSize === undefined ? config.load.batchSize : Number(options.batchSize);
      if (!Number.isSafeInteger(batchSize) || batchSize < 1) {
        throw new Error(`--batch-size: expected a positive integer, got "${options.batchSize}"`);
      }
      let text: string;
      try {
        text = readFileSync(file, 'utf8');
      } catch (error) {
        throw new Error(`${file}: cannot be read: ${(error as Error).message}`);
      }
      // Validate everything before touching the graph: a bad file loads nothing.
      const inventory = parseInventoryText(text, file);
      const graph = await openGraph(config, { onProgress: (m) => output.err(m) });
      const abort = new AbortController();
      const onSignal = (signal: NodeJS.Signals) => abort.abort(`interrupted by ${signal}`);
      process.once('SIGINT', onSignal);
      process.once('SIGTERM', onSignal);
      const progress = loadProgress(output, options.progress && !options.json);
      try {
        const result = await loadInventory(graph.executor, inventory, {
          batchSize,
          sources: [file],
          signal: abort.signal,
          onProgress: (p) => progress.update(p),
        });
        progress.stop();
        logger.info({ runId: result.runId, durationMs: result.durationMs }, 'load finished');
        if (options.json) {
          output.out(json(result));
        } else {
          output.out(
            [
              `Run ${result.runId} succeeded in ${(result.durationMs / 1000).toFixed(1)} s.`,
              `  written: ${formatCounts(result.counts)}`,
              `  deleted (stale): ${formatCounts(result.deleted)}`,
              `  cleaned scopes: ${result.cleanedScopes.join(', ') || 'none'}`,
              ...(result.interruptedRuns.length
                ? [`  marked interrupted: ${result.interruptedRuns.join(', ')}`]
                : []),
            ].join('\n'),
          );
        }
      } catch (error) {
        progress.stop();
        if (abort.signal.aborted) ctx.exitCode = 130;
        throw error;
      } finally {
        process.off('SIGINT', onSignal);
        process.off('SIGTERM', onSignal);
        await graph.close();
      }
    });
}
