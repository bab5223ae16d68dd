import type { AwsResourceData } from '../../../model/aws/environment.js';
import { ForwardingAuthorizer } from '../authorizer/forwarding.js';
import type { ContextValues, Decision } from '../engine/types.js';
import type { Authorizer, NamingOptions, PrincipalInfo } from '../types.js';
import type { EscalationFinding } from './types.js';

/**
 * What each technique asked about a principal when it ran on the principal's own permissions,
 * so that a what-if state of the principal (states.ts) re-runs only the techniques a change can
 * affect.
 *
 * Why a technique whose questions a change does not affect gives the same findings in the state:
 * a technique's `find` (and `settlePrerequisites` after it) is a function of the answers the
 * authorizer gives it; the environment's indexes and caches it reads (escalation/context.ts
 * `EscalationRun`, the techniques' per-role sides) depend on the environment alone, which a state
 * shares. Run in the state, it asks the same questions as on the unchanged principal up to the first
 * one whose answer differs, and that question is one the unchanged run asked. So when no question of
 * the unchanged run has an answer the change can alter, no answer differs and the findings are the
 * same. A question's answer can differ only when it is about the changed principal (a what-if view
 * answers every other principal's as the environment does), and then:
 * - `evaluate`, `mayAllow`, `resourcePatterns` for an action: only when a statement of a policy the
 *   change adds or removes matches the action (`WhatIfView.affects`; a statement whose Action does
 *   not match takes no part in a request's decision, https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html),
 *   or the change drops the boundary;
 * - `resourcesNaming` for an action: never (a view answers it from the environment), recorded by
 *   its action all the same;
 * - `isAdmin`, `policySet`, `decisionKey` and `principals()` (a view lists its principal alone):
 *   any change may alter them, so a technique that asked one is always re-run.
 * A decision with warnings (an engine failure is answered "not allowed" on the environment, but
 * raised in a state) also makes the technique re-run.
 *
 * A skipped technique's findings in the state are therefore its findings on the unchanged
 * principal: those the state does not already know (`findingKey`) are the ones the unchanged run
 * dropped because they reach the principal itself, kept here (`selfTargets`).
 */

/** A technique that asked a question any change may alter: always re-run in a state. */
export const ANY_CHANGE = Symbol('any change');

/** The actions one technique asked about the principal (interned: principals share them), or ANY_CHANGE. */
export type Trace = readonly string[] | typeof ANY_CHANGE;

/** Per principal: each technique's trace by its index in the run's technique list, and its findings on itself. */
export interface PrincipalTraces {
  traces: (Trace | undefined)[];
  /** Settled findings that reach the principal itself, by technique index (most principals have none). */
  selfTargets?: Map<number, EscalationFinding[]>;
}

export class TechniqueTraces {
  private readonly byPrincipal = new Map<string, PrincipalTraces>();
  private readonly interned = new Map<string, readonly string[]>();

  of(principalId: string): PrincipalTraces | undefined {
    return this.byPrincipal.get(principalId);
  }

  /** Record one technique's run on one principal (only a run that did not throw). */
  set(
    principalId: string,
    index: number,
    actions: Set<string> | typeof ANY_CHANGE,
    selfTargets: EscalationFinding[],
  ) {
    let own = this.byPrincipal.get(principalId);
    if (!own) {
      own = { traces: [] };
      this.byPrincipal.set(principalId, own);
    }
    own.traces[index] = actions === ANY_CHANGE ? ANY_CHANGE : this.intern(actions);
    if (selfTargets.length > 0) {
      own.selfTargets ??= new Map();
      own.selfTargets.set(index, selfTargets);
    }
  }

  private intern(actions: Set<string>): readonly string[] {
    const sorted = [...actions].sort();
    const key = sorted.join('\u0000');
    let known = this.interned.get(key);
    if (!known) {
      known = sorted;
      this.interned.set(key, known);
    }
    return known;
  }
}

/**
 * The environment's authorizer, recording what is asked about one principal: the actions of its
 * questions, or ANY_CHANGE for a question any change may alter (see above). Every answer is the
 * environment's own.
 */
export class TracingAuthorizer extends ForwardingAuthorizer {
  private actions: Set<string> | typeof ANY_CHANGE = new Set();

  constructor(
    base: Authorizer,
    readonly principalId: string,
  ) {
    super(base);
  }

  /** Start a technique's trace. */
  begin(): void {
    this.actions = new Set();
  }

  /** The trace since `begin`. */
  end(): Set<string> | typeof ANY_CHANGE {
    return this.actions;
  }

  /** An action asked about the principal (the technique's required actions are asked through a memo). */
  note(action: string): void {
    if (this.actions !== ANY_CHANGE) this.actions.add(action);
  }

  private any(principalId: string): void {
    if (principalId === this.principalId) this.actions = ANY_CHANGE;
  }

  private asked(principalId: string, action: string): void {
    if (principalId === this.principalId) this.note(action);
  }

  override principals(): PrincipalInfo[] {
    this.actions = ANY_CHANGE;
    return super.principals();
  }
  override evaluate(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): Decision {
    const decision = super.evaluate(principalId, action, resourceArn, context);
    if (decision.warnings.length > 0) this.any(principalId);
    else this.asked(principalId, action);
    return decision;
  }
  override mayAllow(principalId: string, action: string): boolean {
    this.asked(principalId, action);
    return super.mayAllow(principalId, action);
  }
  override resourcePatterns(principalId: string, action: string): string[] {
    this.asked(principalId, action);
    return super.resourcePatterns(principalId, action);
  }
  override isAdmin(principalId: string): Decision {
    this.any(principalId);
    return super.isAdmin(principalId);
  }
  override resourcesNaming(principalId: string, action: string, options?: NamingOptions): AwsResourceData[] {
    this.asked(principalId, action);
    return super.resourcesNaming(principalId, action, options);
  }
  decisionKey(principalId: string, action: string, resourceArn: string): string | undefined {
    this.any(principalId);
    return this.base.decisionKey?.(principalId, action, resourceArn);
  }
  override policySet(principalId: string, action: string, resourceArn: string) {
    this.any(principalId);
    return super.policySet(principalId, action, resourceArn);
  }
}
