import { dirname, isAbsolute, resolve } from 'node:path';
import { validate as validateCron } from 'node-cron';
import { z } from 'zod';
import { ConfigError, invalidConfig, parseConfigFile, readConfigFile } from '../config/file.js';
import { PARTITION } from '../model/aws/partitions.js';
import { ENVIRONMENTS } from '../model/properties.js';
import { AlertsConfigSchema } from '../reports/alerts/config.js';
import { effectiveRules, RulesConfigSchema } from '../reports/rules/config.js';
import { loadRules } from '../reports/rules/registry.js';
import { REPORT_FORMATS } from '../reports/types.js';

/**
 * The scheduler's job file (YAML or JSON, read by config/file.ts): which clouds to sync, which
 * reports to write where, and where to alert, per cron schedule. Unknown keys are errors (a typo must
 * not silently disable a job). Relative paths are relative to the file itself, so a cron entry works
 * from any directory.
 */

const ACCOUNT_ID = /^\d{12}$/;
const ROLE_ARN = new RegExp(`^arn:${PARTITION}:iam::\\d{12}:role/.+$`);
const JOB_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function validTimezone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** The options `reachgraph sync aws` takes for live collection, as a job states them. */
const AwsLiveSchema = z
  .object({
    profile: z.string().min(1).optional().describe('Named profile of the shared AWS config.'),
    roleArns: z
      .array(z.string().regex(ROLE_ARN, 'expected an IAM role ARN'))
      .optional()
      .describe('Roles to assume, one per account to collect.'),
    region: z.string().min(1).optional().describe('Home region (STS, global services).'),
    regions: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe('Regions to collect regional services in.'),
    endpointUrl: z
      .string()
      .url()
      .optional()
      .describe('Send every AWS call to this endpoint (a local stand-in).'),
  })
  .strict();

const AwsSyncSchema = z
  .object({
    snapshots: z
      .array(z.string().min(1))
      .min(1, 'list at least one snapshot directory')
      .optional()
      .describe('Snapshot directories (docs/snapshots.md), synced one after the other.'),
    live: AwsLiveSchema.optional(),
    accountEnvironments: z
      .record(z.string().regex(ACCOUNT_ID, 'expected 12-digit account ids as keys'), z.enum(ENVIRONMENTS))
      .optional()
      .describe(
        'Environment of each account’s resources when their tags do not say (default: aws.accountEnvironments).',
      ),
  })
  .strict()
  .refine((aws) => (aws.snapshots === undefined) !== (aws.live === undefined), {
    message: 'set exactly one of "snapshots" or "live"',
  });

/** The options `reachgraph sync kubernetes` takes for live collection, as a job states them. */
const KubernetesLiveSchema = z
  .object({
    kubeconfig: z
      .string()
      .min(1)
      .optional()
      .describe('The kubeconfig file (default: kubernetes.kubeconfig).'),
    contexts: z
      .array(z.string().min(1))
      .min(1)
      .optional()
      .describe(
        'Kubeconfig contexts to collect, one cluster each (default: kubernetes.contexts, else the current one).',
      ),
  })
  .strict();

const KubernetesSyncSchema = z
  .object({
    snapshots: z
      .array(z.string().min(1))
      .min(1, 'list at least one snapshot directory')
      .optional()
      .describe(
        'Snapshot directories holding kubernetes/<cluster>/ (docs/snapshots.md), synced one after the other.',
      ),
    live: KubernetesLiveSchema.optional(),
    clusterEnvironments: z
      .record(z.string().min(1), z.enum(ENVIRONMENTS))
      .optional()
      .describe(
        'Environment of each cluster’s namespaces when their labels do not say (default: kubernetes.clusterEnvironments).',
      ),
  })
  .strict()
  .refine((k8s) => (k8s.snapshots === undefined) !== (k8s.live === undefined), {
    message: 'set exactly one of "snapshots" or "live"',
  });

/** The options `reachgraph sync gcp` takes for live collection, as a job states them (config's `gcp.*` as defaults). */
const GcpLiveSchema = z
  .object({
    organization: z
      .string()
      .regex(/^\d+$/, 'an organization number')
      .optional()
      .describe('The organization number; with no folders or projects named, everything under it.'),
    folders: z
      .array(z.string().regex(/^\d+$/, 'a folder number'))
      .min(1)
      .optional()
      .describe('Folder numbers, each collected with everything under it.'),
    projects: z.array(z.string().min(1)).min(1).optional().describe('Project ids to collect.'),
    credentials: z
      .string()
      .min(1)
      .optional()
      .describe(
        'A service-account key or external-account credentials file (default: gcp.credentials, else ADC).',
      ),
    impersonateServiceAccount: z
      .string()
      .min(1)
      .optional()
      .describe('Act as this service account (as gcloud --impersonate-service-account).'),
    groupMembers: z
      .boolean()
      .optional()
      .describe(
        'Also read the Cloud Identity members of the groups the policies name (default: gcp.groupMembers).',
      ),
  })
  .strict();

const GcpSyncSchema = z
  .object({
    snapshots: z
      .array(z.string().min(1))
      .min(1, 'list at least one snapshot directory')
      .optional()
      .describe('Snapshot directories holding gcp/ (docs/snapshots.md), synced one after the other.'),
    live: GcpLiveSchema.optional(),
    projectEnvironments: z
      .record(z.string().min(1), z.enum(ENVIRONMENTS))
      .optional()
      .describe('Environment of each project when its labels do not say (default: gcp.projectEnvironments).'),
  })
  .strict()
  .refine((gcp) => (gcp.snapshots === undefined) !== (gcp.live === undefined), {
    message: 'set exactly one of "snapshots" or "live"',
  });

const ReportSchema = z
  .object({
    formats: z.array(z.enum(REPORT_FORMATS)).min(1, 'list at least one format'),
    outDir: z.string().min(1).describe('Directory of the report files (<job>.<extension>).'),
    rules: RulesConfigSchema.optional(),
    suppressions: z.string().min(1).optional().describe('Suppression file (YAML or JSON).'),
    keep: z
      .number()
      .int()
      .positive()
      .optional()
      .describe('Recorded report runs of the job to keep, the newest (default 30).'),
  })
  .strict()
  .refine((report) => new Set(report.formats).size === report.formats.length, {
    message: 'a format is listed twice',
    path: ['formats'],
  })
  .refine((report) => report.suppressions === undefined || report.rules?.suppressions === undefined, {
    message: 'name the suppression file once: "suppressions" or "rules.suppressions"',
    path: ['suppressions'],
  });

/** Files or directories of one log source, as its `reachgraph ingest` command takes them. */
const logPaths = (description: string) =>
  z.array(z.string().min(1)).min(1, 'list at least one file or directory').describe(description);

/** Activity logs a job ingests after its syncs, before its report (docs/activity.md). */
const ActivityStepSchema = z
  .object({
    awsCloudTrail: logPaths(
      'CloudTrail files or directories (a trail bucket copy, lookup-events output), as `reachgraph ingest aws-cloudtrail` takes them: only files not ingested before are read.',
    ).optional(),
    gcpAudit: logPaths(
      'Cloud Audit Logs files or directories (`gcloud logging read --format=json` output, a log sink export), as `reachgraph ingest gcp-audit` takes them.',
    ).optional(),
    kubernetesAudit: z
      .array(
        z
          .object({
            cluster: z.string().min(1).describe('The cluster the logs are of, as the graph names it.'),
            paths: logPaths(
              'Kubernetes audit log files or directories, as `reachgraph ingest kubernetes-audit` takes them.',
            ),
          })
          .strict(),
      )
      .min(1, 'list at least one cluster')
      .optional(),
  })
  .strict()
  .refine(
    (step) =>
      step.awsCloudTrail !== undefined || step.gcpAudit !== undefined || step.kubernetesAudit !== undefined,
    { message: 'name at least one of "awsCloudTrail", "gcpAudit" or "kubernetesAudit"' },
  );

export const JobConfigSchema = z
  .object({
    name: z
      .string()
      .regex(JOB_NAME, 'expected letters, digits, ".", "_" or "-", starting with a letter or digit'),
    cron: z.string().refine((expression) => validateCron(expression), {
      message: 'not a valid cron expression (5 fields, or 6 with seconds first)',
    }),
    timezone: z
      .string()
      .refine(validTimezone, { message: 'not an IANA time zone such as Europe/Berlin' })
      .optional(),
    sync: z
      .object({
        aws: AwsSyncSchema.optional(),
        kubernetes: KubernetesSyncSchema.optional(),
        gcp: GcpSyncSchema.optional(),
      })
      .strict()
      .refine((sync) => sync.aws !== undefined || sync.kubernetes !== undefined || sync.gcp !== undefined, {
        message: 'sync at least one of "aws", "kubernetes" or "gcp"',
      }),
    activity: ActivityStepSchema.optional(),
    owners: z
      .string()
      .min(1)
      .optional()
      .describe(
        'The owners file the sync resolves owners from (docs/owners.md; default: owners.file of the config).',
      ),
    report: ReportSchema,
    alerts: AlertsConfigSchema.optional(),
  })
  .strict();

export const ScheduleConfigSchema = z
  .object({
    jobs: z.array(JobConfigSchema).min(1, 'define at least one job'),
    stateDir: z
      .string()
      .min(1)
      .optional()
      .describe(
        'Directory for scheduler state: the default outbox of undelivered alerts (<stateDir>/outbox).',
      ),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.jobs.forEach((job, index) => {
      if (seen.has(job.name))
        ctx.addIssue({
          code: 'custom',
          path: ['jobs', index, 'name'],
          message: `duplicate job name "${job.name}"`,
        });
      seen.add(job.name);
    });
  });

export type ScheduleConfig = z.infer<typeof ScheduleConfigSchema>;
export type JobConfig = ScheduleConfig['jobs'][number];
export type AwsLiveJobOptions = z.infer<typeof AwsLiveSchema>;
export type ActivityStep = z.infer<typeof ActivityStepSchema>;

/** How job files are read; every problem names the file and the path inside it. */
const SCHEDULE_FILE = { schema: ScheduleConfigSchema, title: 'schedule config' } as const;

/** Read, validate and resolve a job file. */
export function readScheduleConfig(file: string): ScheduleConfig {
  return resolved(readConfigFile(file, SCHEDULE_FILE), file);
}

/** Validate the text of a job file named `file` (used for messages and to resolve relative paths). */
export function parseScheduleConfig(text: string, file: string): ScheduleConfig {
  return resolved(parseConfigFile(file, text, SCHEDULE_FILE), file);
}

function resolved(config: ScheduleConfig, file: string): ScheduleConfig {
  checkRuleOverrides(config, file);
  return resolvePaths(config, dirname(resolve(file)));
}

/** Rule ids and parameters are checked against the shipped rules now, not at the first run hours later. */
function checkRuleOverrides(config: ScheduleConfig, file: string): void {
  const jobs = config.jobs.map((job, index) => ({ job, index })).filter(({ job }) => job.report.rules?.rules);
  if (jobs.length === 0) return;
  const rules = loadRules();
  for (const { job, index } of jobs) {
    try {
      effectiveRules(rules, job.report.rules);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      throw invalidConfig(
        file,
        [{ path: ['jobs', index, 'report', 'rules'], message: error.message }],
        SCHEDULE_FILE,
      );
    }
  }
}

function resolvePaths(config: ScheduleConfig, base: string): ScheduleConfig {
  const at = (path: string) => (isAbsolute(path) ? path : resolve(base, path));
  const stateDir = config.stateDir === undefined ? undefined : at(config.stateDir);
  return {
    ...(stateDir ? { stateDir } : {}),
    jobs: config.jobs.map((job) => {
      const { aws, kubernetes, gcp } = job.sync;
      const rules = job.report.rules;
      const outbox = job.alerts?.outbox ?? (stateDir ? resolve(stateDir, 'outbox') : undefined);
      return {
        ...job,
        sync: {
          ...(aws ? { aws: { ...aws, ...(aws.snapshots ? { snapshots: aws.snapshots.map(at) } : {}) } } : {}),
          ...(kubernetes
            ? {
                kubernetes: {
                  ...kubernetes,
                  ...(kubernetes.snapshots ? { snapshots: kubernetes.snapshots.map(at) } : {}),
                  ...(kubernetes.live?.kubeconfig
                    ? { live: { ...kubernetes.live, kubeconfig: at(kubernetes.live.kubeconfig) } }
                    : {}),
                },
              }
            : {}),
          ...(gcp
            ? {
                gcp: {
                  ...gcp,
                  ...(gcp.snapshots ? { snapshots: gcp.snapshots.map(at) } : {}),
                  ...(gcp.live?.credentials
                    ? { live: { ...gcp.live, credentials: at(gcp.live.credentials) } }
                    : {}),
                },
              }
            : {}),
        },
        ...(job.activity ? { activity: activityAt(job.activity, at) } : {}),
        ...(job.owners ? { owners: at(job.owners) } : {}),
        report: {
          ...job.report,
          outDir: at(job.report.outDir),
          ...(job.report.suppressions ? { suppressions: at(job.report.suppressions) } : {}),
          ...(rules
            ? { rules: { ...rules, ...(rules.suppressions ? { suppressions: at(rules.suppressions) } : {}) } }
            : {}),
        },
        ...(job.alerts ? { alerts: { ...job.alerts, ...(outbox ? { outbox: at(outbox) } : {}) } } : {}),
      };
    }),
  };
}

function activityAt(step: ActivityStep, at: (path: string) => string): ActivityStep {
  return {
    ...(step.awsCloudTrail ? { awsCloudTrail: step.awsCloudTrail.map(at) } : {}),
    ...(step.gcpAudit ? { gcpAudit: step.gcpAudit.map(at) } : {}),
    ...(step.kubernetesAudit
      ? { kubernetesAudit: step.kubernetesAudit.map((logs) => ({ ...logs, paths: logs.paths.map(at) })) }
      : {}),
  };
}
