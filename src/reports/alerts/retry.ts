import { setTimeout as delay } from 'node:timers/promises';
import { ReachgraphError } from '../../errors.js';
import { errorMessage } from './message.js';

/**
 * A delivery failure. `retryable` is false when trying again cannot help within this run (an HTTP
 * 4xx other than 408/429, an SMTP 5xx, a missing secret); such a delivery still goes to the outbox.
 */
export class DeliveryError extends ReachgraphError {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

export interface RetryOptions {
  attempts: number;
  baseDelayMs: number;
  /** Injected in tests; defaults to a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

export type RetryResult =
  | { ok: true; attempts: number }
  /** `retryable`: the last failure looked transient (the endpoint is down or overloaded). */
  | { ok: false; attempts: number; error: string; retryable: boolean };

/** Longest single wait, whatever the base delay and attempt count. */
const MAX_DELAY_MS = 60_000;

/** Wait before try `attempt` (2, 3, …): base, 2×base, 4×base…, capped. */
export function backoffDelay(attempt: number, baseDelayMs: number): number {
  return Math.min(MAX_DELAY_MS, baseDelayMs * 2 ** Math.max(0, attempt - 2));
}

/** Runs `send` until it succeeds, fails with a non-retryable error, or the attempts run out. Never throws. */
export async function withRetry(send: () => Promise<void>, options: RetryOptions): Promise<RetryResult> {
  const sleep = options.sleep ?? ((ms: number) => delay(ms));
  const attempts = Math.max(1, options.attempts);
  let lastError = 'not attempted';
  let retryable = true;
  for (let attempt = 1; attempt <= attempts; attempt += 1) {
    if (attempt > 1) await sleep(backoffDelay(attempt, options.baseDelayMs));
    try {
      await send();
      return { ok: true, attempts: attempt };
    } catch (error) {
      lastError = errorMessage(error);
      retryable = !(error instanceof DeliveryError) || error.retryable;
      if (!retryable) return { ok: false, attempts: attempt, error: lastError, retryable };
    }
  }
  return { ok: false, attempts, error: lastError, retryable };
}
