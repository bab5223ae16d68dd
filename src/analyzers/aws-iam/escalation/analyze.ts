import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { Evidence } from '../../../model/evidence.js';
import type { InventoryNode } from '../../../model/inventory.js';
import type { EnvironmentAuthorizer } from '../authorizer/environment-authorizer.js';
import type { DerivedFacts } from '../edges/grant-hubs.js';
import { scopeOf } from '../edges/nodes.js';
import type { DerivedEdge } from '../types.js';
import { EscalationRun } from './context.js';
import { evidenceKey, findingConditions, findingEvidence, SharedRecords } from './evidence.js';
import { ProductFactoring } from './grant-hubs.js';
import { settlePrerequisites } from './prerequisites.js';
import { type Chain, chainEvidence, chainFinding, findingKey, StateExplorer, type Step } from './states.js';
import { type Controlled, MAX_CONTROLLED, teamFindings } from './teams.js';
import { TechniqueTraces, TracingAuthorizer } from './technique-traces.js';
import type { EscalationFinding, EscalationTechnique } from './types.js';

/**
 * Runs escalation techniques over every principal and turns what they find into CAN_ESCALATE
 * edges, one per (source, target):
 * - a principal that is already administrator is skipped (it has nothing to gain);
 * - a technique is tried only when the principal may have all its required actions (`mayAllow`);
 * - findings that change someone's permissions are followed into the state they lead to
 *   (states.ts): administrator there, or after further steps the state enables, gives the edge to
 *   the account; what the state gains besides gives CAN_ESCALATE edges to roles and CAN_ACCESS
 *   edges to data, each with the chain in its evidence;
 * - several techniques reaching the same target make one edge: its `technique` is the one that
 *   needs least (no `requires`, unconditional, catalogue order) and its evidence lists them all.
 */

export interface EscalationResult {
  edges: DerivedEdge[];
  findings: AnalysisFinding[];
  /** The Grant hubs of the products (grant-hubs.ts), when asked for. */
  nodes: InventoryNode[];
  /** The what-if states' techniques: run in a state, or left out as its change cannot affect them (technique-traces.ts). */
  whatIf: StateExplorer['stats'];
}

export interface EscalationOptions {
  /** Products of sources × a class of targets as Grant hubs (default false: one edge per pair). */
  grantHubs?: boolean;
  /** What the families before it derived: the what-if states read each principal's unchanged access. */
  facts?: DerivedFacts;
  /**
   * Re-run every technique in every what-if state (default false: only those the state's change can
   * affect, technique-traces.ts). The same output either way; the tests compare the two.
   */
  rerunAll?: boolean;
}

export interface Found {
  technique: EscalationTechnique;
  order: number;
  sourceId: string;
  sourceAccount: string;
  sourceKind: 'AwsUser' | 'AwsRole';
  finding: EscalationFinding;
  /** A chain of more than one step, or one step with what its state gains (states.ts). */
  chain?: Chain;
}

export function findEscalations(
  authorizer: EnvironmentAuthorizer,
  techniques: readonly EscalationTechnique[],
  options: EscalationOptions = {},
): EscalationResult {
  const run = new EscalationRun(authorizer, techniques);
  const problems: AnalysisFinding[] = [];
  const found: Found[] = [];

  // What each technique asks about each principal, so that a what-if state of the principal
  // re-runs only the techniques its change can affect (technique-traces.ts).
  const traces = new TechniqueTraces();
  for (const principal of authorizer.principals()) {
    if (authorizer.isAdmin(principal.id).outcome === 'allow') continue;
    const tracing = new TracingAuthorizer(authorizer, principal.id);
    const ctx = new EscalationRun(tracing, techniques, run).contextFor(principal);
    // Techniques share required actions (iam:PassRole above all): ask once per action.
    const may = new Map<string, boolean>();
    const mayAllow = (action: string) => {
      tracing.note(action);
      let allowed = may.get(action);
      if (allowed === undefined) {
        allowed = authorizer.mayAllow(principal.id, action);
        may.set(action, allowed);
      }
      return allowed;
    };
    techniques.forEach((technique, order) => {
      tracing.begin();
      const itself: EscalationFinding[] = [];
      if (!technique.requiredActions.every(mayAllow)) {
        traces.set(principal.id, order, tracing.end(), itself);
        return;
      }
      try {
        for (const candidate of technique.find(ctx)) {
          const finding = settlePrerequisites(ctx, candidate);
          if (!finding) continue;
          if (finding.target.kind === 'principal' && finding.target.id === principal.id) {
            itself.push(finding);
            continue;
          }
          found.push({
            technique,
            order,
            sourceId: principal.id,
            sourceAccount: principal.accountId,
            sourceKind: principal.kind,
            finding,
          });
        }
        traces.set(principal.id, order, tracing.end(), itself);
      } catch (error) {
        problems.push(techniqueFailed(technique, principal.id, error));
      }
    });
  }

  for (const f of teamsOf(run, found, techniques)) found.push(f);

  // Findings that change someone's permissions are followed into the state they lead to; a state
  // of another principal reads what that principal finds without a change, so every principal's
  // findings are known first.
  const baseFindings = new Map<string, Set<string>>();
  const bySource = new Map<string, { holding: Found[]; roots: Found[] }>();
  for (const f of found) {
    const keys = baseFindings.get(f.sourceId) ?? new Set<string>();
    keys.add(findingKey(f.technique, f.finding));
    baseFindings.set(f.sourceId, keys);
    let own = bySource.get(f.sourceId);
    if (!own) {
      own = { holding: [], roots: [] };
      bySource.set(f.sourceId, own);
    }
    (f.finding.ifAdmin ? own.roots : own.holding).push(f);
  }
  found.length = 0;
  const records = new SharedRecords();
  const explorer = new StateExplorer(
    authorizer,
    run,
    techniques,
    baseFindings,
    options.facts,
    records,
    options.rerunAll ? undefined : traces,
  );
  // Then one source at a time: its chains, its products and its pair edges, so that only one
  // source's findings and chains are held beside the edges already made.
  const factoring = new ProductFactoring(options.grantHubs ?? false, compareRank);
  const pairs: DerivedEdge[] = [];
  const access: DerivedEdge[] = [];
  for (const [sourceId, { holding, roots }] of bySource) {
    bySource.delete(sourceId);
    const source = roots.length > 0 ? authorizer.principal(sourceId) : undefined;
    if (source) {
      const order = new Map(roots.map((f) => [f.technique, f.order]));
      try {
        const explored = explorer.explore(
          source,
          roots.map((f) => ({ technique: f.technique, finding: f.finding })),
        );
        for (const e of explored.access) access.push(e);
        for (const chain of explored.chains) {
          const first = chain.steps[0] as Step;
          holding.push({
            technique: first.technique,
            order: order.get(first.technique) ?? techniques.indexOf(first.technique),
            sourceId,
            sourceAccount: source.accountId,
            sourceKind: source.kind,
            finding: chainFinding(chain),
            chain,
          });
        }
      } catch (error) {
        problems.push(techniqueFailed((roots[0] as Found).technique, sourceId, error));
      }
    }
    for (const e of toEdges(factoring.add(holding), records)) pairs.push(e);
  }
  const products = factoring.output();
  return {
    edges: [...products.edges, ...pairs.sort(byEnds), ...access],
    findings: problems,
    nodes: products.nodes,
    whatIf: explorer.stats,
  };
}

/** What each source reaches with a role it controls and its own permissions together (teams.ts). */
function teamsOf(run: EscalationRun, found: Found[], techniques: readonly EscalationTechnique[]): Found[] {
  const triggers = [...new Set(techniques.flatMap((t) => t.anyControlled ?? []))];
  if (triggers.length === 0) return [];
  const bySource = new Map<string, Controlled[]>();
  for (const f of found) {
    const { target } = f.finding;
    if (target.kind !== 'principal' || target.nodeKind !== 'AwsRole' || f.finding.ifAdmin) continue;
    const role = run.authorizer.principal(target.id);
    if (!role) continue;
    const list = bySource.get(f.sourceId) ?? [];
    list.push({
      role,
      decisions: f.finding.decisions,
      evidence: f.finding.evidence ?? [],
      how: `${f.technique.id}: ${f.finding.reason}`,
      ...(f.finding.requires ? { requires: f.finding.requires } : {}),
    });
    bySource.set(f.sourceId, list);
  }
  const out: Found[] = [];
  for (const source of run.authorizer.principals()) {
    if (run.authorizer.isAdmin(source.id).outcome === 'allow') continue;
    const controlled = bySource.get(source.id) ?? [];
    // Roles it can assume count too when it holds a trigger itself, in the account's order. Only
    // the first MAX_CONTROLLED controlled roles make a team (teamFindings), so the roles are
    // enumerated lazily and no further once the team is full: a source allowed sts:AssumeRole on
    // `*` costs a decision per role up to the team's size, not one per role of the account.
    if (controlled.length < MAX_CONTROLLED && triggers.some((a) => run.authorizer.mayAllow(source.id, a))) {
      const ctx = run.contextFor(source);
      for (const { arn } of ctx.eachIamTarget('sts:AssumeRole', 'role')) {
        if (controlled.length >= MAX_CONTROLLED) break;
        const decision = ctx.canAssume(arn);
        const role = run.authorizer.principal(arn);
        if (!decision || !role || controlled.some((c) => c.role.id === arn)) continue;
        controlled.push({
          role,
          decisions: [{ label: `sts:AssumeRole on ${arn}`, decision }],
          evidence: [],
          how: 'it can assume it',
        });
      }
    }
    if (controlled.length === 0) continue;
    for (const { technique, finding } of teamFindings(run, source, controlled, techniques))
      out.push({
        technique,
        order: techniques.indexOf(technique),
        sourceId: source.id,
        sourceAccount: source.accountId,
        sourceKind: source.kind,
        finding,
      });
  }
  return out;
}

function techniqueFailed(
  technique: EscalationTechnique,
  principalId: string,
  error: unknown,
): AnalysisFinding {
  return {
    rule: 'aws-escalation-technique-failed',
    severity: 'info',
    subject: principalId,
    message: `escalation technique ${technique.id} failed for ${principalId}: ${(error as Error).message}`,
    evidence: [],
  };
}

const targetId = (f: EscalationFinding) =>
  f.target.kind === 'account' ? `aws:account:${f.target.accountId}` : f.target.id;

function rank(f: Found): [number, number, number, number] {
  return [
    f.finding.requires?.length ? 1 : 0,
    findingConditions(f.finding).length ? 1 : 0,
    f.chain ? f.chain.steps.length + f.chain.extra.length : 1,
    f.order,
  ];
}

export function compareRank(a: Found, b: Found): number {
  const [x, y] = [rank(a), rank(b)];
  for (let i = 0; i < x.length; i++)
    if ((x[i] as number) !== (y[i] as number)) return (x[i] as number) - (y[i] as number);
  return 0;
}

function toEdges(found: Found[], records: SharedRecords): DerivedEdge[] {
  const groups = new Map<string, Found[]>();
  for (const f of found) {
    const key = `${f.sourceId}\u0000${targetId(f.finding)}`;
    const list = groups.get(key) ?? [];
    list.push(f);
    groups.set(key, list);
  }
  const edges: DerivedEdge[] = [];
  for (const list of groups.values()) {
    list.sort(compareRank);
    const primary = list[0] as Found;
    const { finding, technique } = primary;
    const evidence: Evidence[] = [];
    const seen = new Set<string>();
    for (const f of list) {
      for (const e of f.chain ? chainEvidence(f.chain) : findingEvidence(f.technique, f.finding)) {
        const key = evidenceKey(e);
        if (!seen.has(key)) evidence.push(records.one(e));
        seen.add(key);
      }
    }
    const conditional = list.every((f) => findingConditions(f.finding).length > 0);
    const conditions = conditional
      ? [...new Set(list.flatMap((f) => findingConditions(f.finding)))].sort()
      : [];
    edges.push({
      type: 'CAN_ESCALATE',
      from: primary.sourceId,
      to: targetId(finding),
      fromKind: primary.sourceKind,
      toKind: finding.target.kind === 'account' ? 'AwsAccount' : finding.target.nodeKind,
      // The source's account owns the fact: its permissions make the edge.
      scope: scopeOf(primary.sourceAccount),
      properties: {
        technique: technique.id,
        attack: technique.attack,
        self: finding.self,
        ...(primary.chain && primary.chain.steps.length > 1
          ? { chain: primary.chain.steps.slice(1).map((s) => s.technique.id) }
          : {}),
        ...(finding.requires?.length ? { requires: finding.requires } : {}),
        conditional,
        ...(conditions.length ? { conditions } : {}),
      },
      evidence,
    });
  }
  return edges;
}

/** Pair edges in the order of their ends. */
function byEnds(a: DerivedEdge, b: DerivedEdge): number {
  return a.from + a.to < b.from + b.to ? -1 : a.from + a.to > b.from + b.to ? 1 : 0;
}
