import type { Logger } from '../logging.js';
import { recordJobRun } from '../records/job-runs.js';
import type { ScheduleConfig } from './config.js';
import { alertJobFailure, executeJob, type JobEnvironment } from './job.js';
import { Scheduler, type TriggerFactory } from './scheduler.js';

/**
 * The scheduler wired to the real steps: each run syncs, reports and alerts through
 * `executeJob`, a failure alerts through the job's sinks, and every run is recorded as a JobRun
 * in the same graph. `reachgraph schedule` and the tests build it here.
 */
export function createJobScheduler(
  schedule: ScheduleConfig,
  env: JobEnvironment,
  options: { logger: Logger; trigger?: TriggerFactory },
): Scheduler {
  return new Scheduler({
    jobs: schedule.jobs,
    logger: options.logger,
    ...(options.trigger ? { trigger: options.trigger } : {}),
    ...(env.now ? { now: env.now } : {}),
    execute: (job, run) => executeJob(job, env, run),
    onFailure: async (job, error, run) => {
      await alertJobFailure(job, error, env, run);
    },
    record: (run) => recordJobRun(env.executor, run),
  });
}
