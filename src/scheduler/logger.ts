import pino, { type DestinationStream, type Logger } from 'pino';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/**
 * Keys that may hold secrets if an object carrying them is ever logged by mistake (alert sinks
 * have webhook URLs, HMAC keys and SMTP passwords): pino replaces their values.
 */
const REDACTED = [
  'url',
  'secret',
  'pass',
  'password',
  'token',
  'authorization',
  'headers',
  'credentials',
].flatMap((key) => [key, `*.${key}`, `*.*.${key}`]);

/**
 * The scheduler's logger: one JSON object per line, on stdout unless a destination is given (a
 * long-running service's output is its log, collected by Docker or systemd). Every entry a job
 * writes comes from `logger.child({ job, runId })`, so a run can be followed by its id.
 */
export function createSchedulerLogger(
  options: { level?: LogLevel; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { app: 'reachgraph', component: 'scheduler' },
      timestamp: pino.stdTimeFunctions.isoTime,
      redact: { paths: REDACTED, censor: '[redacted]' },
    },
    options.destination ?? pino.destination(1),
  );
}

export function parseLogLevel(value: string): LogLevel {
  if ((LOG_LEVELS as readonly string[]).includes(value)) return value as LogLevel;
  throw new Error(`--log-level: expected one of ${LOG_LEVELS.join(', ')}, got "${value}"`);
}
