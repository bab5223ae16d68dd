import { EventEmitter } from 'node:events';
import type { DestinationStream } from 'pino';
import { describe, expect, it, vi } from 'vitest';
import { createLogger } from '../../../src/logging.js';
import type { JobRunRecord } from '../../../src/records/job-runs.js';
import { type JobConfig, parseScheduleConfig } from '../../../src/scheduler/config.js';
import {
  cronTrigger,
  runUntilSignal,
  Scheduler,
  type SchedulerOptions,
  type TriggerFactory,
} from '../../../src/scheduler/scheduler.js';

const JOBS = parseScheduleConfig(
  `
jobs:
  - name: nightly
    cron: "0 3 * * *"
    sync: { aws: { snapshots: [a] } }
    report: { formats: [md], outDir: out }
  - name: hourly
    cron: "0 * * * *"
    sync: { aws: { snapshots: [b] } }
    report: { formats: [json], outDir: out }
`,
  '/tmp/schedule.yaml',
).jobs;
const [NIGHTLY, HOURLY] = JOBS as [JobConfig, JobConfig];

type LogLine = { level: number; msg: string; job?: string; runId?: string; [key: string]: unknown };

function capturedLogger() {
  const lines: LogLine[] = [];
  const destination = {
    write: (line: string) => lines.push(JSON.parse(line)),
  } as unknown as DestinationStream;
  return { logger: createLogger({ level: 'debug', destination }), lines };
}

/** A trigger driven by hand: `fire(name)` is a cron tick of that job. */
function manualTrigger() {
  const ticks = new Map<string, () => void>();
  const stopped: string[] = [];
  const factory: TriggerFactory = (job, onTick) => {
    ticks.set(job.name, onTick);
    return {
      stop: () => {
        stopped.push(job.name);
        ticks.delete(job.name);
      },
      nextRun: () => new Date('2030-01-01T03:00:00Z'),
    };
  };
  return {
    factory,
    stopped,
    fire(name: string) {
      const tick = ticks.get(name);
      if (!tick) throw new Error(`${name} is not scheduled`);
      tick();
    },
    scheduled: () => [...ticks.keys()],
  };
}

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** A scheduler whose job function, alerts, records and clock are the test's. */
function harness(overrides: Partial<SchedulerOptions> = {}) {
  const { logger, lines } = capturedLogger();
  const trigger = manualTrigger();
  let clock = Date.parse('2026-03-01T03:00:00Z');
  const records: JobRunRecord[] = [];
  const failures: { job: string; error: unknown }[] = [];
  const execute = vi.fn<SchedulerOptions['execute']>(async () => ({ reportId: 'report-1' }));
  let run = 0;
  const options: SchedulerOptions = {
    jobs: JOBS,
    logger,
    trigger: trigger.factory,
    now: () => new Date(clock),
    newRunId: () => `run-${++run}`,
    execute,
    onFailure: async (job, error) => {
      failures.push({ job: job.name, error });
    },
    record: async (r) => {
      records.push(r);
    },
    ...overrides,
  };
  return {
    scheduler: new Scheduler(options),
    options,
    logger,
    trigger,
    lines,
    records,
    failures,
    execute,
    advance: (ms: number) => {
      clock += ms;
    },
  };
}

describe('Scheduler', () => {
  it('schedules every job and records a run with its duration from the clock', async () => {
    const h = harness();
    const gate = deferred<{ reportId: string }>();
    h.execute.mockImplementationOnce(() => gate.promise);
    h.scheduler.start();
    expect(h.trigger.scheduled()).toEqual(['nightly', 'hourly']);
    expect(h.lines.filter((l) => l.msg === 'job scheduled').map((l) => [l.job, l.cron, l.nextRun])).toEqual([
      ['nightly', '0 3 * * *', '2030-01-01T03:00:00.000Z'],
      ['hourly', '0 * * * *', '2030-01-01T03:00:00.000Z'],
    ]);

    h.trigger.fire('nightly');
    h.advance(4_250);
    gate.resolve({ reportId: 'report-42' });
    await vi.waitFor(() => expect(h.records).toHaveLength(1));
    expect(h.records[0]).toEqual({
      id: 'run-1',
      job: 'nightly',
      status: 'succeeded',
      startedAt: new Date('2026-03-01T03:00:00Z'),
      finishedAt: new Date('2026-03-01T03:00:04.250Z'),
      durationMs: 4_250,
      error: null,
      reportId: 'report-42',
    });
    expect(h.execute).toHaveBeenCalledWith(NIGHTLY, expect.objectContaining({ runId: 'run-1' }));
    const finished = h.lines.find((l) => l.msg === 'job finished');
    expect(finished).toMatchObject({
      job: 'nightly',
      runId: 'run-1',
      durationMs: 4_250,
      reportId: 'report-42',
    });
    await h.scheduler.stop(1_000);
  });

  it('skips and logs a tick while the same job still runs, but runs other jobs', async () => {
    const h = harness();
    const gate = deferred<{ reportId: string }>();
    h.execute.mockImplementationOnce(() => gate.promise);
    h.scheduler.start();

    h.trigger.fire('nightly');
    expect(h.scheduler.runningJobs()).toEqual(['nightly']);
    // The direct call shows what a second tick gets; the fired one is the cron path.
    expect(await h.scheduler.runJob(NIGHTLY)).toEqual({
      job: 'nightly',
      status: 'skipped',
      reason: 'running',
    });
    h.trigger.fire('nightly');
    const hourly = await h.scheduler.runJob(HOURLY);
    expect(hourly).toMatchObject({ job: 'hourly', status: 'succeeded' });

    const skips = h.lines.filter((l) => l.msg.startsWith('tick skipped'));
    expect(skips).toHaveLength(2);
    expect(skips[0]).toMatchObject({ job: 'nightly', runningRunId: 'run-1' });
    expect(h.execute).toHaveBeenCalledTimes(2); // nightly once, hourly once

    gate.resolve({ reportId: 'r' });
    await vi.waitFor(() => expect(h.scheduler.runningJobs()).toEqual([]));
    // Once the run is over, the next tick runs again.
    expect(await h.scheduler.runJob(NIGHTLY)).toMatchObject({ status: 'succeeded', runId: 'run-3' });
    await h.scheduler.stop(1_000);
  });

  it('alerts and records a failure, then keeps running the job on the next tick', async () => {
    const h = harness();
    const boom = new Error('snapshot directory /nope does not exist');
    h.execute.mockRejectedValueOnce(boom);

    const failed = await h.scheduler.runJob(NIGHTLY);
    expect(failed).toMatchObject({ job: 'nightly', status: 'failed', error: boom.message, reportId: null });
    expect(h.failures).toEqual([{ job: 'nightly', error: boom }]);
    expect(h.records[0]).toMatchObject({ status: 'failed', error: boom.message, reportId: null });
    expect(h.lines.find((l) => l.msg === 'job failed')).toMatchObject({
      job: 'nightly',
      error: boom.message,
    });

    const next = await h.scheduler.runJob(NIGHTLY);
    expect(next).toMatchObject({ status: 'succeeded', reportId: 'report-1' });
    expect(h.failures).toHaveLength(1);
    expect(h.records.map((r) => r.status)).toEqual(['failed', 'succeeded']);
  });

  it('still alerts when the record cannot be written, and survives an alerting error', async () => {
    const alerted: string[] = [];
    const h = harness({
      record: async () => {
        throw new Error('Neo4j unavailable at bolt://db:7687');
      },
      onFailure: async (job) => {
        alerted.push(job.name);
        throw new Error('sink exploded');
      },
    });
    h.execute.mockRejectedValueOnce(new Error('load failed'));
    const outcome = await h.scheduler.runJob(HOURLY);
    expect(outcome).toMatchObject({ status: 'failed', error: 'load failed' });
    expect(alerted).toEqual(['hourly']);
    expect(h.lines.find((l) => l.msg === 'failure alert could not be sent')).toMatchObject({
      error: 'sink exploded',
    });
    expect(h.lines.find((l) => l.msg === 'job run not recorded in the graph')).toMatchObject({
      job: 'hourly',
      error: 'Neo4j unavailable at bolt://db:7687',
    });
  });

  it('runs every job once, in order, for --once', async () => {
    const h = harness();
    const order: string[] = [];
    h.execute.mockImplementation(async (job) => {
      order.push(`start ${job.name}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      order.push(`end ${job.name}`);
      if (job.name === 'hourly') throw new Error('hourly broke');
      return { reportId: `report-${job.name}` };
    });
    const outcomes = await h.scheduler.runAll();
    expect(order).toEqual(['start nightly', 'end nightly', 'start hourly', 'end hourly']);
    expect(outcomes.map((o) => [o.job, o.status])).toEqual([
      ['nightly', 'succeeded'],
      ['hourly', 'failed'],
    ]);
  });
});

describe('graceful stop', () => {
  it('on SIGTERM stops scheduling, waits for the running job, then resolves', async () => {
    const h = harness();
    const gate = deferred<{ reportId: string }>();
    h.execute.mockImplementationOnce(() => gate.promise);
    const signals = new EventEmitter();
    const interrupt = vi.fn();
    let stopped = false;
    const service = runUntilSignal(h.scheduler, h.logger, {
      stopTimeoutMs: 60_000,
      interrupt,
      emitter: signals,
    }).then((result) => {
      stopped = true;
      return result;
    });
    expect(h.trigger.scheduled()).toEqual(['nightly', 'hourly']);
    h.trigger.fire('nightly');

    signals.emit('SIGTERM');
    await vi.waitFor(() => expect(h.trigger.stopped).toEqual(['nightly', 'hourly']));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false); // still waiting for nightly
    expect(h.records).toHaveLength(0);
    // A tick that slipped in after the stop does not start a run.
    expect(await h.scheduler.runJob(HOURLY)).toEqual({
      job: 'hourly',
      status: 'skipped',
      reason: 'stopping',
    });

    gate.resolve({ reportId: 'report-last' });
    expect(await service).toEqual({ signal: 'SIGTERM', drained: true, stillRunning: [] });
    expect(h.records).toMatchObject([{ job: 'nightly', status: 'succeeded', reportId: 'report-last' }]);
    expect(interrupt).not.toHaveBeenCalled();
    expect(signals.listenerCount('SIGTERM') + signals.listenerCount('SIGINT')).toBe(0);
  });

  it('interrupts a job that outlives the stop timeout and waits for it to record the failure', async () => {
    const h = harness();
    const gate = deferred<{ reportId: string }>();
    h.execute.mockImplementationOnce(() => gate.promise);
    const signals = new EventEmitter();
    const interrupt = vi.fn(() => gate.reject(new Error('load interrupted')));
    const service = runUntilSignal(h.scheduler, h.logger, {
      stopTimeoutMs: 30,
      interrupt,
      graceMs: 5_000,
      emitter: signals,
    });
    h.trigger.fire('hourly');
    signals.emit('SIGINT');
    expect(await service).toEqual({ signal: 'SIGINT', drained: false, stillRunning: ['hourly'] });
    expect(interrupt).toHaveBeenCalledTimes(1);
    expect(h.records).toMatchObject([{ job: 'hourly', status: 'failed', error: 'load interrupted' }]);
    expect(h.failures).toHaveLength(1);
  });
});

describe('node-cron trigger', () => {
  it('fires on the cron expression; a tick during a run is skipped, not queued', async () => {
    const h = harness({ trigger: cronTrigger });
    const every = { ...NIGHTLY, cron: '* * * * * *' }; // every second
    const scheduler = new Scheduler({ ...h.options, jobs: [every], now: () => new Date() });
    h.execute.mockImplementation(
      () => new Promise((resolve) => setTimeout(() => resolve({ reportId: 'r' }), 2_300)),
    );
    scheduler.start();
    await vi.waitFor(() => expect(h.records).toHaveLength(1), { timeout: 5_000, interval: 50 });
    await scheduler.stop(5_000);
    // The run took over two seconds: the ticks inside it were skipped, not run afterwards.
    expect(h.execute).toHaveBeenCalledTimes(1);
    expect(h.lines.filter((l) => l.msg.startsWith('tick skipped')).length).toBeGreaterThanOrEqual(1);
  }, 10_000);
});
