import type { AwsResourceData } from '../../../model/aws/environment.js';
import type { NamedPolicy } from '../../../model/aws/policy.js';
import { candidatePattern, type EnvironmentAuthorizer } from '../authorizer/environment-authorizer.js';
import { statementMatchesAction } from '../engine/index.js';
import type { ContextValues, Decision, PolicySet } from '../engine/types.js';
import type { Authorizer, NamingOptions, PrincipalInfo } from '../types.js';

/** What a what-if view needs of the environment's authorizer. */
export type WhatIfBase = Authorizer & Pick<EnvironmentAuthorizer, 'isAdminWith' | 'evaluateWith'>;

/**
 * The environment as it would be after a change to one principal's policy set (a what-if state of
 * escalation): that principal's requests are decided on the changed set, every other principal's
 * as they are, and the principal is the only one `principals()` lists, so an edge family derived
 * over the view derives that principal's edges in the changed state (and the resource side's edges
 * of outsiders, which the caller ignores).
 */
export class WhatIfView implements Authorizer {
  readonly environment;
  private readonly info: PrincipalInfo;
  /** Identity policies the change adds or rewrites: their statements widen the prefilters. */
  private readonly added: NamedPolicy[];
  private readonly memo = new Map<string, Decision>();

  constructor(
    private readonly base: WhatIfBase,
    readonly principalId: string,
    private readonly change: (set: PolicySet) => PolicySet,
  ) {
    this.environment = base.environment;
    const info = base.principal(principalId);
    if (!info) throw new Error(`what-if state of ${principalId}: not a collected principal`);
    this.info = info;
    const before = base.policySet?.(principalId, 'iam:PassRole', '*');
    const known = new Set(before?.identityPolicies ?? []);
    const after = change(before ?? { identityPolicies: [] }).identityPolicies;
    this.added = after.filter((p) => !known.has(p));
  }

  principals(): PrincipalInfo[] {
    return [this.info];
  }
  principal(id: string) {
    return this.base.principal(id);
  }
  account(accountId: string) {
    return this.base.account(accountId);
  }
  resources(type?: AwsResourceData['type']) {
    return this.base.resources(type);
  }
  accountOf(arn: string) {
    return this.base.accountOf(arn);
  }

  evaluate(principalId: string, action: string, resourceArn: string, context?: ContextValues): Decision {
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

  /** The base's answer covers the policies kept (a dropped one only over-approximates); the added ones are checked here. */
  mayAllow(principalId: string, action: string): boolean {
    if (this.base.mayAllow(principalId, action)) return true;
    return principalId === this.principalId && this.addedStatements(action).length > 0;
  }

  resourcePatterns(principalId: string, action: string): string[] {
    const patterns = new Set(this.base.resourcePatterns(principalId, action));
    if (principalId === this.principalId) {
      const request = { principal: this.info.request, action, resource: { arn: '*' } };
      for (const statement of this.addedStatements(action)) {
        if (statement.NotResource) patterns.add('*');
        for (const pattern of statement.Resource ?? []) patterns.add(candidatePattern(pattern, request));
      }
    }
    return [...patterns];
  }

  isAdmin(principalId: string): Decision {
    return principalId === this.principalId
      ? this.base.isAdminWith(principalId, this.change)
      : this.base.isAdmin(principalId);
  }

  resourcesMatching(pattern: string, type?: AwsResourceData['type']): AwsResourceData[] {
    return this.base.resourcesMatching
      ? this.base.resourcesMatching(pattern, type)
      : this.base.resources(type).filter((r) => r.arn === pattern);
  }

  resourcesNaming(principalId: string, action: string, options?: NamingOptions): AwsResourceData[] {
    return this.base.resourcesNaming?.(principalId, action, options) ?? [];
  }

  principalsMatching(pattern: string): PrincipalInfo[] {
    return this.base.principalsMatching?.(pattern) ?? [];
  }

  /** The changed principal's requests share with no one's: each is decided on its own. */
  decisionKey(principalId: string, action: string, resourceArn: string): string | undefined {
    return principalId === this.principalId
      ? undefined
      : this.base.decisionKey?.(principalId, action, resourceArn);
  }

  policySet(principalId: string, action: string, resourceArn: string): PolicySet | undefined {
    const set = this.base.policySet?.(principalId, action, resourceArn);
    return set && principalId === this.principalId ? this.change(set) : set;
  }

  private addedStatements(action: string) {
    return this.added.flatMap((p) =>
      p.document.Statement.filter((s) => s.Effect === 'Allow' && statementMatchesAction(s, action)),
    );
  }
}
