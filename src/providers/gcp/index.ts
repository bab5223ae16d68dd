import { analyzeGcp, type GcpAnalysis } from '../../analyzers/gcp-iam/analyze.js';
import { GCP_ESCALATION_DOC, gcpEscalationMarkdown } from '../../analyzers/gcp-iam/docs.js';
import { collectGcp, type GcpSource } from '../../collectors/gcp/collect.js';
import { GCP_FOLDER } from '../../collectors/gcp/layout.js';
import type { GcpLiveOptions } from '../../collectors/gcp/live.js';
import type { GcpConfig } from '../../config/gcp.js';
import type { GcpEnvironment } from '../../model/gcp/environment.js';
import { GRANT_KIND } from '../../model/grants.js';
import { NODE_KINDS } from '../../model/node-kinds.js';
import type { Environment } from '../../model/properties.js';
import { concurrencyOf } from '../aws/source.js';
import type { Provider, ProviderSummary, SourceOption, SourceOptionValues } from '../contract.js';
import { scopeStates, summarizeRun } from '../summary.js';
import { buildGcpInventory } from './inventory.js';

/** One GCP run: its source and how its projects are classified. */
export interface GcpRequest {
  source: GcpSource;
  projectEnvironments: Readonly<Record<string, Environment>>;
}

export interface GcpSummary extends ProviderSummary {
  /** Every organization, folder and project of the run, and whether it was read without error. */
  scopes: { id: string; complete: boolean }[];
}

/** The options GCP adds to `sync` and `analyze` for its live source (`--concurrency` is shared with AWS). */
export const GCP_SOURCE_OPTIONS: readonly SourceOption[] = [
  {
    flags: '--organization <number>',
    description: 'live GCP: the organization (with no --folder or --project, everything under it)',
  },
  {
    flags: '--folder <number...>',
    description: 'live GCP: folder to collect with everything under it (repeatable)',
  },
  { flags: '--project <id...>', description: 'live GCP: project to collect (repeatable)' },
  {
    flags: '--impersonate-service-account <email>',
    description: 'live GCP: act as this service account, as gcloud does',
  },
  {
    flags: '--group-members',
    description: 'live GCP: also read the Cloud Identity members of the groups the policies name',
  },
  {
    flags: '--concurrency <n>',
    description: 'per-resource calls in flight at once (default 8)',
  },
];

const GCP_FLAGS = ['organization', 'folder', 'project', 'impersonateServiceAccount', 'groupMembers'] as const;

/**
 * A run's request: a snapshot directory, or live collection of the flags' scope over the config's
 * (`gcp.*`). Live flags next to `--snapshot` are an error rather than silently ignored.
 */
export function gcpRequest(
  source: { snapshotDir: string } | { live: SourceOptionValues; onProgress?: (message: string) => void },
  config: GcpConfig,
): GcpRequest {
  const projectEnvironments = config.projectEnvironments;
  if ('snapshotDir' in source) return { source, projectEnvironments };
  const flags = source.live;
  const list = (value: unknown) => (Array.isArray(value) ? (value as string[]) : undefined);
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  const folders = list(flags.folder) ?? config.folders;
  const projects = list(flags.project) ?? config.projects;
  const organization = text(flags.organization) ?? config.organization;
  const impersonate = text(flags.impersonateServiceAccount) ?? config.impersonateServiceAccount;
  const concurrency = text(flags.concurrency);
  const groupMembers = flags.groupMembers === true || config.groupMembers;
  const live: GcpLiveOptions = {
    ...(organization ? { organization } : {}),
    ...(folders.length ? { folders } : {}),
    ...(projects.length ? { projects } : {}),
    ...(config.credentials ? { credentials: config.credentials } : {}),
    ...(impersonate ? { impersonateServiceAccount: impersonate } : {}),
    concurrency: concurrency !== undefined ? concurrencyOf(concurrency) : config.concurrency,
    ...(groupMembers ? { groupMembers } : {}),
    ...(source.onProgress ? { onProgress: source.onProgress } : {}),
  };
  return { source: { live }, projectEnvironments };
}

/**
 * GCP: the resource hierarchy with its allow and deny policies, service accounts, workload identity
 * pools and data resources, read through the Google Cloud APIs or from `gcp/` of a snapshot root
 * (gcloud files or a Cloud Asset Inventory export); one scope per organization, folder and project.
 */
export const gcpProvider: Provider<GcpRequest, GcpEnvironment, GcpAnalysis, GcpSummary> = {
  name: 'gcp',
  title: 'GCP',
  graphProvider: 'gcp',
  scopePrefix: 'gcp',
  scopeNoun: { one: 'project', many: 'projects' },
  snapshotLayout: {
    folder: GCP_FOLDER,
    description:
      'gcp/organization/, gcp/folders/<number>/, gcp/projects/<id>/: `gcloud … --format=json` output; or gcp/cai/: a Cloud Asset Inventory export',
    doc: 'docs/snapshots.md',
  },
  nodeKinds: [
    ...NODE_KINDS.filter((k) => k.provider === 'gcp').map((k) => k.label),
    'Public',
    'AnalysisFlag',
    // One inherited binding's members and the targets below its level (grant-hubs.ts).
    GRANT_KIND,
  ],
  relationshipKinds: [
    'CHILD_OF',
    'CONTAINS',
    'BOUND_TO',
    'HAS_CREDENTIAL',
    'HAS_FLAG',
    'MEMBER_OF',
    'CAN_ACCESS',
    'CAN_IMPERSONATE',
    'FEDERATES_TO',
    'CAN_ESCALATE',
    'ADMINISTERS',
  ],
  docs: {
    guide: 'docs/gcp.md',
    generated: [{ path: GCP_ESCALATION_DOC, render: gcpEscalationMarkdown }],
  },
  sourceOptions: GCP_SOURCE_OPTIONS,

  requestOf(selection, config) {
    if ('snapshotRoot' in selection) {
      const live = GCP_FLAGS.filter((k) => selection.options[k] !== undefined);
      if (live.length > 0)
        throw new Error(
          `--snapshot reads a directory: ${live.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`).join(', ')} only apply to live collection`,
        );
      return gcpRequest({ snapshotDir: selection.snapshotRoot }, config.gcp);
    }
    return gcpRequest(
      { live: selection.options, ...(selection.onProgress ? { onProgress: selection.onProgress } : {}) },
      config.gcp,
    );
  },
  describeSource: (request) =>
    'snapshotDir' in request.source ? `gcp snapshot ${request.source.snapshotDir}` : 'gcp live',
  async collect(request) {
    const environment = await collectGcp(request.source);
    return { environment, issues: environment.issues };
  },
  analyze: async (environment, options) => analyzeGcp(environment, options),
  inventory: (request, environment, analysis, context) =>
    buildGcpInventory(environment, analysis, context, { projectEnvironments: request.projectEnvironments }),
  summarize: (analysis, inventory, issues) => ({
    scopes: scopeStates(inventory),
    ...summarizeRun(analysis, inventory, issues),
  }),
};
