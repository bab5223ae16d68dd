import type { Config } from '../config/schema.js';
import type { Logger } from '../logging.js';
import type { Output } from './output.js';

/** What every command gets from the composition root. */
export interface CliContext {
  config: Config;
  logger: Logger;
  output: Output;
  /** A command sets this for a non-zero exit without an error (e.g. `db status` when stopped). */
  exitCode: number;
}
