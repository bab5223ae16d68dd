import { analyzeAws } from '../analyzers/aws-iam/analyze.js';
import { collectAws } from '../collectors/aws/collect.js';
import { awsInventory } from '../collectors/aws/inventory.js';
import { allIssues } from '../collectors/aws/transform.js';
import { cypherFile } from '../graph/cypher-files.js';
import type { GraphExecutor } from '../graph/executor.js';
import type { LoadProgress } from '../graph/loader.js';
import { analysisFlagRecords } from '../model/analysis-flags.js';
import type { AwsEnvironment, CollectionIssue } from '../model/aws/environment.js';
import {
  INVENTORY_FORMAT,
  INVENTORY_VERSION,
  type Inventory,
  type InventoryNode,
} from '../model/inventory.js';
import { nodeKind } from '../model/node-kinds.js';
import { type ValidInventory, validateInventory } from '../model/validate.js';
import { type PublishResult, publishInventory } from './publish.js';

/**
 * The AWS pipeline: collect (snapshot or live) → analyze (pure) → one Inventory → validate →
 * load as one collection run, scoped per account. Each step is usable alone: `analyze` and the
 * in-memory queries stop before Neo4j.
 */

/** Where the AWS data comes from: a snapshot directory or the live API. */
export type AwsSource = Parameters<typeof collectAws>[0];
export type AwsAnalysis = Awaited<ReturnType<typeof analyzeAws>>;
export type AwsClassification = Parameters<typeof awsInventory>[1];

export interface AwsAnalysisRun {
  environment: AwsEnvironment;
  analysis: AwsAnalysis;
  /** Collection issues (every account, the organization) and the analyzer's, in that order. */
  issues: CollectionIssue[];
  timings: { collectMs: number; analyzeMs: number };
}

export function describeSource(source: AwsSource): string {
  return 'snapshotDir' in source ? `aws snapshot ${source.snapshotDir}` : 'aws live';
}

export async function collectAndAnalyzeAws(source: AwsSource): Promise<AwsAnalysisRun> {
  let started = performance.now();
  const environment = await collectAws(source);
  const collectMs = performance.now() - started;
  started = performance.now();
  const analysis = await analyzeAws(environment);
  const analyzeMs = performance.now() - started;
  return {
    environment,
    analysis,
    issues: [...allIssues(environment), ...analysis.issues],
    timings: { collectMs, analyzeMs },
  };
}

export interface BuildOptions {
  /** What produced the data, recorded on the run (e.g. `aws snapshot ./snap`). */
  sourceName: string;
  classification?: AwsClassification;
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
    const account = issue.object?.match(/^arn:aws[a-z-]*:[a-z0-9-]+:[a-z0-9-]*:(\d{12}):/)?.[1] ?? null;
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

// ── Sync: the whole pipeline as one collection run ──────────────────────────────────────────

export interface SyncOptions {
  classification?: AwsClassification;
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  /** Told when a step starts (collecting, analyzing, loading). */
  onStep?: (step: string) => void;
  /** Recompute the reachability summary after a successful load (see publishInventory). */
  summary?: boolean;
}

export interface AwsSummary {
  accounts: { id: string; complete: boolean }[];
  principals: number;
  /** Derived edges per relationship type. */
  edges: Record<string, number>;
  findings: Record<string, number>;
  issues: Record<CollectionIssue['severity'], number>;
}

export interface AwsSyncResult {
  summary: AwsSummary;
  load: PublishResult;
  /** Scopes left uncleaned because they hold edges into an account that could not be collected. */
  protectedScopes: string[];
  issues: CollectionIssue[];
  timings: { collectMs: number; analyzeMs: number; loadMs: number };
}

export async function syncAws(
  executor: GraphExecutor,
  source: AwsSource,
  options: SyncOptions = {},
): Promise<AwsSyncResult> {
  options.onStep?.(`collecting (${describeSource(source)})`);
  const run = await collectAndAnalyzeAws(source);
  options.onStep?.('validating');
  const sourceName = describeSource(source);
  const inventory = buildAwsInventory(run.environment, run.analysis, {
    sourceName,
    ...(options.classification ? { classification: options.classification } : {}),
    onIssue: (issue) => run.issues.push(issue),
  });
  // Everything is checked before the graph is touched: a bad inventory loads nothing.
  const valid = validateInventory(inventory, sourceName);
  const protectedScopes = await protectNeighbours(executor, valid);
  options.onStep?.('loading');
  const started = performance.now();
  const load = await publishInventory(executor, valid, {
    sources: [sourceName],
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.summary ? { summary: true } : {}),
  });
  return {
    summary: summarizeAws(valid, run),
    load,
    protectedScopes,
    issues: run.issues,
    timings: { ...run.timings, loadMs: performance.now() - started },
  };
}

/**
 * An edge between a complete account and an account that could not be collected cannot be
 * derived this run (one side's policies are unknown). Cleaning the complete account would delete
 * it, so that account is kept uncleaned too, with the reason on the run.
 */
async function protectNeighbours(executor: GraphExecutor, valid: ValidInventory): Promise<string[]> {
  const scopes = valid.inventory.scopes;
  const incomplete = scopes.filter((s) => !s.complete).map((s) => s.id);
  if (incomplete.length === 0) return [];
  const rows = await executor.read<{ scope: string }>(
    cypherFile('pipeline/scopes-touching'),
    { scopes: incomplete },
    { action: 'finding scopes with edges into accounts that could not be collected' },
  );
  const touching = new Set(rows.map((r) => r.scope));
  const protectedScopes: string[] = [];
  for (const scope of scopes) {
    if (!scope.complete || !touching.has(scope.id)) continue;
    scope.complete = false;
    scope.errors = [
      ...(scope.errors ?? []),
      `has edges to or from ${incomplete.join(', ')}, which could not be fully collected: its stale data is kept this run`,
    ];
    protectedScopes.push(scope.id);
  }
  return protectedScopes;
}

export function summarizeAws(valid: ValidInventory, run: AwsAnalysisRun): AwsSummary {
  const edges: Record<string, number> = {};
  for (const e of run.analysis.edges) edges[e.type] = (edges[e.type] ?? 0) + 1;
  const findings: Record<string, number> = {};
  for (const f of run.analysis.findings) findings[f.severity] = (findings[f.severity] ?? 0) + 1;
  const issues = { error: 0, warning: 0, info: 0 };
  for (const i of run.issues) issues[i.severity] += 1;
  return {
    accounts: valid.inventory.scopes
      .filter((s) => s.provider === 'aws')
      .map((s) => ({ id: s.id, complete: s.complete })),
    principals: valid.nodes.filter((n) => n.labels.includes('Principal')).length,
    edges: sortedRecord(edges),
    findings: sortedRecord(findings),
    issues,
  };
}

function sortedRecord(record: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Collect, analyze and validate without Neo4j: what the in-memory queries run on. */
export async function awsValidInventory(
  source: AwsSource,
  options: { classification?: AwsClassification } = {},
): Promise<{ run: AwsAnalysisRun; valid: ValidInventory }> {
  const run = await collectAndAnalyzeAws(source);
  const sourceName = describeSource(source);
  const inventory = buildAwsInventory(run.environment, run.analysis, {
    sourceName,
    ...(options.classification ? { classification: options.classification } : {}),
    onIssue: (issue) => run.issues.push(issue),
  });
  return { run, valid: validateInventory(inventory, sourceName) };
}
