import type { Config } from '../config/schema.js';
import type { Logger, LogLevel } from '../logging.js';
import type { Output } from './output.js';

/** What every command gets from the composition root. */
export interface CliContext {
  config: Config;
  logger: Logger;
  output: Output;
  /** A command sets this for a non-zero exit without an error (e.g. `db status` when stopped). */
  exitCode: number;
}

/**
 * How a command logs when not as the others do (stderr, at the configured `log.level`): a service
 * logs to stdout, with its own default level below the config file's `log.level`, and a level flag
 * above it.
 */
export interface CommandLogging {
  destination: 'stdout';
  defaultLevel: LogLevel;
  level?: LogLevel;
}

/** Builds the context on a command's first call, so `--help` needs no config. */
export type ContextFactory = (logging?: CommandLogging) => CliContext;
