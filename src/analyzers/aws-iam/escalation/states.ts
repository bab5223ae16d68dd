import type { Evidence } from '../../../model/evidence.js';
import { ACCESS_LEVELS } from '../../../model/properties.js';
import { AccessDerivationCache, canAccess, dataServices, type OnlyPart } from '../edges/can-access.js';
import { AssumableRoles } from '../edges/can-assume.js';
import { REQUIREMENT_ACTIONS } from '../edges/data-resources.js';
import type { AccessSummary, DerivedFacts } from '../edges/grant-hubs.js';
import { scopeOf } from '../edges/nodes.js';
import type { Decision, PolicySet } from '../engine/types.js';
import type { Authorizer, DerivedEdge, PrincipalInfo } from '../types.js';
import { EscalationRun, permits } from './context.js';
import {
  decisionEvidence,
  findingConditions,
  findingEvidence,
  type SharedRecords,
  withConditions,
} from './evidence.js';
import { settlePrerequisites } from './prerequisites.js';
import { ANY_CHANGE, type TechniqueTraces } from './technique-traces.js';
import type {
  EscalationFinding,
  EscalationTarget,
  EscalationTechnique,
  PermissionChange,
  RequiredDecision,
} from './types.js';
import { applyChanges, hypothesisKey, stateKey } from './what-if.js';
import { AddedGrantsView, type WhatIfBase, WhatIfView } from './what-if-view.js';

/**
 * What-if states: a technique that changes a principal's permissions (attach or write a policy,
 * join a group, rewrite or pick a policy version, drop a boundary) leads to the state of that
 * principal after the change. The state is followed, not only checked for full control:
 * - administrator in it: the chain ends at the account;
 * - able to escalate further from it (a technique it enables that the principal did not have,
 *   such as `iam:AttachUserPolicy` on itself granted by the group it joined): the next step is
 *   taken, up to MAX_STEPS steps, so a state that is not `*:*` but leads to it is administrator-
 *   equivalent;
 * - what it gains besides (a data resource it can now act on, a role it can now assume, a role
 *   a technique it enables reaches): edges from the source carrying the chain in their evidence.
 * Only gains are emitted (what the state allows and the principal did not), and the states
 * explored per source are bounded (MAX_STATES_PER_SOURCE), so the count stays bounded.
 */

const DATA_SERVICES = dataServices();

/** Steps in one chain (the first technique and at most two it enables). */
export const MAX_STEPS = 3;
/** States explored per source principal, breadth first (shortest chains first). */
export const MAX_STATES_PER_SOURCE = 32;

export interface Step {
  technique: EscalationTechnique;
  finding: EscalationFinding;
}

/** A chain of steps and what it reaches: a principal, or the account (administrator). */
export interface Chain {
  steps: Step[];
  target: EscalationTarget;
  self: boolean;
  /** What the last state is allowed that makes the chain reach the target (sts:AssumeRole, being administrator). */
  extra: RequiredDecision[];
  /** One line, the steps in order. */
  reason: string;
}

interface State {
  principalId: string;
  changes: PermissionChange[];
  steps: Step[];
}

/** A finding's identity among one principal's findings: the same move found in a state adds nothing. */
export function findingKey(technique: EscalationTechnique, f: EscalationFinding): string {
  const to = f.target.kind === 'account' ? `account:${f.target.accountId}` : f.target.id;
  return `${technique.id}\u0000${to}\u0000${f.ifAdmin ? hypothesisKey(f.ifAdmin) : ''}`;
}

/**
 * What one state (a principal after a sequence of changes) allows, whatever source reached it:
 * many sources reach the same state (every principal that may attach a policy to one role), and
 * the state's decisions depend only on the principal and the changes. Each part is worked out the
 * first time a source needs it.
 */
interface StateWork {
  change: (set: PolicySet) => PolicySet;
  admin: Decision;
  view?: WhatIfView;
  /** What the state's CAN_ACCESS edges from the principal say (none when the change cannot widen data access). */
  access: StateAccess[];
  /** Roles the state can assume and the principal could not, with the decision. */
  assume: { role: string; name: string; decision: Decision }[];
  /** Findings the state enables that the principal does not have without a change, in order. */
  enabled?: Step[];
}

/**
 * What `accessGains` reads of one of a state's CAN_ACCESS edges: its resource, levels, actions,
 * conditions and evidence (records shared with the escalation's edges), not the whole edge.
 */
interface StateAccess {
  to: string;
  toKind: DerivedEdge['toKind'];
  levels: string[];
  actions: string[];
  conditional: boolean;
  conditions: string[];
  evidence: Evidence[];
}

/** At most this many states' work is kept (bounded memory; a state is asked about by sources close together). */
const MAX_STATE_WORK = 4_096;

export class StateExplorer {
  private readonly stateWork = new Map<string, StateWork>();
  /**
   * Per principal, the levels and actions of its CAN_ACCESS edges by resource (their evidence is not
   * needed), derived here only for a principal the can-access family's facts do not hold.
   */
  private readonly baseAccess = new Map<string, Map<string, AccessSummary>>();
  private readonly baseAssume = new Map<string, Set<string>>();
  /** Every state is a view of the same environment: the resource sides are worked out once. */
  private readonly accessCache = new AccessDerivationCache();
  /** Likewise the roles' trusts, for the roles a state may assume (made when first asked). */
  private assumableRoles?: AssumableRoles;

  constructor(
    private readonly base: WhatIfBase,
    private readonly run: EscalationRun,
    private readonly techniques: readonly EscalationTechnique[],
    /** Per principal, the keys of what it finds without any change (`findingKey`). */
    private readonly baseFindings: Map<string, Set<string>>,
    /** The can-access family's results over the same authorizer, when it ran before. */
    private readonly facts?: DerivedFacts,
    /** The escalation's records, shared by its edges (evidence.ts). */
    private readonly records?: SharedRecords,
    /** What each technique asked about each principal without a change (technique-traces.ts). */
    private readonly traces?: TechniqueTraces,
  ) {}

  /** Techniques run in states and techniques a state's change could not affect (their findings read, not found again). */
  readonly stats = { techniquesRun: 0, techniquesSkipped: 0 };

  /** The chains and gained access edges of one source, from its steps that change a principal's permissions. */
  explore(source: PrincipalInfo, roots: Step[]): { chains: Chain[]; access: DerivedEdge[] } {
    const chains: Chain[] = [];
    const access: DerivedEdge[] = [];
    const queue: State[] = roots.flatMap((step) =>
      step.finding.ifAdmin
        ? [
            {
              principalId: step.finding.ifAdmin.principalId,
              changes: [step.finding.ifAdmin.change],
              steps: [step],
            },
          ]
        : [],
    );
    const visited = new Set<string>();
    while (queue.length > 0 && visited.size < MAX_STATES_PER_SOURCE) {
      const state = queue.shift() as State;
      // Every first step is followed (two techniques reaching one state differ in what they need);
      // a state a longer chain reaches again is not.
      const [first] = state.steps;
      const key =
        state.steps.length === 1 && first
          ? `${findingKey(first.technique, first.finding)}`
          : stateKey(state.principalId, state.changes);
      if (visited.has(key)) continue;
      visited.add(key);
      const work = this.work(state);
      if (permits(work.admin)) {
        chains.push(this.adminChain(source, state, work.admin));
        continue;
      }
      for (const e of this.accessGains(source, state, work)) access.push(e);
      for (const chain of this.assumeGains(source, state, work)) chains.push(chain);
      if (state.steps.length < MAX_STEPS) this.next(source, state, work, chains, queue);
    }
    return { chains, access };
  }

  /** The state's work, shared by every source reaching the same principal through the same changes. */
  private work(state: State): StateWork {
    const key = JSON.stringify([state.principalId, state.changes]);
    let work = this.stateWork.get(key);
    if (!work) {
      const change = applyChanges(this.run, state.principalId, state.changes);
      work = { change, admin: this.base.isAdminWith(state.principalId, change), access: [], assume: [] };
      if (!permits(work.admin)) {
        const view = new WhatIfView(this.base, state.principalId, change);
        work.view = view;
        if (view.mayWiden(DATA_SERVICES)) work.access = this.changedAccess(state.principalId, view);
        if (view.mayWiden(['sts'])) work.assume = this.assumeDecisions(state, view);
      }
      if (this.stateWork.size >= MAX_STATE_WORK) this.stateWork.clear();
      this.stateWork.set(key, work);
    }
    return work;
  }

  /** Techniques the state enables: a further change continues the chain, a principal target ends one. */
  private next(source: PrincipalInfo, state: State, work: StateWork, chains: Chain[], queue: State[]) {
    if (!work.enabled) {
      work.enabled = this.enabled(
        state,
        work.view ?? new WhatIfView(this.base, state.principalId, work.change),
      );
      // Every part of the state is known: its decisions need not be kept.
      work.view = undefined;
    }
    for (const { technique, finding } of work.enabled) {
      const steps = [...state.steps, { technique, finding }];
      if (finding.ifAdmin) {
        const { principalId, change } = finding.ifAdmin;
        // A change to another principal starts from that principal's own policies.
        const changes = principalId === state.principalId ? [...state.changes, change] : [change];
        queue.push({ principalId, changes, steps });
        continue;
      }
      if (finding.target.kind === 'principal' && finding.target.id === source.id) continue;
      chains.push({
        steps,
        target: finding.target,
        self: false,
        extra: [],
        reason: chainReason(steps),
      });
    }
  }

  /** The findings of the techniques in the state the principal does not have without a change. */
  private enabled(state: State, view: WhatIfView): Step[] {
    const info = this.base.principal(state.principalId);
    if (!info) return [];
    const ctx = new EscalationRun(view, this.run.techniques, this.run).contextFor(info);
    const known = this.baseFindings.get(state.principalId) ?? new Set<string>();
    const may = new Map<string, boolean>();
    const mayAllow = (action: string) => {
      let allowed = may.get(action);
      if (allowed === undefined) {
        allowed = view.mayAllow(state.principalId, action);
        may.set(action, allowed);
      }
      return allowed;
    };
    const traced = this.traces?.of(state.principalId);
    const out: Step[] = [];
    for (const [index, technique] of this.techniques.entries()) {
      const trace = traced?.traces[index];
      if (trace !== undefined && trace !== ANY_CHANGE && !trace.some((action) => view.affects(action))) {
        // The change alters no answer the technique had without it: its findings are those it had
        // (technique-traces.ts), of which the principal's findings on itself are the ones not known.
        this.stats.techniquesSkipped++;
        for (const finding of traced?.selfTargets?.get(index) ?? [])
          if (!known.has(findingKey(technique, finding))) out.push({ technique, finding });
        continue;
      }
      this.stats.techniquesRun++;
      if (!technique.requiredActions.every(mayAllow)) continue;
      for (const candidate of technique.find(ctx)) {
        const finding = settlePrerequisites(ctx, candidate);
        if (finding && !known.has(findingKey(technique, finding))) out.push({ technique, finding });
      }
    }
    return out;
  }

  private adminChain(source: PrincipalInfo, state: State, admin: Decision): Chain {
    const accountId = this.base.principal(state.principalId)?.accountId ?? source.accountId;
    const last = state.steps.at(-1) as Step;
    return {
      steps: state.steps,
      target: { kind: 'account', accountId },
      self: state.principalId === source.id,
      // The administrator decision's undecided conditions (an SCP's, say) become the chain's.
      extra:
        admin.conditions.length > 0
          ? [
              {
                label: `administrator after ${last.finding.ifAdmin?.summary ?? last.finding.reason}`,
                decision: { ...admin, allowedBy: [] },
              },
            ]
          : [],
      reason: chainReason(state.steps),
    };
  }

  /** Roles the state can assume and the principal could not. */
  private assumeGains(source: PrincipalInfo, state: State, work: StateWork): Chain[] {
    const out: Chain[] = [];
    for (const { role, name, decision } of work.assume) {
      if (role === source.id) continue;
      out.push({
        steps: state.steps,
        target: { kind: 'principal', id: role, nodeKind: 'AwsRole' },
        self: false,
        extra: [{ label: `then sts:AssumeRole on ${name}`, decision }],
        reason: `${chainReason(state.steps)}, then assume role ${name}`,
      });
    }
    return out;
  }

  private assumeDecisions(state: State, view: WhatIfView): StateWork['assume'] {
    const before = this.assumable(state.principalId);
    const out: StateWork['assume'] = [];
    // The principal's CAN_ASSUME pairs in the state, less those it has without the change.
    for (const to of this.roles().assumableBy(view, state.principalId, (arn) => before.has(arn))) {
      if (before.has(to)) continue;
      const role = this.run.role(to);
      if (!role) continue;
      const decision = view.evaluate(state.principalId, 'sts:AssumeRole', role.arn);
      if (permits(decision)) out.push({ role: role.arn, name: role.name, decision });
    }
    return out;
  }

  /**
   * The state's CAN_ACCESS edges with a level the principal did not have (the only ones
   * `accessGains` uses). A change that only adds policies newly allows only actions their Allow
   * statements match, so the resources gaining a level are those where the derivation of these
   * actions alone gains one; each such resource's edge is then derived whole (its evidence names
   * every granting statement, the principal's own included). Any other change is derived whole.
   */
  private changedAccess(principalId: string, view: WhatIfView): StateAccess[] {
    const before = this.accessOf(principalId);
    const gaining = (only?: OnlyPart, over: Authorizer = view) =>
      canAccess
        .derive(over, { cache: this.accessCache, from: principalId, ...(only ? { only } : {}) })
        .edges.filter((e) => e.from === principalId && gainsLevel(e, before.get(e.to)));
    const kept = (edges: DerivedEdge[]): StateAccess[] =>
      edges.map((e) => ({
        to: e.to,
        toKind: e.toKind,
        levels: e.properties.levels as string[],
        actions: (e.properties.actions as string[] | undefined) ?? [],
        conditional: e.properties.conditional === true,
        conditions: (e.properties.conditions as string[] | undefined) ?? [],
        evidence: this.shared(e.evidence),
      }));
    if (!view.onlyAdds) return kept(gaining());
    // The resources that may gain are those the added Allow statements name (AddedGrantsView),
    // unless a requirement action is added (kms:Decrypt widens reads of other resources).
    const named = REQUIREMENT_ACTIONS.some((action) => view.addsAllow(action))
      ? view
      : new AddedGrantsView(view);
    // A resource the principal holds at every level cannot gain one: not looked at.
    const held = new Set<string>();
    for (const [arn, summary] of before) if (summary.levels.length >= ACCESS_LEVELS.length) held.add(arn);
    const resources = new Set(
      gaining(
        { actions: (action) => view.addsAllow(action), ...(held.size > 0 ? { without: held } : {}) },
        named,
      ).map((e) => e.to),
    );
    return resources.size === 0 ? [] : kept(gaining({ resources }));
  }

  /** CAN_ACCESS edges of the state with levels the principal did not have, from the source. */
  private accessGains(source: PrincipalInfo, state: State, work: StateWork): DerivedEdge[] {
    const before = this.accessOf(state.principalId);
    const conditions = chainConditions(state.steps, []);
    const head = chainHead(state.steps);
    const out: DerivedEdge[] = [];
    // The steps' records are the same on every edge of the state: made once, shared (never mutated).
    const steps = work.access.length > 0 ? stepRecords(state.steps) : [];
    // Shared by the state's edges too (lists in edges are never mutated: merging copies them).
    const via = state.steps.map((s) => s.technique.id);
    for (const e of work.access) {
      const had = before.get(e.to);
      const heldLevels = new Set(had?.levels ?? []);
      const levels = e.levels.filter((l) => !heldLevels.has(l));
      if (levels.length === 0) continue;
      const heldActions = new Set(had?.actions ?? []);
      const actions = e.actions.filter((a) => !heldActions.has(a));
      const edgeConditions = e.conditions;
      const conditional = conditions.length > 0 || e.conditional;
      const [first] = e.evidence;
      const lead: Evidence = {
        ...(first ?? { source: 'declared', ref: head.technique.id }),
        reason: `${head.technique.id} ${head.technique.name}: ${chainReason(state.steps)}, then ${levels.join('/')} ${e.to} (${first?.reason ?? 'in the changed state'})`,
      };
      out.push({
        type: 'CAN_ACCESS',
        from: source.id,
        to: e.to,
        fromKind: source.kind,
        toKind: e.toKind,
        scope: scopeOf(source.accountId),
        properties: {
          levels: ACCESS_LEVELS.filter((l) => levels.includes(l)),
          actions,
          via,
          ...(conditional
            ? {
                conditional: true,
                conditions:
                  edgeConditions.length === 0
                    ? conditions
                    : [...new Set([...conditions, ...edgeConditions])].sort(),
              }
            : {}),
        },
        evidence: this.shared(withConditions([lead, ...steps, ...e.evidence], conditions)),
      });
    }
    return out;
  }

  private shared(records: Evidence[]): Evidence[] {
    return this.records ? this.records.all(records) : records;
  }

  private accessOf(principalId: string): ReadonlyMap<string, AccessSummary> {
    // The unchanged state is the environment itself: what can-access decided for the principal.
    const decided = this.facts?.access.get(principalId);
    if (decided) return decided;
    let held = this.baseAccess.get(principalId);
    if (!held) {
      const view = new WhatIfView(this.base, principalId, unchanged);
      held = new Map(
        canAccess
          .derive(view, { cache: this.accessCache, from: principalId })
          .edges.filter((e) => e.from === principalId)
          .map((e) => [
            e.to,
            { levels: e.properties.levels as string[], actions: (e.properties.actions as string[]) ?? [] },
          ]),
      );
      this.baseAccess.set(principalId, held);
    }
    return held;
  }

  private assumable(principalId: string): Set<string> {
    let roles = this.baseAssume.get(principalId);
    if (!roles) {
      const view = new WhatIfView(this.base, principalId, unchanged);
      roles = new Set(this.roles().assumableBy(view, principalId));
      this.baseAssume.set(principalId, roles);
    }
    return roles;
  }

  private roles(): AssumableRoles {
    this.assumableRoles ??= new AssumableRoles(this.base);
    return this.assumableRoles;
  }
}

const unchanged = (set: PolicySet) => set;

function gainsLevel(e: DerivedEdge, had: AccessSummary | undefined): boolean {
  const held = new Set(had?.levels ?? []);
  return (e.properties.levels as string[]).some((l) => !held.has(l));
}

function chainReason(steps: Step[]): string {
  return steps
    .map((s, i) => (i === 0 ? s.finding.reason : `then (${s.technique.id}) ${s.finding.reason}`))
    .join(', ');
}

function chainHead(steps: Step[]): Step {
  return steps[0] as Step;
}

/** The undecided condition keys of a chain: every step's and the extra decisions'. */
export function chainConditions(steps: Step[], extra: RequiredDecision[]): string[] {
  const keys = new Set(steps.flatMap((s) => findingConditions(s.finding)));
  for (const d of extra) for (const c of d.decision.conditions) keys.add(c.key);
  return [...keys].sort();
}

/** Every step's evidence, in order (each step's records name its technique). */
function stepRecords(steps: Step[]): Evidence[] {
  return steps.flatMap((s) => findingEvidence(s.technique, s.finding));
}

/** A chain's evidence: its reason first, then every step's records and the extra decisions'. */
export function chainEvidence(chain: Chain): Evidence[] {
  const head = chainHead(chain.steps);
  const records = [
    ...stepRecords(chain.steps),
    ...chain.extra.flatMap((d) => decisionEvidence(chain.steps.map((s) => s.technique.id).join('+'), d)),
  ];
  const [first] = records;
  const lead: Evidence = {
    ...(first ?? { source: 'declared', ref: head.technique.id }),
    reason: `${head.technique.id} ${head.technique.name}: ${chain.reason}`,
  };
  return withConditions([lead, ...records], chainConditions(chain.steps, chain.extra));
}

/** A chain as one finding (its decisions conjunctive), for ranking and the edge's properties. */
export function chainFinding(chain: Chain): EscalationFinding {
  const requires = [...new Set(chain.steps.flatMap((s) => s.finding.requires ?? []))];
  return {
    target: chain.target,
    self: chain.self,
    reason: chain.reason,
    decisions: [...chain.steps.flatMap((s) => s.finding.decisions), ...chain.extra],
    ...(requires.length ? { requires } : {}),
  };
}
