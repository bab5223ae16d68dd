import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CliContext, CommandLogging } from './cli/context.js';
import { buildProgram, CommanderError } from './cli/index.js';
import { type Output, stdio } from './cli/output.js';
import { loadConfig } from './config/load-config.js';
import { ReachgraphError } from './errors.js';
import { boundHeapGrowth } from './heap-growth.js';
import { createLogger } from './logging.js';
import { packageRoot } from './package-root.js';

/**
 * The composition root: argv → config (parsed once) → the one logger → command, with V8's heap
 * growth bounded first (heap-growth.ts). Nothing runs at import time. Returns the exit code; an
 * error becomes `reachgraph: <message>` on stderr.
 */
export async function main(argv: string[], output: Output = stdio): Promise<number> {
  // A dense account's analysis allocates fast over a smaller live set: keep the heap near it.
  boundHeapGrowth();
  const version = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')).version as string;
  let context: CliContext | undefined;
  const program = buildProgram((logging?: CommandLogging) => {
    if (!context) {
      const config = loadConfig({
        file: program.opts<{ config?: string }>().config,
        ...(logging ? { defaults: { log: { level: logging.defaultLevel } } } : {}),
      });
      const logger = createLogger({
        level: logging?.level ?? config.log.level,
        destination: logging?.destination ?? 'stderr',
      });
      context = { config, logger, output, exitCode: 0 };
    }
    return context;
  }, version);
  program.configureOutput({
    writeOut: (s) => output.out(s.trimEnd()),
    writeErr: (s) => output.err(s.trimEnd()),
  });
  try {
    await program.parseAsync(argv);
    return context?.exitCode ?? 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode;
    output.err(`reachgraph: ${error instanceof Error ? error.message : String(error)}`);
    // A ReachgraphError's message says it all; anything else is a defect, and its stack helps report it.
    if (!(error instanceof ReachgraphError)) context?.logger.debug({ err: error }, 'unexpected error');
    return context?.exitCode || 1;
  }
}
