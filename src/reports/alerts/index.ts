import type { Logger } from '../../logging.js';
import type { Report } from '../types.js';
import {
  type AlertSink,
  type AlertsConfig,
  DEFAULT_MIN_SEVERITY,
  DEFAULT_RETRY,
  defaultOutboxDir,
  type RetryPolicy,
} from './config.js';
import { sendEmail } from './email.js';
import type { FetchLike } from './http.js';
import {
  type AlertEvent,
  type AlertPayload,
  errorMessage,
  jobFailedPayload,
  newFindingsPayload,
  payloadForSink,
} from './message.js';
import { newOutboxItem, Outbox, type OutboxEntry, type OutboxItem } from './outbox.js';
import { withRetry } from './retry.js';
import { sendSlack } from './slack.js';
import { sendWebhook } from './webhook.js';

/**
 * Alerting after a report or a failed run. Both entry points first retry what earlier runs could
 * not deliver (the outbox), then send the new alert to every sink; they never throw and never
 * block the report: what cannot be delivered now is queued in the outbox for the next run.
 */

export {
  type AlertSink,
  AlertSinkSchema,
  type AlertsConfig,
  AlertsConfigSchema,
  defaultOutboxDir,
  type EmailSink,
  parseAlertsConfig,
  type SlackSink,
  type WebhookSink,
} from './config.js';
export {
  type AlertEvent,
  type AlertFinding,
  type AlertPayload,
  alertableFindings,
  jobFailedPayload,
  newFindingsPayload,
} from './message.js';
export { slackMessage } from './slack.js';
export { signWebhook, verifyWebhookSignature } from './webhook.js';

export interface AlertOutcome {
  /** Sink name. */
  sink: string;
  event: AlertEvent;
  /**
   * delivered: the sink accepted it; queued: kept in the outbox for the next run; skipped: a
   * pending alert whose sink is no longer configured, dropped; failed: undeliverable and the
   * outbox could not be written either (the only way an alert is lost; logged as an error).
   */
  status: 'delivered' | 'queued' | 'skipped' | 'failed';
  /** Tries made by this call (0 when the sink had already failed in this call). */
  attempts: number;
  error?: string;
  /** Outbox item id, also sent as X-Reachgraph-Delivery by webhooks: stable across retries. */
  deliveryId: string;
  /** True for an alert from an earlier run, retried from the outbox. */
  fromOutbox: boolean;
}

export interface AlertOptions {
  /** HTTP client for the Slack and webhook sinks (default: global fetch). */
  fetch?: FetchLike;
  /** Fixed clock (tests); default: the time of each step. */
  now?: Date;
  /** Overrides config.retry. */
  retry?: Partial<RetryPolicy>;
  /** Where secretEnv/passEnv are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Warnings (dropped or unreadable outbox items) and per-delivery results; secrets never appear. */
  logger?: Logger;
  /** Waits between tries (tests). */
  sleep?: (ms: number) => Promise<void>;
}

/** Alerts on the report's new, unsuppressed findings at or above config.minSeverity (default high). */
export async function alertOnReport(
  report: Report,
  config: AlertsConfig,
  options: AlertOptions = {},
): Promise<AlertOutcome[]> {
  return safely(config, options, 'report.new-findings', report.job, () =>
    newFindingsPayload(report, config.minSeverity ?? DEFAULT_MIN_SEVERITY),
  );
}

/** One job.failed alert per sink. */
export async function alertOnFailure(
  job: string,
  error: unknown,
  config: AlertsConfig,
  options: AlertOptions = {},
): Promise<AlertOutcome[]> {
  return safely(config, options, 'job.failed', job, () =>
    jobFailedPayload(job, error, options.now ?? new Date()),
  );
}

async function safely(
  config: AlertsConfig,
  options: AlertOptions,
  event: AlertEvent,
  job: string | null,
  payload: () => AlertPayload | null,
): Promise<AlertOutcome[]> {
  const outcomes: AlertOutcome[] = [];
  try {
    await run(config, options, job, payload(), outcomes);
  } catch (error) {
    const message = `alerting failed: ${errorMessage(error)}`;
    options.logger?.error({ event, err: message }, 'alerting failed');
    outcomes.push({
      sink: '*',
      event,
      status: 'failed',
      attempts: 0,
      error: message,
      deliveryId: '',
      fromOutbox: false,
    });
  }
  return outcomes;
}

interface Context {
  outbox: Outbox;
  retry: RetryPolicy;
  options: AlertOptions;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

async function run(
  config: AlertsConfig,
  options: AlertOptions,
  job: string | null,
  payload: AlertPayload | null,
  outcomes: AlertOutcome[],
): Promise<void> {
  const env = options.env ?? process.env;
  const context: Context = {
    outbox: new Outbox(config.outbox ?? defaultOutboxDir(env)),
    retry: { ...DEFAULT_RETRY, ...config.retry, ...options.retry },
    options,
    env,
    now: () => options.now ?? new Date(),
  };

  let entries: OutboxEntry[] = [];
  try {
    const pending = await context.outbox.pending();
    // Jobs may share an outbox with different sinks: each handles only its own pending alerts.
    entries = pending.entries.filter((entry) => entry.item.job === job);
    for (const warning of pending.warnings) warn(options, warning);
  } catch (error) {
    // An unreadable outbox must not stop the new alert; what fails now is reported per sink.
    warn(options, `cannot read the alert outbox ${context.outbox.dir}: ${errorMessage(error)}`);
  }

  const sinks = new Map(config.sinks.map((sink) => [sink.name, sink]));
  for (const entry of entries.filter((e) => !sinks.has(e.item.sink))) {
    outcomes.push(await dropOrphan(context, entry));
  }

  const perSink = await Promise.all(
    config.sinks.map(async (sink) => {
      const sinkOutcomes: AlertOutcome[] = [];
      const pending = entries.filter((e) => e.item.sink === sink.name);
      try {
        await deliverToSink(
          context,
          sink,
          pending,
          payloadForSink(payload, sink.name, config.owners),
          sinkOutcomes,
        );
      } catch (error) {
        // An outbox file operation failed mid-way: report it for this sink, keep the others going.
        const event = payload?.event ?? pending[0]?.item.event ?? 'report.new-findings';
        const message = `outbox ${context.outbox.dir}: ${errorMessage(error)}`;
        sinkOutcomes.push({
          sink: sink.name,
          event,
          status: 'failed',
          attempts: 0,
          error: message,
          deliveryId: '',
          fromOutbox: false,
        });
      }
      for (const outcome of sinkOutcomes) log(options, outcome);
      return sinkOutcomes;
    }),
  );
  outcomes.push(...perSink.flat());
}

/** A pending alert whose sink was removed from the configuration: reported and dropped. */
async function dropOrphan(context: Context, entry: OutboxEntry): Promise<AlertOutcome> {
  const { item } = entry;
  let error = `sink "${item.sink}" is no longer configured: pending ${item.event} alert from ${item.createdAt} dropped`;
  try {
    if (await context.outbox.claim(entry)) await context.outbox.complete(entry);
  } catch (cause) {
    error += ` (its file could not be removed: ${errorMessage(cause)})`;
  }
  warn(context.options, error);
  return {
    sink: item.sink,
    event: item.event,
    status: 'skipped',
    attempts: 0,
    error,
    deliveryId: item.id,
    fromOutbox: true,
  };
}

/** Older alerts first, then the new one; once the sink looks down, the rest is queued untried. */
async function deliverToSink(
  context: Context,
  sink: AlertSink,
  pending: OutboxEntry[],
  payload: AlertPayload | null,
  outcomes: AlertOutcome[],
): Promise<void> {
  let down: string | null = null;

  for (const entry of pending) {
    if (!(await context.outbox.claim(entry))) continue; // another run is delivering it
    const { item } = entry;
    const base = { sink: sink.name, event: item.event, deliveryId: item.id, fromOutbox: true };
    if (down) {
      await context.outbox.release(entry, item);
      outcomes.push({ ...base, status: 'queued', attempts: 0, error: `not attempted: ${down}` });
      continue;
    }
    const result = await withRetry(() => send(context, sink, item.payload, item.id), retryOptions(context));
    if (result.ok) {
      await context.outbox.complete(entry);
      outcomes.push({ ...base, status: 'delivered', attempts: result.attempts });
    } else {
      await context.outbox.release(entry, {
        ...item,
        sink: sink.name,
        sinkType: sink.type,
        attempts: item.attempts + result.attempts,
        lastError: result.error,
        updatedAt: context.now().toISOString(),
      });
      outcomes.push({ ...base, status: 'queued', attempts: result.attempts, error: result.error });
      if (result.retryable) down = result.error;
    }
  }

  if (payload) {
    const item = newOutboxItem(sink, payload, context.now());
    const base = { sink: sink.name, event: item.event, deliveryId: item.id, fromOutbox: false };
    if (down) {
      outcomes.push(await queue(context, { ...item, lastError: `not attempted: ${down}` }, base, 0));
    } else {
      const result = await withRetry(() => send(context, sink, payload, item.id), retryOptions(context));
      if (result.ok) {
        outcomes.push({ ...base, status: 'delivered', attempts: result.attempts });
      } else {
        const failed = { ...item, attempts: result.attempts, lastError: result.error };
        outcomes.push(await queue(context, failed, base, result.attempts));
      }
    }
  }
}

async function queue(
  context: Context,
  item: OutboxItem,
  base: Pick<AlertOutcome, 'sink' | 'event' | 'deliveryId' | 'fromOutbox'>,
  attempts: number,
): Promise<AlertOutcome> {
  try {
    await context.outbox.add(item);
    return { ...base, status: 'queued', attempts, error: item.lastError };
  } catch (error) {
    return {
      ...base,
      status: 'failed',
      attempts,
      error: `${item.lastError}; could not be queued in ${context.outbox.dir}: ${errorMessage(error)}`,
    };
  }
}

function retryOptions(context: Context) {
  return { ...context.retry, ...(context.options.sleep ? { sleep: context.options.sleep } : {}) };
}

function send(context: Context, sink: AlertSink, payload: AlertPayload, deliveryId: string): Promise<void> {
  switch (sink.type) {
    case 'slack':
      return sendSlack(sink, payload, context.options.fetch);
    case 'webhook':
      return sendWebhook(sink, payload, {
        deliveryId,
        now: context.now(),
        env: context.env,
        fetch: context.options.fetch,
      });
    case 'email':
      return sendEmail(sink, payload, context.env);
  }
}

function warn(options: AlertOptions, message: string): void {
  if (options.logger) options.logger.warn(message);
  else process.emitWarning(message, { code: 'REACHGRAPH_ALERTS' });
}

function log(options: AlertOptions, outcome: AlertOutcome): void {
  const fields = {
    sink: outcome.sink,
    event: outcome.event,
    status: outcome.status,
    attempts: outcome.attempts,
    deliveryId: outcome.deliveryId,
    fromOutbox: outcome.fromOutbox,
    ...(outcome.error ? { error: outcome.error } : {}),
  };
  if (outcome.status === 'delivered') options.logger?.info(fields, 'alert delivered');
  else if (outcome.status === 'queued') options.logger?.warn(fields, 'alert queued in the outbox');
  else if (outcome.status === 'failed')
    options.logger?.error(fields, 'alert lost: the outbox could not be written');
}
