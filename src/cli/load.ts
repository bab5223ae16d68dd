import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { parseInventoryText } from '../model/validate.js';
import { publishInventory } from '../pipeline/publish.js';
import type { CliContext } from './context.js';
import { formatCounts, json, reachabilityLines } from './output.js';
import { batchSizeOf, runGraphLoad } from './progress.js';

export function registerLoad(program: Command, context: () => CliContext): void {
  program
    .command('load')
    .description('Load an Inventory JSON file (docs/inventory.md) into the graph as one collection run')
    .argument('<inventory>', 'path to the inventory JSON file')
    .option('--batch-size <n>', 'rows per transaction (default from config: load.batchSize)')
    .option('--json', 'print the run result as JSON')
    .option('--no-progress', 'do not show progress')
    .option('--no-summary', 'do not recompute the reachability summary the API answers global questions from')
    .action(
      async (
        file: string,
        options: { batchSize?: string; json?: boolean; progress: boolean; summary: boolean },
      ) => {
        const ctx = context();
        const { config, output, logger } = ctx;
        const batchSize = batchSizeOf(options.batchSize, config.load.batchSize);
        let bytes: Buffer;
        try {
          bytes = readFileSync(file);
        } catch (error) {
          throw new Error(`${file}: cannot be read: ${(error as Error).message}`);
        }
        // Validate everything before touching the graph: a bad file loads nothing.
        const inventory = parseInventoryText(bytes, file);
        const result = await runGraphLoad(ctx, options.progress && !options.json, async (graph, hooks) =>
          publishInventory(await graph, inventory, {
            batchSize,
            sources: [file],
            summary: options.summary,
            ...hooks,
          }),
        );
        logger.info({ runId: result.runId, durationMs: result.durationMs }, 'load finished');
        if (options.json) {
          output.out(json(result));
          return;
        }
        output.out(
          [
            `Run ${result.runId} succeeded in ${(result.durationMs / 1000).toFixed(1)} s.`,
            `  written: ${formatCounts(result.counts)}`,
            `  deleted (stale): ${formatCounts(result.deleted)}`,
            `  cleaned scopes: ${result.cleanedScopes.join(', ') || 'none'}`,
            ...reachabilityLines(result.reachability),
            ...(result.interruptedRuns.length
              ? [`  marked interrupted: ${result.interruptedRuns.join(', ')}`]
              : []),
          ].join('\n'),
        );
      },
    );
}
