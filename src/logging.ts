import pino, { type DestinationStream, type Logger } from 'pino';
import { REDACTED, SECRET_KEYS } from './secrets.js';

export type { Logger };

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * pino's redact paths have no recursive wildcard, so each key is listed at every depth down to the
 * deepest secret a config holds (`jobs[].alerts.sinks[].smtp.auth.pass`, 7 levels) plus one for the
 * object it is logged under (https://getpino.io/#/docs/redaction).
 */
const REDACT_DEPTH = 8;
const REDACT_PATHS = SECRET_KEYS.flatMap((key) =>
  Array.from({ length: REDACT_DEPTH + 1 }, (_, depth) => [...Array(depth).fill('*'), key].join('.')),
);

/**
 * The one logger: JSON lines, secrets censored. Commands log to stderr, so stdout stays for answers
 * (tables, --json) that scripts read; a long-running service (`reachgraph schedule`) logs to stdout,
 * its output being its log as Docker or systemd collect it.
 */
export function createLogger(options: {
  level: LogLevel;
  destination?: 'stdout' | 'stderr' | DestinationStream;
}): Logger {
  const destination = options.destination ?? 'stderr';
  return pino(
    {
      level: options.level,
      base: { app: 'reachgraph' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACT_PATHS, censor: REDACTED },
    },
    typeof destination === 'string' ? pino.destination(destination === 'stdout' ? 1 : 2) : destination,
  );
}

export function parseLogLevel(value: string, flag: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new Error(`${flag}: expected one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
}
