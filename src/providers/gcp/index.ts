import { analyzeGcp, type GcpAnalysis } from '../../analyzers/gcp-iam/analyze.js';
import { collectGcp, type GcpSource } from '../../collectors/gcp/collect.js';
import { GCP_FOLDER } from '../../collectors/gcp/layout.js';
import type { GcpEnvironment } from '../../model/gcp/environment.js';
import { NODE_KINDS } from '../../model/node-kinds.js';
import type { Environment } from '../../model/properties.js';
import type { Provider, ProviderSummary } from '../contract.js';
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

/**
 * GCP: the resource hierarchy with its allow and deny policies, service accounts, workload identity
 * pools and data resources, read from `gcp/` of a snapshot root; one scope per organization, folder
 * and project.
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
      'gcp/organization/, gcp/folders/<number>/, gcp/projects/<id>/: `gcloud … --format=json` output',
    doc: 'docs/snapshots.md',
  },
  nodeKinds: [
    ...NODE_KINDS.filter((k) => k.provider === 'gcp').map((k) => k.label),
    'Public',
    'AnalysisFlag',
  ],
  relationshipKinds: [
    'CHILD_OF',
    'CONTAINS',
    'BOUND_TO',
    'HAS_CREDENTIAL',
    'HAS_FLAG',
    'CAN_ACCESS',
    'CAN_IMPERSONATE',
    'FEDERATES_TO',
    'CAN_ESCALATE',
    'ADMINISTERS',
  ],
  docs: { guide: 'docs/gcp.md', generated: [] },
  sourceOptions: [],

  requestOf(selection, config) {
    const source: GcpSource =
      'snapshotRoot' in selection ? { snapshotDir: selection.snapshotRoot } : { live: true };
    return { source, projectEnvironments: config.gcp.projectEnvironments };
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
