import { eksAccessEntries } from '../analyzers/cross-provider/eks-access-entries.js';
import { eksAwsAuth } from '../analyzers/cross-provider/eks-aws-auth.js';
import { eksIrsa } from '../analyzers/cross-provider/eks-irsa.js';
import { eksPodIdentity } from '../analyzers/cross-provider/eks-pod-identity.js';
import { gcpWorkloadIdentityFederation } from '../analyzers/cross-provider/gcp-workload-identity-federation.js';
import { gkeWorkloadIdentity } from '../analyzers/cross-provider/gke-workload-identity.js';
import type { CollectionIssue } from '../model/collection-issue.js';
import type { Inventory, InventoryNode, InventoryRelationship } from '../model/inventory.js';
import type {
  AnyProvider,
  DerivedRelationship,
  Provider,
  ProviderAnalysis,
  ProviderSummary,
} from '../providers/contract.js';
import { kubernetesProvider } from '../providers/kubernetes/index.js';

/**
 * The cross-provider step: rules that derive edges joining two providers' data (a Kubernetes
 * service account federating to an AWS role whose trust policy admits the cluster's OIDC
 * subject; a GKE workload acting as a GCP service account). They run once per collection run,
 * after every provider's own analysis, over the union of the run. A rule is one file under
 * `src/analyzers/cross-provider/`, registered in CROSS_PROVIDER_RULES.
 */

/** One provider's own data in the run, typed by that provider. */
export interface ProviderData<Environment, Analysis> {
  environment: Environment;
  analysis: Analysis;
  inventory: Inventory;
}

/** What a cross-provider rule sees: every provider of the run, and their nodes and relationships together. */
export interface CrossProviderUnion {
  /** Names of the providers in the run. */
  readonly providers: readonly string[];
  readonly nodes: readonly InventoryNode[];
  readonly relationships: readonly InventoryRelationship[];
  /** A provider's own environment and analysis; undefined when it is not in the run. */
  dataOf<Request, Environment, Analysis extends ProviderAnalysis, Summary extends ProviderSummary>(
    provider: Provider<Request, Environment, Analysis, Summary>,
  ): ProviderData<Environment, Analysis> | undefined;
}

/** One relationship by its type and ends. */
export interface RelationshipKey {
  type: string;
  from: string;
  to: string;
}

export interface CrossProviderOutput {
  /** Nodes the rule introduces (an OIDC subject no provider emitted). */
  nodes?: InventoryNode[];
  edges: DerivedRelationship[];
  issues?: CollectionIssue[];
  /**
   * A provider's relationships this rule decides in their place, left out of the run: a provider alone
   * can only give a conditional edge (a GKE annotation) that the other provider's side decides.
   */
  supersedes?: RelationshipKey[];
}

export interface CrossProviderRule {
  name: string;
  description: string;
  /** Providers (by name) whose data the rule joins: it runs only when all of them are in the run. */
  requires: readonly string[];
  /** Relationship types it emits; any other is rejected. */
  emits: readonly string[];
  /** The platform documentation the rule's semantics follow (docs/edges.md lists them). */
  references: readonly string[];
  derive(union: CrossProviderUnion): CrossProviderOutput;
}

/** Rejects two rules with one name and a rule that requires fewer than two providers. */
export function createCrossProviderRegistry(
  rules: readonly CrossProviderRule[],
): readonly CrossProviderRule[] {
  const names = new Set<string>();
  for (const rule of rules) {
    if (names.has(rule.name)) throw new Error(`cross-provider rule "${rule.name}" is registered twice`);
    names.add(rule.name);
    if (new Set(rule.requires).size < 2)
      throw new Error(`cross-provider rule "${rule.name}" must join at least two providers`);
  }
  return rules;
}

/** Every cross-provider rule, in run order; a rule runs when every provider it joins is in the run. */
export const CROSS_PROVIDER_RULES: readonly CrossProviderRule[] = createCrossProviderRegistry([
  eksIrsa,
  eksAwsAuth(kubernetesProvider),
  eksAccessEntries,
  eksPodIdentity,
  gkeWorkloadIdentity(kubernetesProvider),
  gcpWorkloadIdentityFederation,
]);

export interface CrossProviderResult {
  nodes: InventoryNode[];
  edges: DerivedRelationship[];
  issues: CollectionIssue[];
  /** Rules that ran (all their providers were in the run), in order. */
  ran: string[];
  /** Providers whose derived edges may be missing because a rule joining them failed. */
  failedProviders: string[];
  /** Provider relationships the rules decided in their place (left out of the run). */
  superseded: RelationshipKey[];
}

/** The provider relationships a run keeps: those no cross-provider rule decided in their place. */
export function keptRelationships<R extends RelationshipKey>(
  relationships: readonly R[],
  superseded: readonly RelationshipKey[],
): R[] {
  if (superseded.length === 0) return [...relationships];
  const key = (r: RelationshipKey) => `${r.type}\u0000${r.from}\u0000${r.to}`;
  const drop = new Set(superseded.map(key));
  return relationships.filter((r) => !drop.has(key(r)));
}

/** Provider data of a run, keyed by the provider object that produced it. */
export type RunData = ReadonlyMap<AnyProvider, ProviderData<unknown, ProviderAnalysis>>;

/**
 * Runs every rule whose providers are all in the run. A rule that fails (or emits a type it did
 * not declare) is an error issue naming it; the others still run.
 */
export function deriveCrossProvider(
  rules: readonly CrossProviderRule[],
  data: RunData,
  union: Pick<CrossProviderUnion, 'nodes' | 'relationships'>,
): CrossProviderResult {
  const present = [...data.keys()].map((p) => p.name);
  const view: CrossProviderUnion = {
    providers: present,
    nodes: union.nodes,
    relationships: union.relationships,
    dataOf: <R, E, A extends ProviderAnalysis, S extends ProviderSummary>(provider: Provider<R, E, A, S>) =>
      // Keyed by the provider object itself: the data under it is that provider's own.
      data.get(provider) as ProviderData<E, A> | undefined,
  };
  const result: CrossProviderResult = {
    nodes: [],
    edges: [],
    issues: [],
    ran: [],
    failedProviders: [],
    superseded: [],
  };
  for (const rule of rules) {
    if (!rule.requires.every((name) => present.includes(name))) continue;
    result.ran.push(rule.name);
    try {
      const output = rule.derive(view);
      const foreign = output.edges.filter((e) => !rule.emits.includes(e.type));
      if (foreign.length > 0)
        throw new Error(
          `it emitted ${[...new Set(foreign.map((e) => e.type))].join(', ')}, not among its declared types (${rule.emits.join(', ')})`,
        );
      for (const node of output.nodes ?? []) result.nodes.push(node);
      for (const edge of output.edges) result.edges.push(edge);
      for (const issue of output.issues ?? []) result.issues.push(issue);
      for (const key of output.supersedes ?? []) result.superseded.push(key);
    } catch (error) {
      result.issues.push({
        severity: 'error',
        source: `cross-provider:${rule.name}`,
        message: `cross-provider rule ${rule.name} failed, its edges are missing: ${(error as Error).message}`,
      });
      for (const name of rule.requires)
        if (!result.failedProviders.includes(name)) result.failedProviders.push(name);
    }
  }
  return result;
}
