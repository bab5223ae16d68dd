import { type AwsAnalysis, analyzeAws } from '../../analyzers/aws-iam/analyze.js';
import { EDGE_FAMILIES } from '../../analyzers/aws-iam/edges/registry.js';
import {
  CONDITION_KEYS_DOC,
  conditionKeysMarkdown,
} from '../../analyzers/aws-iam/engine/condition-keys-doc.js';
import { ESCALATION_DOC, escalationMarkdown } from '../../analyzers/aws-iam/escalation/docs.js';
import { collectAws } from '../../collectors/aws/collect.js';
import { allIssues } from '../../collectors/aws/transform.js';
import { ANALYSIS_FLAG_KIND, HAS_FLAG } from '../../model/analysis-flags.js';
import type { AwsEnvironment } from '../../model/aws/environment.js';
import { NODE_KINDS } from '../../model/node-kinds.js';
import type { Provider, ProviderSummary } from '../contract.js';
import { scopeStates, summarizeRun } from '../summary.js';
import { buildAwsInventory } from './inventory.js';
import {
  AWS_SOURCE_OPTIONS,
  type AwsRequest,
  awsSourceFlags,
  awsSourceOf,
  describeAwsSource,
} from './source.js';

export interface AwsSummary extends ProviderSummary {
  /** Every account of the run, and whether it was read without error. */
  accounts: { id: string; complete: boolean }[];
}

/**
 * AWS: accounts (and their organization) read from the live API or `aws/` of a snapshot root,
 * IAM analyzed by the policy engine, one scope per account.
 */
export const awsProvider: Provider<AwsRequest, AwsEnvironment, AwsAnalysis, AwsSummary> = {
  name: 'aws',
  title: 'AWS',
  graphProvider: 'aws',
  scopePrefix: 'aws',
  scopeNoun: { one: 'account', many: 'accounts' },
  snapshotLayout: {
    folder: 'aws',
    description: 'aws/<account id>/ and aws/organization/: the AWS CLI’s own JSON output',
    doc: 'docs/snapshots.md',
  },
  nodeKinds: [
    ...NODE_KINDS.filter((k) => k.provider === 'aws').map((k) => k.label),
    // Principals outside the collected accounts that trust and resource policies name.
    'ExternalPrincipal',
    'Public',
    'OidcSubject',
    // Shared reasons stored once for callers × targets (src/model/grants.ts).
    'Grant',
    ANALYSIS_FLAG_KIND,
  ],
  relationshipKinds: [
    'CONTAINS',
    'MEMBER_OF',
    'HAS_POLICY',
    'HAS_CREDENTIAL',
    'CHILD_OF',
    HAS_FLAG,
    ...new Set(EDGE_FAMILIES.flatMap((f) => f.emits)),
  ],
  docs: {
    guide: 'docs/aws.md',
    generated: [
      { path: ESCALATION_DOC, render: escalationMarkdown },
      { path: CONDITION_KEYS_DOC, render: conditionKeysMarkdown },
    ],
  },
  sourceOptions: AWS_SOURCE_OPTIONS,

  requestOf(selection, config) {
    const flags = awsSourceFlags(selection.options);
    const source = awsSourceOf(
      'snapshotRoot' in selection ? { ...flags, snapshot: selection.snapshotRoot } : flags,
      config.aws,
    );
    if ('live' in source && 'live' in selection && selection.onProgress)
      source.live.onProgress = selection.onProgress;
    return { source, classification: { accountEnvironments: config.aws.accountEnvironments } };
  },
  describeSource: (request) => describeAwsSource(request.source),
  async collect(request) {
    const environment = await collectAws(request.source);
    return { environment, issues: allIssues(environment) };
  },
  analyze: (environment, options) => analyzeAws(environment, { asOf: options.asOf }),
  inventory: (request, environment, analysis, context) =>
    buildAwsInventory(environment, analysis, {
      sourceName: context.sourceName,
      ...(request.classification ? { classification: request.classification } : {}),
      onIssue: context.onIssue,
    }),
  summarize: (analysis, inventory, issues) => ({
    accounts: scopeStates(inventory),
    ...summarizeRun(analysis, inventory, issues),
  }),
};
