import { Command, CommanderError } from 'commander';
import { registerActivity } from './activity.js';
import { registerAnalyze } from './analyze.js';
import { registerAnomalies } from './anomalies.js';
import type { ContextFactory } from './context.js';
import { registerDb } from './db.js';
import { registerDemo } from './demo.js';
import { registerIngest } from './ingest.js';
import { registerLoad } from './load.js';
import { registerPrintSchema } from './print-schema.js';
import { registerQuery } from './query.js';
import { registerReport } from './report.js';
import { registerRuns } from './runs.js';
import { registerSchedule } from './schedule.js';
import { registerServe } from './serve.js';
import { registerSnapshot } from './snapshot.js';
import { registerSync } from './sync.js';
import { registerToken } from './token.js';

/** The `reachgraph` command tree. `context` is called lazily so `--help` needs no config. */
export function buildProgram(context: ContextFactory, version: string): Command {
  const program = new Command('reachgraph')
    .description('Which non-human identities can reach what, and how.')
    .version(version)
    .option(
      '-c, --config <file>',
      'config file (JSON); default $REACHGRAPH_CONFIG or ./reachgraph.config.json',
    )
    // Global options go before the command, so a command may have its own (`schedule --config`).
    .enablePositionalOptions()
    .exitOverride()
    .showHelpAfterError('(run with --help for usage)');
  registerDb(program, context);
  registerLoad(program, context);
  registerSync(program, context);
  registerSnapshot(program, context);
  registerAnalyze(program, context);
  registerIngest(program, context);
  registerActivity(program, context);
  registerAnomalies(program, context);
  registerRuns(program, context);
  registerQuery(program, context);
  registerReport(program, context);
  registerDemo(program, context);
  registerServe(program, context);
  registerToken(program, context);
  registerSchedule(program, context);
  registerPrintSchema(program, context);
  return program;
}

export { CommanderError };
