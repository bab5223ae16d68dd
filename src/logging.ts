import pino, { type Logger } from 'pino';

export type { Logger };

/** Structured logs go to stderr, so stdout stays for answers (tables, --json) that scripts read. */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'reachgraph' } }, pino.destination(2));
}
