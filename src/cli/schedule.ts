import type { Command } from 'commander';
import { activityDatabasePath } from '../activity/store.js';
import { openGraph } from '../graph/connection.js';
import { parseLogLevel } from '../logging.js';
import { readScheduleConfig } from '../scheduler/config.js';
import { messageOf } from '../scheduler/job.js';
import { nextSignal, runUntilSignal } from '../scheduler/scheduler.js';
import { createJobScheduler } from '../scheduler/service.js';
import type { ContextFactory } from './context.js';

interface ScheduleFlags {
  config: string;
  once?: boolean;
  logLevel?: string;
  stopTimeout: string;
}

export function registerSchedule(program: Command, context: ContextFactory): void {
  program
    .command('schedule')
    .description(
      'Run the jobs of a schedule file (sync → report → alerts) on their cron schedules until SIGTERM or SIGINT (docs/scheduling.md)',
    )
    .requiredOption('--config <file>', 'the jobs (YAML or JSON)')
    .option('--once', 'run every job now, one after the other, and exit (non-zero if any failed)')
    .option(
      '--log-level <level>',
      'fatal, error, warn, info, debug, trace or silent (JSON lines on stdout); default: the config log.level, else info',
    )
    .option(
      '--stop-timeout <seconds>',
      'on SIGTERM/SIGINT, how long to let a running job finish before interrupting it',
      '300',
    )
    .action(async (flags: ScheduleFlags) => {
      // Everything is checked before the graph is opened: a bad flag or file fails at once.
      const level = flags.logLevel === undefined ? undefined : parseLogLevel(flags.logLevel, '--log-level');
      const stopTimeoutMs = Number(flags.stopTimeout) * 1000;
      if (!Number.isFinite(stopTimeoutMs) || stopTimeoutMs < 0)
        throw new Error(`--stop-timeout: expected seconds (0 or more), got "${flags.stopTimeout}"`);
      // A service: its output is its log, at info unless the config or --log-level says otherwise.
      const ctx = context({ destination: 'stdout', defaultLevel: 'info', ...(level ? { level } : {}) });
      const schedule = readScheduleConfig(flags.config);
      const logger = ctx.logger.child({ component: 'scheduler' });

      const graph = await openGraph(ctx.config, { onProgress: (message) => logger.info(message) });
      const abort = new AbortController();
      const scheduler = createJobScheduler(
        schedule,
        {
          executor: graph.executor,
          aws: ctx.config.aws,
          kubernetes: ctx.config.kubernetes,
          gcp: ctx.config.gcp,
          owners: ctx.config.owners,
          batchSize: ctx.config.load.batchSize,
          signal: abort.signal,
          activity: {
            database: activityDatabasePath(ctx.config),
            retentionDays: ctx.config.activity.retentionDays,
          },
        },
        { logger },
      );
      try {
        if (flags.once) {
          // A signal during --once lets the current job finish (up to the timeout) and skips the rest.
          const stop = nextSignal();
          void stop.signal.then(async (signal) => {
            logger.info({ signal }, 'stopping after the running job');
            const { drained } = await scheduler.stop(stopTimeoutMs);
            if (!drained) abort.abort(`interrupted by ${signal}`);
          });
          const outcomes = await scheduler.runAll();
          stop.cancel();
          const failed = outcomes.filter((o) => o.status !== 'succeeded');
          logger.info(
            { jobs: outcomes.length, failed: failed.map((o) => o.job) },
            failed.length === 0 ? 'all jobs succeeded' : 'some jobs did not succeed',
          );
          if (failed.length > 0) ctx.exitCode = 1;
        } else {
          await runUntilSignal(scheduler, logger, {
            stopTimeoutMs,
            interrupt: () => abort.abort('interrupted: the scheduler is stopping'),
          });
        }
      } catch (error) {
        logger.fatal({ error: messageOf(error) }, 'scheduler failed');
        throw error;
      } finally {
        await graph.close();
      }
    });
}
