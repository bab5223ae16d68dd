import type { Config } from '../config/schema.js';
import type { GraphExecutor } from '../graph/executor.js';
import type { LoadProgress } from '../graph/loader.js';
import type { CollectionIssue } from '../model/collection-issue.js';
import {
  INVENTORY_FORMAT,
  INVENTORY_VERSION,
  type Inventory,
  type InventoryNode,
  type InventoryScope,
} from '../model/inventory.js';
import { type ValidInventory, validateInventory } from '../model/validate.js';
import { type OwnerResolution, type OwnerSources, resolveOwners } from '../owners/resolve.js';
import type {
  AnalysisOptions,
  AnyProvider,
  Provider,
  ProviderAnalysis,
  ProviderSummary,
  SourceSelection,
} from '../providers/contract.js';
import type { ProviderRegistry } from '../providers/registry.js';
import {
  CROSS_PROVIDER_RULES,
  type CrossProviderResult,
  type CrossProviderRule,
  deriveCrossProvider,
  keptRelationships,
  type ProviderData,
} from './cross-provider.js';
import { resolveKnownPrincipals } from './known-principals.js';
import { protectNeighbours } from './protect.js';
import { type PublishResult, publishInventory } from './publish.js';

/**
 * The one pipeline, for any set of providers in one collection run:
 *
 *   collect each → analyze each → each provider's inventory → cross-provider rules over the union
 *   → merge → owners (src/owners/) → validate → known principals for external ids → protect neighbours of incomplete
 *   scopes → load (publishInventory), then
 *   the reachability summary.
 *
 * Everything up to validation is pure of Neo4j (`analyzeProviders`): `reachgraph analyze` and the
 * in-memory queries stop there; `syncProviders` goes on to the graph.
 */

/** One provider asked to do one thing in a run: the provider and its own request, paired. */
export interface ProviderJob {
  readonly provider: AnyProvider;
  /** What produced the data (`aws snapshot ./snap`), recorded on the run. */
  readonly source: string;
  /** Collect and analyze as of the run's analysis time; then its inventory and summary are built from what it returns. */
  run(options: AnalysisOptions): Promise<CollectedJob>;
}

interface CollectedJob {
  environment: unknown;
  analysis: ProviderAnalysis;
  /** Collection issues, then the analyzer's. */
  issues: CollectionIssue[];
  collectMs: number;
  analyzeMs: number;
  inventory(onIssue: (issue: CollectionIssue) => void): Inventory;
  summarize(inventory: Inventory, issues: readonly CollectionIssue[]): ProviderSummary;
}

/** Pairs a provider with a request of its own type. */
export function providerJob<R, E, A extends ProviderAnalysis, S extends ProviderSummary>(
  provider: Provider<R, E, A, S>,
  request: R,
): ProviderJob {
  const source = provider.describeSource(request);
  return {
    provider,
    source,
    async run(options) {
      let started = performance.now();
      const collected = await provider.collect(request);
      const collectMs = performance.now() - started;
      started = performance.now();
      const analysis = await provider.analyze(collected.environment, options);
      const analyzeMs = performance.now() - started;
      return {
        environment: collected.environment,
        analysis,
        issues: [...collected.issues, ...analysis.issues],
        collectMs,
        analyzeMs,
        inventory: (onIssue) =>
          provider.inventory(request, collected.environment, analysis, { sourceName: source, onIssue }),
        summarize: (inventory, issues) => provider.summarize(analysis, inventory, issues),
      };
    },
  };
}

/**
 * The jobs of a run: the named providers, or with no name every provider with a folder in the
 * snapshot root (or, live, every registered provider), each given its request.
 */
export function providerJobs(
  registry: ProviderRegistry,
  names: readonly string[],
  selection: SourceSelection,
  config: Config,
): ProviderJob[] {
  const providers =
    names.length > 0
      ? registry.named(names)
      : 'snapshotRoot' in selection
        ? registry.inSnapshot(selection.snapshotRoot)
        : [...registry.providers];
  return providers.map((p) => providerJob(p, p.requestOf(selection, config)));
}

/** One provider's part of a run. */
export interface ProviderOutcome {
  provider: AnyProvider;
  source: string;
  environment: unknown;
  analysis: ProviderAnalysis;
  /** Its part of the run's inventory, as it built it. */
  inventory: Inventory;
  /** Collection issues, then the analyzer's, then those met building its inventory. */
  issues: CollectionIssue[];
  summary: ProviderSummary;
  timings: { collectMs: number; analyzeMs: number };
}

/** A provider's outcome typed as that provider's own; undefined when it was not in the run. */
export function outcomeOf<R, E, A extends ProviderAnalysis, S extends ProviderSummary>(
  outcomes: readonly Pick<ProviderOutcome, 'provider' | 'inventory'>[],
  provider: Provider<R, E, A, S>,
): (ProviderOutcome & { environment: E; analysis: A; summary: S }) | undefined {
  // Found by the provider object itself: what it holds came from that provider's own methods.
  return outcomes.find((o) => o.provider === provider) as
    | (ProviderOutcome & { environment: E; analysis: A; summary: S })
    | undefined;
}

export interface AnalyzeOptions {
  /** Told when a step starts (collecting, validating…). */
  onStep?: (step: string) => void;
  /** The cross-provider rules to run (default: CROSS_PROVIDER_RULES). */
  crossProviderRules?: readonly CrossProviderRule[];
  generatedAt?: string;
  /**
   * The time the run is analyzed as of (`--as-of`): time conditions are decided for it. Default:
   * now, read once here; it is recorded on the inventory (and so on the collection run).
   */
  asOf?: Date;
  /** The owners file, CODEOWNERS files and keys owners are resolved from (docs/owners.md). */
  owners?: OwnerSources;
}

/** A run up to a valid inventory, before Neo4j. */
export interface AnalyzedRun {
  outcomes: ProviderOutcome[];
  crossProvider: CrossProviderResult;
  valid: ValidInventory;
  /** Every provider's issues in run order, then the cross-provider step's. */
  issues: CollectionIssue[];
  /** What produced the data: one entry per provider. */
  sources: string[];
  /**
   * `inventoryMs`: each provider's inventory built from its analysis, the owners resolved and the
   * whole run's inventory validated (the cross-provider rules count as analysis).
   */
  timings: { collectMs: number; analyzeMs: number; inventoryMs: number };
  /** How many non-human identities got an owner, and how many sources disagreed. */
  owners: OwnerResolution['stats'];
}

/** Collect and analyze every job, derive cross-provider edges, merge and validate: no Neo4j. */
export async function analyzeProviders(
  jobs: readonly ProviderJob[],
  options: AnalyzeOptions = {},
): Promise<AnalyzedRun> {
  const { outcomes, ...run } = await prepareRun(jobs, options);
  return { ...run, outcomes: outcomes() };
}

/** A provider's part of a run before its summary. */
type UnsummarizedOutcome = Omit<ProviderOutcome, 'summary'> & {
  summarize(inventory: Inventory): ProviderSummary;
};

/** A run before its summaries, which are counted once its scopes' completeness is final. */
interface PreparedRun extends Omit<AnalyzedRun, 'outcomes'> {
  /** Each provider's outcome, its summary counted over its own part of the valid inventory as it is now. */
  outcomes(): ProviderOutcome[];
}

async function prepareRun(jobs: readonly ProviderJob[], options: AnalyzeOptions): Promise<PreparedRun> {
  if (jobs.length === 0) throw new Error('no provider to collect');
  for (const [i, job] of jobs.entries())
    if (jobs.findIndex((j) => j.provider === job.provider) !== i)
      throw new Error(`provider ${job.provider.name} is asked for twice in one run`);

  const asOf = options.asOf ?? new Date();
  let inventoryMs = 0;
  const outcomes: UnsummarizedOutcome[] = [];
  const data = new Map<AnyProvider, ProviderData<unknown, ProviderAnalysis>>();
  for (const job of jobs) {
    options.onStep?.(`collecting (${job.source})`);
    const collected = await job.run({ asOf });
    const issues = collected.issues;
    const building = performance.now();
    const inventory = collected.inventory((issue) => issues.push(issue));
    checkConformance(job.provider, inventory);
    inventoryMs += performance.now() - building;
    outcomes.push({
      provider: job.provider,
      source: job.source,
      environment: collected.environment,
      analysis: collected.analysis,
      inventory,
      issues,
      timings: { collectMs: collected.collectMs, analyzeMs: collected.analyzeMs },
      summarize: (own) => collected.summarize(own, issues),
    });
    data.set(job.provider, { environment: collected.environment, analysis: collected.analysis, inventory });
  }

  const started = performance.now();
  const nodes = mergeNodes(outcomes);
  const relationships = outcomes.flatMap((o) => o.inventory.relationships);
  const crossProvider = deriveCrossProvider(options.crossProviderRules ?? CROSS_PROVIDER_RULES, data, {
    nodes,
    relationships,
  });
  const crossMs = performance.now() - started;

  options.onStep?.('validating');
  const validating = performance.now();
  const sources = outcomes.map((o) => o.source);
  const sourceName = sources.join(' + ');
  const known = new Set(nodes.map((n) => n.id));
  const kept = [...keptRelationships(relationships, crossProvider.superseded), ...crossProvider.edges];
  // Owners are decided over the whole run: a role's owner may come from the GitHub subject
  // federating into it, a service account's from the workloads running as it (src/owners/).
  const owners = resolveOwners(
    { nodes: [...nodes, ...crossProvider.nodes.filter((n) => !known.has(n.id))], relationships: kept },
    options.owners ?? {},
  );
  const inventory: Inventory = {
    format: INVENTORY_FORMAT,
    version: INVENTORY_VERSION,
    generatedAt: options.generatedAt ?? new Date().toISOString(),
    asOf: asOf.toISOString(),
    source: {
      name: sourceName,
      description: outcomes.map((o) => o.inventory.source.description ?? o.provider.title).join('; '),
    },
    scopes: withCrossProviderErrors(outcomes, crossProvider),
    nodes: owners.nodes,
    relationships: kept,
  };
  // Everything is checked before the graph is touched: a bad inventory loads nothing.
  const valid = validateInventory(inventory, sourceName);
  inventoryMs += performance.now() - validating;
  const sum = (key: 'collectMs' | 'analyzeMs') => outcomes.reduce((t, o) => t + o.timings[key], 0);
  return {
    crossProvider,
    valid,
    issues: [...outcomes.flatMap((o) => o.issues), ...crossProvider.issues],
    sources,
    timings: { collectMs: sum('collectMs'), analyzeMs: sum('analyzeMs') + crossMs, inventoryMs },
    owners: owners.stats,
    outcomes: () =>
      outcomes.map(({ summarize, ...outcome }) => {
        const own = new Set(outcome.inventory.scopes.map((s) => s.id));
        const scopes = valid.inventory.scopes.filter((s) => own.has(s.id));
        return { ...outcome, summary: summarize({ ...outcome.inventory, scopes }) };
      }),
  };
}

/**
 * A provider's inventory holds only what it declares: its own scopes, its node kinds and its
 * relationship types. A breach is a bug in the provider, so it stops the run before anything loads.
 */
function checkConformance(provider: AnyProvider, inventory: Inventory): void {
  const problems: string[] = [];
  for (const scope of inventory.scopes)
    if (scope.provider !== provider.graphProvider || !scope.id.startsWith(`${provider.scopePrefix}:`))
      problems.push(
        `scope ${scope.id} (provider ${scope.provider}) is not a ${provider.scopePrefix}: scope of provider ${provider.graphProvider}`,
      );
  const kinds = new Set(provider.nodeKinds);
  for (const kind of new Set(inventory.nodes.map((n) => n.kind)))
    if (!kinds.has(kind)) problems.push(`node kind ${kind} is not among its node kinds`);
  const types = new Set(provider.relationshipKinds);
  for (const type of new Set(inventory.relationships.map((r) => r.type)))
    if (!types.has(type)) problems.push(`relationship type ${type} is not among its relationship kinds`);
  if (problems.length > 0)
    throw new Error(`provider ${provider.name}: its inventory breaks its contract: ${problems.join('; ')}`);
}

/**
 * The providers' nodes as one list. A node two providers both emit (a public principal, an OIDC
 * subject) is kept once, as the first provider describes it; one id with two kinds is an error.
 */
function mergeNodes(outcomes: readonly Pick<ProviderOutcome, 'provider' | 'inventory'>[]): InventoryNode[] {
  const byId = new Map<string, { node: InventoryNode; provider: string }>();
  for (const outcome of outcomes)
    for (const node of outcome.inventory.nodes) {
      const first = byId.get(node.id);
      if (!first) byId.set(node.id, { node, provider: outcome.provider.name });
      else if (first.node.kind !== node.kind)
        throw new Error(
          `node ${node.id} is a ${first.node.kind} for provider ${first.provider} but a ${node.kind} for provider ${outcome.provider.name}`,
        );
    }
  return [...byId.values()].map((v) => v.node);
}

/** Scopes of every provider; a failed cross-provider rule leaves the scopes of the providers it joins incomplete. */
function withCrossProviderErrors(
  outcomes: readonly Pick<ProviderOutcome, 'provider' | 'inventory'>[],
  crossProvider: CrossProviderResult,
): InventoryScope[] {
  const failed = new Set(crossProvider.failedProviders);
  const errors = crossProvider.issues
    .filter((i) => i.severity === 'error')
    .map((i) => `${i.source}: ${i.message}`);
  const scopes: InventoryScope[] = [];
  for (const outcome of outcomes)
    for (const scope of outcome.inventory.scopes) {
      if (scopes.some((s) => s.id === scope.id))
        throw new Error(`scope ${scope.id} is declared twice (provider ${outcome.provider.name})`);
      scopes.push(
        failed.has(outcome.provider.name)
          ? { ...scope, complete: false, errors: [...(scope.errors ?? []), ...errors] }
          : scope,
      );
    }
  return scopes;
}

// ── Sync: the pipeline through to the graph, as one collection run ──────────────────────────

export interface SyncOptions extends AnalyzeOptions {
  batchSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: LoadProgress) => void;
  /** Recompute the reachability summary after a successful load (see publishInventory). */
  summary?: boolean;
}

export interface SyncResult {
  outcomes: ProviderOutcome[];
  load: PublishResult;
  /** Scopes left uncleaned because they hold edges into a scope that could not be collected. */
  protectedScopes: string[];
  /** Every scope of the run, and whether its stale data could be deleted. */
  scopes: { id: string; complete: boolean }[];
  issues: CollectionIssue[];
  /**
   * `graphWaitMs`: how long the analyzed run waited for a graph that was still opening (a local
   * server started for the command: its start overlaps collection and analysis); 0 when it was ready.
   */
  timings: AnalyzedRun['timings'] & { graphWaitMs: number; loadMs: number };
  /** The time the run was analyzed as of (ISO 8601), as recorded on the run. */
  asOf: string | undefined;
  /** How many non-human identities got an owner (docs/owners.md). */
  owners: OwnerResolution['stats'];
}

/**
 * Collect, analyze and load `jobs` as one run. The graph may still be opening (a local server
 * started for this command, src/graph/connection.ts `beginOpenGraph`): it is awaited only once the
 * run is analyzed and valid, so the server's start overlaps the collection and the analysis, and a
 * graph that cannot be opened fails the run then, before anything is written.
 */
export async function syncProviders(
  graph: GraphExecutor | Promise<GraphExecutor>,
  jobs: readonly ProviderJob[],
  options: SyncOptions = {},
): Promise<SyncResult> {
  // Handled here at once: a graph failing while the run is collected is reported when awaited.
  if (graph instanceof Promise) graph.catch(() => {});
  const { outcomes, ...run } = await prepareRun(jobs, options);
  const waiting = performance.now();
  const executor = await graph;
  const graphWaitMs = performance.now() - waiting;
  await resolveKnownPrincipals(executor, run.valid);
  const protectedScopes = await protectNeighbours(executor, run.valid);
  options.onStep?.('loading');
  const started = performance.now();
  const load = await publishInventory(executor, run.valid, {
    sources: run.sources,
    ...(options.batchSize ? { batchSize: options.batchSize } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    ...(options.summary ? { summary: true } : {}),
  });
  return {
    // Counted after protection, so a protected scope shows as incomplete.
    outcomes: outcomes(),
    load,
    protectedScopes,
    scopes: run.valid.inventory.scopes.map((s) => ({ id: s.id, complete: s.complete })),
    issues: run.issues,
    timings: { ...run.timings, graphWaitMs, loadMs: performance.now() - started },
    asOf: run.valid.inventory.asOf,
    owners: run.owners,
  };
}
