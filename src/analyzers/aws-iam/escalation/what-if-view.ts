import type { AwsResourceData } from '../../../model/aws/environment.js';
import type { NamedPolicy, Statement } from '../../../model/aws/policy.js';
import { candidatePattern, type EnvironmentAuthorizer } from '../authorizer/environment-authorizer.js';
import { ForwardingAuthorizer } from '../authorizer/forwarding.js';
import { isGranted } from '../edges/evidence.js';
import { statementMatchesAction } from '../engine/index.js';
import type { ContextValues, Decision, PolicySet } from '../engine/types.js';
import type { Authorizer, NamingOptions, PrincipalInfo } from '../types.js';

/** What a what-if view needs of the environment's authorizer. */
export type WhatIfBase = Authorizer &
  Pick<
    EnvironmentAuthorizer,
    'isAdminWith' | 'evaluateWith' | 'decisionKeyWith' | 'resourceDecisionKeyWith' | 'sharesResourceDecision'
  >;

/**
 * The environment as it would be after a change to one principal's policy set (a what-if state of
 * escalation): that principal's requests are decided on the changed set, every other principal's
 * as they are, and the principal is the only one `principals()` lists, so an edge family derived
 * over the view derives that principal's edges in the changed state (and the resource side's edges
 * of outsiders, which the caller ignores).
 */
export class WhatIfView extends ForwardingAuthorizer<WhatIfBase> {
  private readonly info: PrincipalInfo;
  /** Identity policies the change adds or rewrites: their statements widen the prefilters. */
  private readonly added: NamedPolicy[];
  private readonly memo = new Map<string, Decision>();

  constructor(
    base: WhatIfBase,
    readonly principalId: string,
    private readonly change: (set: PolicySet) => PolicySet,
  ) {
    super(base);
    const info = base.principal(principalId);
    if (!info) throw new Error(`what-if state of ${principalId}: not a collected principal`);
    this.info = info;
    const before = base.policySet?.(principalId, 'iam:PassRole', '*');
    const known = new Set(before?.identityPolicies ?? []);
    const changed = change(before ?? { identityPolicies: [] });
    const after = new Set(changed.identityPolicies);
    this.added = changed.identityPolicies.filter((p) => !known.has(p));
    const removed = [...known].filter((p) => !after.has(p));
    this.boundaryChanged = before?.permissionsBoundary !== changed.permissionsBoundary;
    this.onlyAdds =
      (before?.permissionsBoundary === undefined || changed.permissionsBoundary !== undefined) &&
      removed.length === 0;
    this.changedStatements = [...this.added, ...removed].flatMap((p) => p.document.Statement);
  }

  /** The statements of the policies the change adds, rewrites (both versions) or removes. */
  private readonly changedStatements: Statement[];
  private readonly boundaryChanged: boolean;
  private readonly affected = new Map<string, boolean>();

  /**
   * Can the change alter the principal's decisions for an action (and so `evaluate`, `mayAllow` and
   * `resourcePatterns` for it)? Only a statement whose Action (or NotAction) matches the request's
   * action takes part in its decision
   * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), so
   * not when no statement of a policy the change adds or removes matches it and the boundary is kept.
   */
  affects(action: string): boolean {
    if (this.boundaryChanged) return true;
    let affected = this.affected.get(action);
    if (affected === undefined) {
      affected = this.changedStatements.some((s) => statementMatchesAction(s, action));
      this.affected.set(action, affected);
    }
    return affected;
  }

  /** The change only adds policies (it removes none and keeps the boundary). */
  readonly onlyAdds: boolean;

  /**
   * Can the change widen what the principal may do in one of these services? Not when it only adds
   * policies none of whose Allow statements names an action of them.
   */
  mayWiden(services: string[]): boolean {
    if (!this.onlyAdds) return true;
    const wanted = services.map((s) => s.toLowerCase());
    return this.added.some((p) =>
      p.document.Statement.some(
        (s) =>
          s.Effect === 'Allow' &&
          (s.NotAction !== undefined ||
            (s.Action ?? []).some((a) => {
              const service = a.slice(0, Math.max(a.indexOf(':'), 0)).toLowerCase();
              return a === '*' || wanted.some((w) => segmentMatches(service, w));
            })),
      ),
    );
  }

  override principals(): PrincipalInfo[] {
    return [this.info];
  }
  override evaluate(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): Decision {
    if (principalId !== this.principalId)
      return this.base.evaluate(principalId, action, resourceArn, context);
    const key = `${action.toLowerCase()}\u0000${resourceArn}\u0000${context ? JSON.stringify(context) : ''}`;
    let decision = this.memo.get(key);
    if (!decision) {
      decision = this.base.evaluateWith(principalId, action, resourceArn, context, this.change);
      this.memo.set(key, decision);
    }
    return decision;
  }

  /** Per action, by decision key: the changed principal's permitting decision, or null for none. */
  private readonly permittedByKey = new Map<string, Map<string, Decision | null>>();

  /**
   * Whether the changed principal may act, one evaluation per `decisionKey`: a state re-running an
   * IAM write on principals asks it of every user or role the write's patterns name, and requests
   * with equal keys are decided alike (same outcome, granting and denying statements, conditions:
   * the key's contract, on which can-access shares decisions across resources too). A permitting
   * decision names no resource, so it is the answer for every request of its key; a denial's reason
   * names its resource, so only "not permitted" is shared. Requests with a context, of another
   * principal, or decided with warnings are decided apart.
   */
  permitted(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): Decision | undefined {
    const key =
      principalId === this.principalId && context === undefined
        ? this.decisionKey(principalId, action, resourceArn)
        : undefined;
    if (key === undefined) return permitting(this.evaluate(principalId, action, resourceArn, context));
    const lower = action.toLowerCase();
    let byKey = this.permittedByKey.get(lower);
    if (!byKey) {
      byKey = new Map();
      this.permittedByKey.set(lower, byKey);
    }
    const known = byKey.get(key);
    if (known !== undefined) return known ?? undefined;
    const decision = this.evaluate(principalId, action, resourceArn);
    const answer = permitting(decision);
    if (decision.warnings.length === 0) byKey.set(key, answer ?? null);
    return answer;
  }

  /** The base's answer covers the policies kept (a dropped one only over-approximates); the added ones are checked here. */
  override mayAllow(principalId: string, action: string): boolean {
    if (this.base.mayAllow(principalId, action)) return true;
    return principalId === this.principalId && this.addedStatements(action).length > 0;
  }

  override resourcePatterns(principalId: string, action: string): string[] {
    const patterns = new Set(this.base.resourcePatterns(principalId, action));
    if (principalId === this.principalId)
      for (const pattern of this.addedPatterns(action)) patterns.add(pattern);
    return [...patterns];
  }

  /** The Resource patterns of the Allow statements the change adds for an action, as `resourcePatterns` gives them. */
  addedPatterns(action: string): string[] {
    const patterns = new Set<string>();
    const request = { principal: this.info.request, action, resource: { arn: '*' } };
    for (const statement of this.addedStatements(action)) {
      if (statement.NotResource) patterns.add('*');
      for (const pattern of statement.Resource ?? []) patterns.add(candidatePattern(pattern, request));
    }
    return [...patterns];
  }

  override isAdmin(principalId: string): Decision {
    return principalId === this.principalId
      ? this.base.isAdminWith(principalId, this.change)
      : this.base.isAdmin(principalId);
  }

  /** The changed principal's requests share by its changed policy set's statements. */
  decisionKey(principalId: string, action: string, resourceArn: string): string | undefined {
    return this.base.decisionKeyWith(
      principalId,
      action,
      resourceArn,
      principalId === this.principalId ? this.change : undefined,
    );
  }

  /** Likewise for requests on resources whose own policy takes part. */
  resourceDecisionKey(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): string | undefined {
    return this.base.resourceDecisionKeyWith(
      principalId,
      action,
      resourceArn,
      context,
      principalId === this.principalId ? this.change : undefined,
    );
  }

  /** Whether a decision cites the resource's own policy does not depend on the change. */
  sharesResourceDecision(
    principalId: string,
    action: string,
    resourceArn: string,
    decision: Decision,
  ): boolean {
    return this.base.sharesResourceDecision(principalId, action, resourceArn, decision);
  }

  override policySet(principalId: string, action: string, resourceArn: string): PolicySet | undefined {
    const set = this.base.policySet?.(principalId, action, resourceArn);
    return set && principalId === this.principalId ? this.change(set) : set;
  }

  /** Does an Allow statement of a policy the change adds match the action? */
  addsAllow(action: string): boolean {
    return this.addedStatements(action).length > 0;
  }

  private addedStatements(action: string) {
    return this.added.flatMap((p) =>
      p.document.Statement.filter((s) => s.Effect === 'Allow' && statementMatchesAction(s, action)),
    );
  }
}

function permitting(decision: Decision): Decision | undefined {
  return isGranted(decision) ? decision : undefined;
}

/** A service segment of an action pattern (`s3`, `s*`, `*`) against a service name. */
function segmentMatches(pattern: string, service: string): boolean {
  if (!/[*?]/.test(pattern)) return pattern === service;
  let i = 0;
  // Prefix up to the first wildcard is enough to rule a service out; a wildcard may match the rest.
  while (i < pattern.length && pattern[i] !== '*' && pattern[i] !== '?') {
    if (pattern[i] !== service[i]) return false;
    i++;
  }
  return true;
}

/**
 * A what-if view whose changed principal is given, as the candidates of its requests, only the
 * resources the change's added Allow statements name: its `resourcePatterns` are theirs and no
 * resource policy names it (`resourcesNaming`); every decision is the view's. For the first step
 * of a state's CAN_ACCESS (states.ts `changedAccess`): a change that only adds policies can widen a
 * request only through an added Allow statement matching it (a statement whose Action or Resource
 * does not match takes no part in the decision,
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html), and
 * can-access enumerates every resource a statement may allow from its patterns. Not for a change
 * adding a requirement action (`kms:Decrypt`), which widens requests on other resources.
 */
export class AddedGrantsView extends ForwardingAuthorizer<WhatIfView> {
  override resourcePatterns(principalId: string, action: string): string[] {
    return principalId === this.base.principalId
      ? this.base.addedPatterns(action)
      : this.base.resourcePatterns(principalId, action);
  }
  override resourcesNaming(principalId: string, action: string, options?: NamingOptions): AwsResourceData[] {
    return principalId === this.base.principalId
      ? []
      : this.base.resourcesNaming(principalId, action, options);
  }
  decisionKey(principalId: string, action: string, resourceArn: string): string | undefined {
    return this.base.decisionKey(principalId, action, resourceArn);
  }
  resourceDecisionKey(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): string | undefined {
    return this.base.resourceDecisionKey(principalId, action, resourceArn, context);
  }
  sharesResourceDecision(
    principalId: string,
    action: string,
    resourceArn: string,
    decision: Decision,
  ): boolean {
    return this.base.sharesResourceDecision(principalId, action, resourceArn, decision);
  }
  override policySet(principalId: string, action: string, resourceArn: string): PolicySet | undefined {
    return this.base.policySet(principalId, action, resourceArn);
  }
}
