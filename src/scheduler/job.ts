import { join } from 'node:path';
import { ingestCloudTrail } from '../activity/aws/ingest.js';
import { ingestGcpAudit } from '../activity/gcp/ingest.js';
import {
  type ActivitySummaryResult,
  refreshActivitySummary,
  writeActivitySummary,
} from '../activity/graph-summary.js';
import type { IngestRunResult } from '../activity/ingest-run.js';
import { ingestKubernetesAudit } from '../activity/kubernetes/ingest.js';
import { type ActivitySource, ActivityStore } from '../activity/store.js';
import type { AwsConfig } from '../config/aws.js';
import { type GcpConfig, GcpConfigSchema } from '../config/gcp.js';
import { type KubernetesConfig, KubernetesConfigSchema } from '../config/kubernetes.js';
import { type OwnersConfig, OwnersConfigSchema } from '../config/owners.js';
import type { GraphExecutor } from '../graph/executor.js';
import type { Logger } from '../logging.js';
import { readCreators } from '../owners/creators.js';
import { readOwnerSources } from '../owners/sources.js';
import { type ProviderJob, providerJob, type SyncResult, syncProviders } from '../pipeline/sync.js';
import { awsProvider } from '../providers/aws/index.js';
import { type AwsSource, awsSourceOf, snapshotSource } from '../providers/aws/source.js';
import { type GcpRequest, gcpProvider, gcpRequest } from '../providers/gcp/index.js';
import {
  type KubernetesRequest,
  kubernetesProvider,
  kubernetesRequest,
} from '../providers/kubernetes/index.js';
import { recordReport } from '../records/report-runs.js';
import {
  type AlertOptions,
  type AlertOutcome,
  alertOnFailure,
  alertOnReport,
} from '../reports/alerts/index.js';
import { buildReport } from '../reports/build.js';
import { reportFileExtension } from '../reports/format/index.js';
import { writeReportFiles } from '../reports/output.js';
import type { ReportFormat } from '../reports/types.js';
import type { ActivityStep, JobConfig } from './config.js';

/**
 * One run of a job: sync every source → ingest its activity logs and write the activity summary →
 * build the report → write its files → record it → alert
 * on what is new. Any step that throws fails the run (the scheduler alerts and records that);
 * nothing here deletes: the loader keeps the graph of a failed load, and report files are only
 * replaced by complete new ones.
 */

export interface JobEnvironment {
  executor: GraphExecutor;
  /** The AWS settings of the application config: live defaults and account environments. */
  aws: AwsConfig;
  /** The Kubernetes settings of the application config: kubeconfig, contexts, users' groups, cluster environments. */
  kubernetes?: KubernetesConfig;
  /** The GCP settings of the application config: live scope, credentials, project environments. */
  gcp?: GcpConfig;
  batchSize?: number;
  /** Aborted when the scheduler stops and will not wait any longer: the load stops as interrupted. */
  signal?: AbortSignal;
  now?: () => Date;
  /** Passed to the alert sinks (tests: a short retry policy, a fixed clock). */
  alertOptions?: AlertOptions;
  /** The owner settings of the application config (owners file, CODEOWNERS files, keys; docs/owners.md). */
  owners?: OwnersConfig;
  /** The activity store (config `activity.*`): a job's `activity` step ingests into it, and every run's summary comes from it. */
  activity?: { database: string; retentionDays: number };
}

export interface JobRunContext {
  runId: string;
  /** A child logger already carrying the job name and run id. */
  logger: Logger;
}

export interface JobResult {
  reportId: string;
  /** Collection runs the sync step recorded, one per run of sources (syncRuns). */
  collectionRuns: string[];
  /** What the `activity` step ingested, one result per log source, when the job has one. */
  activity?: ActivityIngestResult[];
  files: string[];
  findings: number;
  newFindings: number;
  alerts: AlertOutcome[];
}

export async function executeJob(
  job: JobConfig,
  env: JobEnvironment,
  run: JobRunContext,
): Promise<JobResult> {
  const now = env.now ?? (() => new Date());
  const collectionRuns: string[] = [];
  let allLoaded = true;
  const runs = syncRuns(job, env);
  // Read at every run: an owners file edited between runs counts from the next one.
  const { warnings, ...owners } = readOwnerSources(
    env.owners ?? OwnersConfigSchema.parse({}),
    job.owners ? { owners: job.owners } : {},
  );
  for (const warning of warnings) run.logger.warn({ step: 'sync' }, warning);
  // The creators the activity store names: logs ingested by this run count from the next one.
  const creators = env.activity
    ? await readCreators(env.activity.database).catch((error: Error) => {
        run.logger.warn({ step: 'sync' }, `creators from the activity store not read: ${error.message}`);
        return undefined;
      })
    : undefined;
  if (creators && creators.size > 0) Object.assign(owners, { creators });
  for (const [index, providers] of runs.entries()) {
    const last = index === runs.length - 1;
    const source = providers.map((p) => p.source).join(' + ');
    const result = await step(
      run.logger,
      'sync',
      { source },
      () =>
        syncProviders(env.executor, providers, {
          ...(env.batchSize ? { batchSize: env.batchSize } : {}),
          ...(env.signal ? { signal: env.signal } : {}),
          // The reachability summary covers the whole graph: computing it once, after the last load, is enough.
          summary: last,
          owners,
        }),
      syncCounts,
    );
    collectionRuns.push(result.load.runId);
    if (result.load.status !== 'succeeded') allLoaded = false;
    const incomplete = result.scopes.filter((a) => !a.complete).map((a) => a.id);
    if (incomplete.length > 0)
      run.logger.warn(
        { step: 'sync', source, scopes: incomplete, errors: errorCount(result) },
        'sync left scopes incomplete: their previously loaded data is kept',
      );
  }

  const activity = await activityStep(job, env, run, collectionRuns.length > 0 && allLoaded);

  // Built without recording: a report whose files cannot be written is not the one the next run
  // diffs against, so its new findings still alert next time.
  const report = await step(
    run.logger,
    'report',
    {},
    () =>
      buildReport(env.executor, {
        config: job.report.rules,
        suppressionsFile: job.report.suppressions,
        job: job.name,
        now: now(),
        record: false,
        ...(env.activity ? { activityDatabase: env.activity.database } : {}),
      }),
    (r) => ({
      reportId: r.id,
      findings: r.summary.total,
      suppressed: r.summary.suppressed,
      newFindings: r.diff.newFindings.length,
      resolvedFindings: r.diff.resolvedFindings.length,
    }),
  );
  const files = await step(
    run.logger,
    'write',
    { formats: job.report.formats },
    () => writeReportFiles(report, reportTargets(job)),
    (paths) => ({ files: paths.length }),
  );
  await step(
    run.logger,
    'record',
    { reportId: report.id },
    () => recordReport(env.executor, report, job.report.keep === undefined ? {} : { keep: job.report.keep }),
    () => ({}),
  );
  const alerts = job.alerts
    ? await step(
        run.logger,
        'alert',
        { sinks: job.alerts.sinks.length },
        () =>
          alertOnReport(report, job.alerts as NonNullable<JobConfig['alerts']>, {
            logger: run.logger,
            ...env.alertOptions,
          }),
        alertCounts,
      )
    : [];
  return {
    reportId: report.id,
    collectionRuns,
    ...(activity ? { activity } : {}),
    files,
    findings: report.summary.total,
    newFindings: report.diff.newFindings.length,
    alerts,
  };
}

/**
 * The job's `activity` step: its CloudTrail, Cloud Audit Logs and Kubernetes audit paths, each
 * ingested with the same function as its `reachgraph ingest` command (only files not seen before
 * are read), then the activity summary written to the graph. A job without the step still gets the
 * summary written again after its syncs, as `reachgraph sync` does, since a load replaces node
 * properties whole (docs/activity.md); a store that cannot be opened then is a warning, not a failed
 * run. A file that could not be read is named in a warning; the step fails the run only when the
 * store itself fails.
 */
async function activityStep(
  job: JobConfig,
  env: JobEnvironment,
  run: JobRunContext,
  synced: boolean,
): Promise<ActivityIngestResult[] | undefined> {
  const store = env.activity;
  if (!job.activity) {
    if (!store || !synced) return undefined;
    await refreshActivitySummary(env.executor, store.database, {
      around: (write) => step(run.logger, 'activity-summary', {}, write, summaryCounts),
      warn: (reason) =>
        run.logger.warn(
          { step: 'activity-summary', error: reason },
          'activity summary not written: the next sync or ingest writes it',
        ),
    });
    return undefined;
  }
  if (!store) throw new Error('the job has an activity step but no activity store is configured');
  const opened = await ActivityStore.open(store.database);
  try {
    const results: ActivityIngestResult[] = [];
    for (const source of ingestSources(job.activity)) {
      const result = await step(
        run.logger,
        'ingest',
        {
          source: source.name,
          ...(source.cluster ? { cluster: source.cluster } : {}),
          paths: source.paths.length,
        },
        () => source.ingest(opened, { retentionDays: store.retentionDays }),
        (r) => ({
          filesRead: r.filesRead,
          filesSkipped: r.filesSkipped,
          filesFailed: r.filesFailed.length,
          events: r.events,
          duplicates: r.duplicates,
          malformed: r.malformed.length,
          unresolved: r.unresolved,
        }),
      );
      if (result.filesFailed.length > 0 || result.missing.length > 0)
        run.logger.warn(
          { step: 'ingest', source: source.name, failed: result.filesFailed, missing: result.missing },
          'activity logs not ingested: files that could not be read or paths that do not exist',
        );
      results.push(result);
    }
    await step(
      run.logger,
      'activity-summary',
      {},
      () => writeActivitySummary(env.executor, opened),
      summaryCounts,
    );
    return results;
  } finally {
    opened.close();
  }
}

type ActivityIngestResult = IngestRunResult<ActivitySource>;

interface IngestSource {
  name: ActivityIngestResult['source'];
  cluster?: string;
  paths: string[];
  ingest: (store: ActivityStore, options: { retentionDays: number }) => Promise<ActivityIngestResult>;
}

/** The step's log sources, each ingested by the function its `reachgraph ingest` command calls. */
function ingestSources(activity: ActivityStep): IngestSource[] {
  const sources: IngestSource[] = [];
  const { awsCloudTrail, gcpAudit, kubernetesAudit } = activity;
  if (awsCloudTrail)
    sources.push({
      name: 'aws-cloudtrail',
      paths: awsCloudTrail,
      ingest: (store, options) => ingestCloudTrail(store, awsCloudTrail, options),
    });
  if (gcpAudit)
    sources.push({
      name: 'gcp-audit',
      paths: gcpAudit,
      ingest: (store, options) => ingestGcpAudit(store, gcpAudit, options),
    });
  for (const { cluster, paths } of kubernetesAudit ?? [])
    sources.push({
      name: 'kubernetes-audit',
      cluster,
      paths,
      ingest: (store, options) => ingestKubernetesAudit(store, paths, cluster, options),
    });
  return sources;
}

function summaryCounts(summary: ActivitySummaryResult | undefined): Record<string, unknown> {
  return summary
    ? { identities: summary.identities, accessKeys: summary.accessKeys, cleared: summary.cleared }
    : { store: 'none' };
}

/** The job.failed alert of a run (when the job has sinks); alerting never throws. */
export async function alertJobFailure(
  job: JobConfig,
  error: unknown,
  env: Pick<JobEnvironment, 'alertOptions'>,
  run: JobRunContext,
): Promise<AlertOutcome[]> {
  if (!job.alerts) return [];
  const alerts = job.alerts;
  return step(
    run.logger,
    'alert-failure',
    { sinks: alerts.sinks.length },
    () => alertOnFailure(job.name, error, alerts, { logger: run.logger, ...env.alertOptions }),
    alertCounts,
  );
}

/** `<outDir>/<job>.<extension>` per format: stable names, so each run replaces the last good files. */
export function reportTargets(job: JobConfig): { format: ReportFormat; path: string }[] {
  return job.report.formats.map((format) => ({
    format,
    path: join(job.report.outDir, `${job.name}.${reportFileExtension(format).replace(/^\./, '')}`),
  }));
}

/**
 * The collection runs of a job, in order: the i-th AWS, Kubernetes and GCP sources sync in one run,
 * so that the cross-provider rules (IRSA, aws-auth, access entries, GKE Workload Identity, AWS → GCP
 * federation) join them.
 */
export function syncRuns(
  job: JobConfig,
  env: Pick<JobEnvironment, 'aws' | 'kubernetes' | 'gcp'>,
): ProviderJob[][] {
  const aws = job.sync.aws;
  const awsJobs = aws
    ? awsSources(aws, env.aws).map((source) =>
        providerJob(awsProvider, {
          source,
          classification: { accountEnvironments: aws.accountEnvironments ?? env.aws.accountEnvironments },
        }),
      )
    : [];
  const k8s = job.sync.kubernetes;
  const k8sJobs = k8s
    ? kubernetesRequests(k8s, env.kubernetes ?? KubernetesConfigSchema.parse(undefined)).map((request) =>
        providerJob(kubernetesProvider, request),
      )
    : [];
  const gcp = job.sync.gcp;
  const gcpJobs = gcp
    ? gcpRequests(gcp, env.gcp ?? GcpConfigSchema.parse(undefined)).map((request) =>
        providerJob(gcpProvider, request),
      )
    : [];
  return Array.from({ length: Math.max(awsJobs.length, k8sJobs.length, gcpJobs.length) }, (_, i) =>
    [awsJobs[i], k8sJobs[i], gcpJobs[i]].filter((j): j is ProviderJob => j !== undefined),
  );
}

type GcpSync = NonNullable<JobConfig['sync']['gcp']>;

/** Each snapshot directory, or the live scope with the job's options over the config's (`gcp.*`). */
export function gcpRequests(gcp: GcpSync, config: GcpConfig): GcpRequest[] {
  const settings: GcpConfig = {
    ...config,
    ...(gcp.live?.credentials ? { credentials: gcp.live.credentials } : {}),
    ...(gcp.projectEnvironments ? { projectEnvironments: gcp.projectEnvironments } : {}),
    ...(gcp.live?.groupMembers !== undefined ? { groupMembers: gcp.live.groupMembers } : {}),
  };
  if (gcp.snapshots) return gcp.snapshots.map((snapshotDir) => gcpRequest({ snapshotDir }, settings));
  const live = gcp.live ?? {};
  return [
    gcpRequest(
      {
        live: {
          ...(live.organization ? { organization: live.organization } : {}),
          ...(live.folders ? { folder: live.folders } : {}),
          ...(live.projects ? { project: live.projects } : {}),
          ...(live.impersonateServiceAccount
            ? { impersonateServiceAccount: live.impersonateServiceAccount }
            : {}),
        },
      },
      settings,
    ),
  ];
}

type KubernetesSync = NonNullable<JobConfig['sync']['kubernetes']>;

/** Each snapshot directory, or the live contexts with the job's options over the config's. */
function kubernetesRequests(k8s: KubernetesSync, config: KubernetesConfig): KubernetesRequest[] {
  const sources = k8s.snapshots?.map((snapshotDir) => ({ snapshotDir })) ?? [{ live: k8s.live ?? {} }];
  return sources.map((source) => kubernetesRequest(source, config, k8s.clusterEnvironments));
}

/** The AWS sources, in order: each snapshot directory, or the live API with the job's options over the config's. */
export function awsSources(sync: NonNullable<JobConfig['sync']['aws']>, aws: AwsConfig): AwsSource[] {
  const { snapshots, live } = sync;
  if (snapshots) return snapshots.map((snapshotDir) => snapshotSource(snapshotDir, aws));
  const source = awsSourceOf(
    {
      ...(live?.profile ? { profile: live.profile } : {}),
      ...(live?.roleArns ? { roleArn: live.roleArns } : {}),
      ...(live?.region ? { region: live.region } : {}),
      ...(live?.endpointUrl ? { endpointUrl: live.endpointUrl } : {}),
    },
    aws,
  );
  if (!('live' in source)) throw new Error('internal: a live job resolved to a snapshot source');
  return [{ live: { ...source.live, ...(live?.regions ? { regions: live.regions } : {}) } }];
}

function errorCount(result: SyncResult): number {
  return result.issues.filter((i) => i.severity === 'error').length;
}

function syncCounts(result: SyncResult): Record<string, unknown> {
  const total = (counts: Record<string, number>) => Object.values(counts).reduce((a, b) => a + b, 0);
  const issues = { error: 0, warning: 0, info: 0 };
  for (const { summary } of result.outcomes)
    for (const severity of ['error', 'warning', 'info'] as const)
      issues[severity] += summary.issues[severity];
  return {
    collectionRunId: result.load.runId,
    loadStatus: result.load.status,
    accounts: result.scopes.length,
    incompleteAccounts: result.scopes.filter((a) => !a.complete).length,
    principals: result.outcomes.reduce((n, o) => n + o.summary.principals, 0),
    written: total(result.load.counts),
    deleted: total(result.load.deleted),
    issues,
    collectMs: Math.round(result.timings.collectMs),
    analyzeMs: Math.round(result.timings.analyzeMs),
    inventoryMs: Math.round(result.timings.inventoryMs),
    loadMs: Math.round(result.timings.loadMs),
  };
}

function alertCounts(outcomes: AlertOutcome[]): Record<string, unknown> {
  const byStatus: Record<string, number> = {};
  for (const outcome of outcomes) byStatus[outcome.status] = (byStatus[outcome.status] ?? 0) + 1;
  return { alerts: outcomes.length, ...byStatus };
}

/** Run one step, logging its start, its duration and its counts (or its error); rethrows. */
export async function step<T>(
  logger: Logger,
  name: string,
  fields: Record<string, unknown>,
  work: () => Promise<T>,
  counts: (result: T) => Record<string, unknown>,
): Promise<T> {
  logger.debug({ step: name, ...fields }, `${name} started`);
  const started = performance.now();
  try {
    const result = await work();
    logger.info(
      { step: name, ...fields, durationMs: Math.round(performance.now() - started), ...counts(result) },
      `${name} finished`,
    );
    return result;
  } catch (error) {
    logger.error(
      { step: name, ...fields, durationMs: Math.round(performance.now() - started), error: messageOf(error) },
      `${name} failed`,
    );
    throw error;
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
