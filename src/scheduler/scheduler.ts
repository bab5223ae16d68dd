import type { EventEmitter } from 'node:events';
import { schedule as cronSchedule } from 'node-cron';
import type { Logger } from '../logging.js';
import { newRunId } from '../model/run.js';
import type { JobRunRecord, JobRunStatus } from '../records/job-runs.js';
import type { JobConfig } from './config.js';
import { type JobRunContext, messageOf } from './job.js';

/**
 * Runs jobs on their cron schedules. One run per job at a time: a tick that comes while the job's
 * previous run is still going is skipped and logged (sync and report of one estate must not
 * interleave). A failed run never stops the scheduler: it is alerted, recorded and logged, and the
 * next tick runs the job again. Stopping waits for running jobs, up to a timeout.
 */

/** What fires a job: node-cron in production, a hand-driven stand-in in tests. */
export interface Trigger {
  stop(): void | Promise<void>;
  /** When the job fires next, if known. */
  nextRun?(): Date | null;
}
export type TriggerFactory = (job: JobConfig, onTick: () => void, logger: Logger) => Trigger;

export interface SchedulerOptions {
  jobs: JobConfig[];
  /** The job's steps; throws when one fails. */
  execute(job: JobConfig, run: JobRunContext): Promise<{ reportId: string | null }>;
  /** Tell people a run failed (alertOnFailure); should not throw, and is guarded if it does. */
  onFailure(job: JobConfig, error: unknown, run: JobRunContext): Promise<void>;
  /** Store the run's record (best effort: a failure is logged, nothing else). */
  record(run: JobRunRecord): Promise<void>;
  logger: Logger;
  trigger?: TriggerFactory;
  now?: () => Date;
  newRunId?: (now: Date) => string;
}

export interface JobRunOutcome {
  job: string;
  runId: string;
  status: JobRunStatus;
  durationMs: number;
  error: string | null;
  reportId: string | null;
}

export type TickOutcome = JobRunOutcome | { job: string; status: 'skipped'; reason: 'running' | 'stopping' };

export interface StopResult {
  /** Every running job finished within the timeout. */
  drained: boolean;
  /** Jobs still running when the timeout passed. */
  stillRunning: string[];
}

export class Scheduler {
  private readonly running = new Map<string, { runId: string; done: Promise<JobRunOutcome> }>();
  private triggers: Trigger[] = [];
  private stopping = false;
  private readonly now: () => Date;

  constructor(private readonly options: SchedulerOptions) {
    this.now = options.now ?? (() => new Date());
  }

  /** Schedule every job on its cron expression. */
  start(): void {
    const trigger = this.options.trigger ?? cronTrigger;
    for (const job of this.options.jobs) {
      const logger = this.options.logger.child({ job: job.name });
      const t = trigger(job, () => void this.runJob(job), logger);
      this.triggers.push(t);
      logger.info(
        { cron: job.cron, timezone: job.timezone ?? null, nextRun: t.nextRun?.()?.toISOString() ?? null },
        'job scheduled',
      );
    }
  }

  /** Run every job now, one after the other (`--once`); stops early when the scheduler is stopped. */
  async runAll(): Promise<TickOutcome[]> {
    const outcomes: TickOutcome[] = [];
    for (const job of this.options.jobs) outcomes.push(await this.runJob(job));
    return outcomes;
  }

  /** One tick of one job: a run, unless one is still going or the scheduler is stopping. */
  async runJob(job: JobConfig): Promise<TickOutcome> {
    if (this.stopping) {
      this.options.logger.info({ job: job.name }, 'job not started: the scheduler is stopping');
      return { job: job.name, status: 'skipped', reason: 'stopping' };
    }
    const current = this.running.get(job.name);
    if (current) {
      this.options.logger.warn(
        { job: job.name, runningRunId: current.runId },
        'tick skipped: the previous run of this job is still running',
      );
      return { job: job.name, status: 'skipped', reason: 'running' };
    }
    const startedAt = this.now();
    const runId = (this.options.newRunId ?? defaultRunId)(startedAt);
    const done = this.run(job, runId, startedAt);
    this.running.set(job.name, { runId, done });
    try {
      return await done;
    } finally {
      this.running.delete(job.name);
    }
  }

  /** Names of the jobs running now. */
  runningJobs(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Stop scheduling, then wait for running jobs up to `timeoutMs`. Jobs still running after that
   * are named in the result; the caller decides whether to interrupt them.
   */
  async stop(timeoutMs: number): Promise<StopResult> {
    this.stopping = true;
    const triggers = this.triggers;
    this.triggers = [];
    await Promise.all(triggers.map((t) => t.stop()));
    const pending = [...this.running.values()].map((r) => r.done);
    if (pending.length > 0) {
      this.options.logger.info({ jobs: this.runningJobs(), timeoutMs }, 'waiting for running jobs to finish');
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(pending),
        new Promise((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
        }),
      ]);
      clearTimeout(timer);
    }
    const stillRunning = this.runningJobs();
    return { drained: stillRunning.length === 0, stillRunning };
  }

  /** Wait, without a limit, for the runs still going (after an interrupt asked them to stop). */
  async settled(): Promise<void> {
    await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }

  /** A run never rejects: failures are alerted, recorded and returned. */
  private async run(job: JobConfig, runId: string, startedAt: Date): Promise<JobRunOutcome> {
    const logger = this.options.logger.child({ job: job.name, runId });
    const context: JobRunContext = { runId, logger };
    logger.info({ startedAt: startedAt.toISOString() }, 'job started');
    let status: JobRunStatus = 'succeeded';
    let error: string | null = null;
    let reportId: string | null = null;
    try {
      reportId = (await this.options.execute(job, context)).reportId;
    } catch (failure) {
      status = 'failed';
      error = messageOf(failure);
      try {
        await this.options.onFailure(job, failure, context);
      } catch (alertError) {
        logger.error({ error: messageOf(alertError) }, 'failure alert could not be sent');
      }
    }
    const finishedAt = this.now();
    const durationMs = Math.max(0, finishedAt.getTime() - startedAt.getTime());
    try {
      await this.options.record({
        id: runId,
        job: job.name,
        status,
        startedAt,
        finishedAt,
        durationMs,
        error,
        reportId,
      });
    } catch (recordError) {
      logger.warn({ error: messageOf(recordError) }, 'job run not recorded in the graph');
    }
    const fields = { status, durationMs, reportId, error };
    if (status === 'succeeded') logger.info(fields, 'job finished');
    else logger.error(fields, 'job failed');
    return { job: job.name, runId, status, durationMs, error, reportId };
  }
}

function defaultRunId(now: Date): string {
  return newRunId(now).replace(/^run-/, 'jobrun-');
}

/**
 * node-cron as the trigger. Its own overlap guard stays off: the scheduler's guard skips (and
 * logs) a tick while a run is going, for cron and `--once` alike. Its warnings go to our log.
 */
export const cronTrigger: TriggerFactory = (job, onTick, logger) => {
  const task = cronSchedule(job.cron, () => onTick(), {
    name: job.name,
    ...(job.timezone ? { timezone: job.timezone } : {}),
    logger: {
      info: (message) => logger.debug({ source: 'node-cron' }, message),
      warn: (message) => logger.warn({ source: 'node-cron' }, message),
      error: (message) => logger.error({ source: 'node-cron' }, messageOf(message)),
      debug: (message) => logger.debug({ source: 'node-cron' }, messageOf(message)),
    },
  });
  return { stop: () => task.destroy(), nextRun: () => task.getNextRun() };
};

/**
 * Resolves on the first of `signals` (SIGTERM from Docker or systemd, SIGINT from Ctrl-C) and
 * removes its handlers. `emitter` is the process, or a stand-in in tests.
 */
export function nextSignal(
  signals: NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
  emitter: Pick<EventEmitter, 'once' | 'off'> = process,
): { signal: Promise<NodeJS.Signals>; cancel(): void } {
  const handlers = new Map<NodeJS.Signals, () => void>();
  const cancel = () => {
    for (const [name, handler] of handlers) emitter.off(name, handler);
    handlers.clear();
  };
  const signal = new Promise<NodeJS.Signals>((resolve) => {
    for (const name of signals) {
      const handler = () => {
        cancel();
        resolve(name);
      };
      handlers.set(name, handler);
      emitter.once(name, handler);
    }
  });
  return { signal, cancel };
}

export interface ServiceOptions {
  /** How long a stop waits for a running job before interrupting it. */
  stopTimeoutMs: number;
  /** Ask running jobs to stop now (abort their load); they are then awaited up to `graceMs`. */
  interrupt?: () => void;
  graceMs?: number;
  signals?: NodeJS.Signals[];
  emitter?: Pick<EventEmitter, 'once' | 'off'>;
}

/**
 * The scheduler as a service: start, run until SIGTERM or SIGINT, then stop scheduling and wait
 * for running jobs (interrupting them only after `stopTimeoutMs`). Resolves with the signal.
 */
export async function runUntilSignal(
  scheduler: Scheduler,
  logger: Logger,
  options: ServiceOptions,
): Promise<{ signal: NodeJS.Signals } & StopResult> {
  const { signal } = nextSignal(options.signals, options.emitter);
  scheduler.start();
  const received = await signal;
  logger.info({ signal: received }, 'stopping: no new runs will start');
  const result = await scheduler.stop(options.stopTimeoutMs);
  if (!result.drained) {
    logger.warn(
      { jobs: result.stillRunning, stopTimeoutMs: options.stopTimeoutMs },
      'interrupting jobs still running',
    );
    options.interrupt?.();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      scheduler.settled(),
      new Promise((resolve) => {
        timer = setTimeout(resolve, options.graceMs ?? 10_000);
      }),
    ]);
    clearTimeout(timer);
  }
  logger.info({ drained: result.drained }, 'scheduler stopped');
  return { signal: received, ...result };
}
