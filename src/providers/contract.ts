import type { Config } from '../config/schema.js';
import type { AnalysisFinding } from '../model/analysis-flags.js';
import type { CollectionIssue } from '../model/collection-issue.js';
import type { Evidence } from '../model/evidence.js';
import type { Inventory, InventoryRelationship } from '../model/inventory.js';
import type { Provider as GraphProvider } from '../model/properties.js';

/**
 * The provider contract: what AWS, Kubernetes, GCP… each implement so that one pipeline
 * (src/pipeline/sync.ts) runs any set of them in one collection run. A provider is
 *
 *   request ─collect (live | snapshot)─► environment ─analyze (pure)─► analysis ─inventory─► its part of the run's Inventory
 *
 * plus the facts the rest of the tool needs without knowing the provider: its CLI word and
 * snapshot folder, how a scope of it is named, which node and relationship kinds it emits, and
 * which documentation it owns. docs/providers.md explains how to add one.
 */

/** A relationship an analyzer derived, always with the evidence that explains it. */
export type DerivedRelationship = InventoryRelationship & { evidence: Evidence[] };

/** What every provider's analysis holds, whatever else it carries. */
export interface ProviderAnalysis {
  edges: readonly DerivedRelationship[];
  /** Facts worth a finding; stored as AnalysisFlag nodes on their subject. */
  findings: readonly AnalysisFinding[];
  /** Problems met while analyzing (an error leaves the scopes it concerns incomplete). */
  issues: readonly CollectionIssue[];
  /** Counters and timings of the analysis, printed by `reachgraph analyze --json`. */
  stats: Readonly<Record<string, number | Readonly<Record<string, number>>>>;
}

/** The counts every provider reports for a run (a provider may add its own fields). */
export interface ProviderSummary {
  principals: number;
  /** Derived edges per relationship type. */
  edges: Record<string, number>;
  /** Analysis findings per severity. */
  findings: Record<string, number>;
  issues: Record<CollectionIssue['severity'], number>;
}

/** What one collection produced: the provider's environment and the problems met reading it. */
export interface Collected<Environment> {
  environment: Environment;
  issues: CollectionIssue[];
}

export interface InventoryContext {
  /** What produced the data (its `describeSource`), recorded on the inventory. */
  sourceName: string;
  /** Told about problems met while building (a finding whose subject is not a node). */
  onIssue: (issue: CollectionIssue) => void;
}

/** What every analysis is given besides the environment. */
export interface AnalysisOptions {
  /**
   * The time the analysis is made as of: conditions on the current time are decided for it. The
   * pipeline fixes it once per run (`--as-of`, default now); an analyzer never reads the clock.
   */
  asOf: Date;
}

/** A command-line option a provider adds to `sync` and `analyze` (commander's flag syntax). */
export interface SourceOption {
  /** `--profile <name>`, `--role-arn <arn...>`. */
  flags: string;
  description: string;
}

/** Option values as commander parses them: a string, a list for variadic flags, or unset. */
export type SourceOptionValues = Readonly<Record<string, string | string[] | boolean | undefined>>;

/** Where a run's data comes from, before a provider turns it into its own request. */
export type SourceSelection =
  /** A snapshot root: the provider reads its own folder inside it (`<root>/aws/…`). */
  | { snapshotRoot: string; options: SourceOptionValues }
  /** The provider's live API, with its options over the application config. */
  | { live: true; options: SourceOptionValues; onProgress?: (message: string) => void };

export interface SnapshotLayout {
  /** The folder of the snapshot root this provider reads (`aws` for `<root>/aws/…`). */
  folder: string;
  /** One line on what the folder holds. */
  description: string;
  /** The document describing the layout in full. */
  doc: string;
}

/** A generated document the provider owns: `npm run docs:generate` writes it, a test checks it. */
export interface GeneratedDoc {
  path: string;
  render: () => string;
}

export interface ProviderDocs {
  /** The hand-written guide (collection, permissions, what is analyzed). */
  guide: string;
  generated: readonly GeneratedDoc[];
}

/**
 * One provider. `Request` is what one run of it is asked to do (a source and its settings),
 * `Environment` its collected model, `Analysis` its analyzer's output, `Summary` the counts it
 * reports. Members are methods so that a provider of specific types is usable where any
 * provider is expected (the pipeline only hands each provider its own values back).
 */
export interface Provider<
  Request,
  Environment,
  Analysis extends ProviderAnalysis,
  Summary extends ProviderSummary,
> {
  /** The CLI word (`reachgraph sync aws`) and registry key: lower case. */
  readonly name: string;
  /** The name in prose and output (`AWS`). */
  readonly title: string;
  /** The `provider` value its scopes (and nodes) carry in the graph. */
  readonly graphProvider: GraphProvider;
  /** Every scope id of this provider starts with `<scopePrefix>:` (`aws:111111111111`). */
  readonly scopePrefix: string;
  /** What one of its scopes is called in output (`account`, `accounts`). */
  readonly scopeNoun: { readonly one: string; readonly many: string };
  readonly snapshotLayout: SnapshotLayout;
  /** Node kinds (labels) its inventory may hold; the pipeline rejects any other. */
  readonly nodeKinds: readonly string[];
  /** Relationship types its inventory may hold; the pipeline rejects any other. */
  readonly relationshipKinds: readonly string[];
  readonly docs: ProviderDocs;
  /** Options it adds to `sync` and `analyze` for its live source. */
  readonly sourceOptions: readonly SourceOption[];

  /** Its request for a snapshot root or its live API; bad or contradictory options throw. */
  requestOf(selection: SourceSelection, config: Config): Request;
  /** What produced the data, recorded on the run (`aws snapshot ./snap`). */
  describeSource(request: Request): string;
  /** Get (live API or snapshot) and transform: never throws for one bad document (an issue instead). */
  collect(request: Request): Promise<Collected<Environment>>;
  /** Pure edge derivation over the collected environment, as of the run's analysis time. */
  analyze(environment: Environment, options: AnalysisOptions): Promise<Analysis>;
  /**
   * Its part of the run's inventory: scopes, nodes, and relationships collected and derived. Each
   * scope is complete only when collection and analysis had no error there: only complete scopes
   * get their stale data deleted.
   */
  inventory(
    request: Request,
    environment: Environment,
    analysis: Analysis,
    context: InventoryContext,
  ): Inventory;
  /** The counts reported for the run, from its part of the inventory. */
  summarize(analysis: Analysis, inventory: Inventory, issues: readonly CollectionIssue[]): Summary;
}

/** A provider of any types, as registries and the pipeline hold it. */
export type AnyProvider = Provider<unknown, unknown, ProviderAnalysis, ProviderSummary>;
