import type { AwsAnalysis } from '../../analyzers/aws-iam/analyze.js';
import type { AwsClassificationOptions } from '../../collectors/aws/classification.js';
import { awsInventory } from '../../collectors/aws/inventory.js';
import { analysisFlagRecords } from '../../model/analysis-flags.js';
import type { AwsEnvironment } from '../../model/aws/environment.js';
import { PARTITION } from '../../model/aws/partitions.js';
import type { CollectionIssue } from '../../model/collection-issue.js';
import {
  INVENTORY_FORMAT,
  INVENTORY_VERSION,
  type Inventory,
  type InventoryNode,
} from '../../model/inventory.js';
import { nodeKind } from '../../model/node-kinds.js';

export interface BuildOptions {
  /** What produced the data, recorded on the run (e.g. `aws snapshot ./snap`). */
  sourceName: string;
  classification?: AwsClassificationOptions;
  generatedAt?: string;
  /** Told about problems met while building (a finding whose subject is not in the inventory). */
  onIssue?: (issue: CollectionIssue) => void;
}

/**
 * One Inventory from the collector's nodes and structural edges and the analyzer's nodes and
 * derived edges (which carry their evidence). A node both emit (an external principal, a service
 * principal) is kept once, as the collector describes it. Every account is a scope, complete only
 * when its collection had no error: an incomplete account keeps its previously loaded data.
 * Every analysis finding becomes an AnalysisFlag node with HAS_FLAG from its subject; a finding
 * whose subject is not a node of the inventory is attached to nothing and reported as a warning.
 */
export function buildAwsInventory(
  environment: AwsEnvironment,
  analysis: AwsAnalysis,
  options: BuildOptions,
): Inventory {
  const base = awsInventory(environment, options.classification);
  const nodes = [...base.nodes];
  const seen = new Set(nodes.map((n) => n.id));
  for (const node of analysis.nodes) {
    if (seen.has(node.id)) continue;
    seen.add(node.id);
    nodes.push(node);
  }
  const flags = analysisFlags(nodes, analysis, options.onIssue);
  return {
    format: INVENTORY_FORMAT,
    version: INVENTORY_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    source: { name: options.sourceName, description: 'reachgraph AWS collector and IAM analyzer' },
    scopes: withAnalysisErrors(base.scopes, analysis),
    nodes: [...nodes, ...flags.nodes],
    relationships: [...base.relationships, ...analysis.edges, ...flags.relationships],
  };
}

function analysisFlags(
  nodes: InventoryNode[],
  analysis: AwsAnalysis,
  onIssue: BuildOptions['onIssue'],
): ReturnType<typeof analysisFlagRecords> {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const flags = analysisFlagRecords(analysis.findings, (id) => {
    const node = byId.get(id);
    if (!node) return undefined;
    const { provider, name } = node.properties;
    return {
      scope: node.scope,
      provider: typeof provider === 'string' ? provider : nodeKind(node.kind)?.provider,
      name: typeof name === 'string' ? name : undefined,
    };
  });
  for (const { finding, reason } of flags.unattached)
    onIssue?.({
      severity: 'warning',
      source: `analysis-flag:${finding.rule}`,
      object: finding.subject,
      message: `finding "${finding.message}" is not stored as a flag: ${reason}`,
    });
  return flags;
}

const ACCOUNT_IN_ARN = new RegExp(`^arn:${PARTITION}:[a-z0-9-]+:[a-z0-9-]*:(\\d{12}):`);

/**
 * The collector's scopes say whether each account was read without error. An analysis error means
 * derived edges may be missing: in the account of the principal it names, or everywhere when an
 * edge family failed. Those scopes are not complete, so nothing loaded before is deleted there for
 * want of being re-derived.
 */
function withAnalysisErrors(scopes: Inventory['scopes'], analysis: AwsAnalysis): Inventory['scopes'] {
  const errors = analysis.issues.filter((i) => i.severity === 'error');
  if (errors.length === 0) return scopes;
  const reasons = new Map<string | null, string[]>();
  for (const issue of errors) {
    const account = issue.object?.match(ACCOUNT_IN_ARN)?.[1] ?? null;
    const scope = account === null ? null : `aws:${account}`;
    reasons.set(scope, [
      ...(reasons.get(scope) ?? []),
      `${issue.source}${issue.object ? ` (${issue.object})` : ''}: ${issue.message}`,
    ]);
  }
  const everywhere = reasons.get(null) ?? [];
  return scopes.map((s) => {
    const mine = [...everywhere, ...(reasons.get(s.id) ?? [])].slice(0, 5);
    return mine.length === 0 ? s : { ...s, complete: false, errors: [...(s.errors ?? []), ...mine] };
  });
}
