import type { AwsResourceData } from '../../../model/aws/environment.js';
import type { ContextValues, Decision, PolicySet } from '../engine/types.js';
import type { Authorizer, NamingOptions, PrincipalInfo } from '../types.js';

/**
 * An authorizer that answers every question as another does: the base of wrappers that change or
 * record a few answers (a what-if state's view, a technique's trace) and override only those. The
 * optional sharing questions (`decisionKey`, `resourceDecisionKey`) are left to each wrapper: a
 * wrapper that changes decisions must decide what they share.
 */
export class ForwardingAuthorizer<B extends Authorizer = Authorizer> implements Authorizer {
  readonly environment;

  constructor(protected readonly base: B) {
    this.environment = base.environment;
  }

  principals(): PrincipalInfo[] {
    return this.base.principals();
  }
  principal(id: string): PrincipalInfo | undefined {
    return this.base.principal(id);
  }
  account(accountId: string) {
    return this.base.account(accountId);
  }
  resources(type?: AwsResourceData['type']): AwsResourceData[] {
    return this.base.resources(type);
  }
  accountOf(arn: string): string | undefined {
    return this.base.accountOf(arn);
  }
  evaluate(principalId: string, action: string, resourceArn: string, context?: ContextValues): Decision {
    return this.base.evaluate(principalId, action, resourceArn, context);
  }
  mayAllow(principalId: string, action: string): boolean {
    return this.base.mayAllow(principalId, action);
  }
  resourcePatterns(principalId: string, action: string): string[] {
    return this.base.resourcePatterns(principalId, action);
  }
  isAdmin(principalId: string): Decision {
    return this.base.isAdmin(principalId);
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
  policySet(principalId: string, action: string, resourceArn: string): PolicySet | undefined {
    return this.base.policySet?.(principalId, action, resourceArn);
  }
}
