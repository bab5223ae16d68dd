import type { AnalysisFinding } from '../../model/analysis-flags.js';
import type { AwsEnvironment, CollectionIssue } from '../../model/aws/environment.js';
import type { InventoryNode } from '../../model/inventory.js';
import { createAuthorizer } from './authorizer/environment-authorizer.js';
import { loadCatalog } from './catalog.js';
import { mergeEdges } from './edges/evidence.js';
import { DerivedFacts, withoutOverlaps } from './edges/grant-hubs.js';
import { NodeSet } from './edges/nodes.js';
import { EDGE_FAMILIES } from './edges/registry.js';
import type { DerivedEdge } from './types.js';

export interface AwsAnalysis {
  /** Nodes the analysis introduces (OidcSubject, ExternalPrincipal, Public, AwsAccountRoot, Grant). */
  nodes: InventoryNode[];
  edges: DerivedEdge[];
  findings: AnalysisFinding[];
  /** Problems met while analyzing (missing policies, engine warnings, a family that failed). */
  issues: CollectionIssue[];
  stats: {
    principals: number;
    resources: number;
    /** Policy engine evaluations (memoized repeats not counted). */
    evaluations: number;
    /** Wall time per edge family, in run order. */
    durationMs: Record<string, number>;
  };
}

export interface AnalyzeAwsOptions {
  /** Run only these edge families (by name); default: all of them. */
  families?: string[];
  /** The analysis time (see AuthorizerOptions); without it time conditions stay undecided. */
  asOf?: Date;
  /**
   * Factor callers × targets products into Grant hubs (default true); false writes the same
   * facts as one edge per pair (src/model/grants.ts `expandGrants` is the correspondence).
   */
  grantHubs?: boolean;
}

/**
 * Derives every AWS edge family over the environment, in registry order. Pure apart from loading
 * the action catalogue once (it is read asynchronously). A family that fails is recorded as an
 * issue naming it, and the others still run.
 */
export async function analyzeAws(env: AwsEnvironment, options: AnalyzeAwsOptions = {}): Promise<AwsAnalysis> {
  await loadCatalog();
  const families = selectFamilies(options.families);
  const authorizer = createAuthorizer(env, options.asOf ? { asOf: options.asOf } : {});
  const nodes = new NodeSet();
  const edges: DerivedEdge[] = [];
  const findings: AnalysisFinding[] = [];
  const familyIssues: CollectionIssue[] = [];
  const durationMs: Record<string, number> = {};
  // One analysis's facts: a family reads what those before it derived (grant-hubs.ts DerivedFacts).
  const deriveOptions = { grantHubs: options.grantHubs ?? true, facts: new DerivedFacts() };
  for (const family of families) {
    const started = performance.now();
    try {
      const output = family.derive(authorizer, deriveOptions);
      for (const node of output.nodes ?? []) nodes.add(node);
      // Loops, not push(...list): a family may emit more edges than a call takes arguments.
      for (const edge of output.edges) edges.push(edge);
      for (const finding of output.findings ?? []) findings.push(finding);
    } catch (error) {
      familyIssues.push({
        severity: 'error',
        source: `analyzer:${family.name}`,
        message: `edge family ${family.name} failed, its edges are missing: ${(error as Error).message}`,
      });
    }
    durationMs[family.name] = Math.round(performance.now() - started);
  }
  // Merged across families: escalation gains CAN_ACCESS edges that can-access may also give (a
  // pair inside a Grant hub is taken out of it first).
  const separate = withoutOverlaps(nodes.list(), edges);
  return {
    nodes: separate.nodes,
    edges: mergeEdges(separate.edges),
    findings,
    issues: [...authorizer.issues, ...familyIssues],
    stats: {
      principals: authorizer.principals().length,
      resources: authorizer.resources().length,
      evaluations: authorizer.evaluationCount,
      durationMs,
    },
  };
}

function selectFamilies(names: string[] | undefined) {
  if (!names) return EDGE_FAMILIES;
  const known = new Set(EDGE_FAMILIES.map((f) => f.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0)
    throw new Error(
      `unknown edge famil${unknown.length > 1 ? 'ies' : 'y'} ${unknown.join(', ')} (known: ${[...known].join(', ')})`,
    );
  return EDGE_FAMILIES.filter((f) => names.includes(f.name));
}
