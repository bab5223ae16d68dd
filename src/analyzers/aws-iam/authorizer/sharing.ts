import type { NamedPolicy, Statement } from '../../../model/aws/policy.js';
import { arnMatches, RequestContext, statementMatchesAction } from '../engine/index.js';
import type { PolicySet, Request } from '../engine/types.js';
import { resolveMarked } from '../engine/variables.js';

/**
 * When do two requests of one principal for one action, on two resources without a policy of
 * their own, get the same decision? The engine looks at the resource only through:
 *
 * - which Resource/NotResource entries of the statements matching the action match its ARN
 *   (after policy variables), in the identity policies, boundary, session policies, SCPs and RCPs;
 * - the keys it derives from the resource: `aws:ResourceAccount` (also what makes a request
 *   cross-account and which RCPs apply), `aws:ResourceTag/…` (also as variables) and
 *   `aws:RequestedRegion` (the ARN's region).
 *
 * The key below encodes exactly these: the resource account, the resource tags and region when a
 * matching statement mentions them, and one match bit per Resource entry. Equal keys give equal outcomes,
 * statements and conditions (only an implicit deny's wording names the resource).
 */

interface KeyStatement {
  statement: Statement;
  /** Policy variables apply (Version 2012-10-17). */
  variables: boolean;
}

export class DecisionSharing {
  /** The statements of the last principal's identity side by action (callers go principal by principal). */
  private current: { identity: NamedPolicy[]; byAction: Map<string, KeyStatement[]> } | undefined;
  private readonly rcpStatements = new WeakMap<NamedPolicy[][], Map<string, KeyStatement[]>>();
  private readonly resourceKeys = new WeakMap<
    Statement,
    { resourcetag: boolean; requestedregion: boolean }
  >();

  /**
   * `set` gives the identity policies, boundary, session policies, SCPs and RCPs (its resource
   * policy is not looked at: callers share only requests it takes no part in). The set's identity
   * part is best one object per principal, the statements matching an action being kept for it.
   */
  key(set: PolicySet, request: Request): string {
    return this.keyWith(set, set.resourceControlPolicies, request);
  }

  /** `key` with the RCP chain given apart from the principal's fixed identity part. */
  keyWith(identity: PolicySet, rcps: NamedPolicy[][] | undefined, request: Request): string {
    const { action } = request;
    const arn = request.resource.arn;
    let context: RequestContext | undefined;
    let tags = false;
    let region = false;
    let bits = '';
    for (const list of [this.identityStatements(identity, action), this.guardrailStatements(rcps, action)])
      for (const { statement, variables } of list) {
        if (!tags && this.mentions(statement, 'resourcetag')) tags = true;
        if (!region && this.mentions(statement, 'requestedregion')) region = true;
        for (const pattern of statement.Resource ?? statement.NotResource ?? []) {
          if (variables && pattern.includes('${')) {
            context ??= new RequestContext(request);
            const resolved = resolveMarked(pattern, context);
            if (resolved.ok) bits += arnMatches(resolved.text, arn) ? '1' : '0';
            else bits += 'unknown' in resolved ? 'u' : 'a';
          } else bits += arnMatches(pattern, arn) ? '1' : '0';
        }
        bits += '.';
      }
    const tagText = tags ? JSON.stringify(Object.entries(request.resource.tags ?? {}).sort()) : '';
    // aws:RequestedRegion is derived from the resource ARN's region.
    const regionText = region ? (arn.split(':')[3] ?? '') : '';
    return `${request.resource.accountId ?? ''}\u0000${tagText}\u0000${regionText}\u0000${bits}`;
  }

  /** Identity policies, boundary, session policies and SCPs: fixed for a principal. */
  private identityStatements(set: PolicySet, action: string): KeyStatement[] {
    if (this.current?.identity !== set.identityPolicies)
      this.current = { identity: set.identityPolicies, byAction: new Map() };
    const lower = action.toLowerCase();
    let found = this.current.byAction.get(lower);
    if (!found) {
      found = matchingStatements(
        [
          ...set.identityPolicies,
          ...(set.permissionsBoundary ? [set.permissionsBoundary] : []),
          ...(set.sessionPolicies ?? []),
          ...(set.serviceControlPolicies ?? []).flat(),
        ],
        action,
      );
      this.current.byAction.set(lower, found);
    }
    return found;
  }

  /** RCPs: fixed for the resource account (the chain is one array per account). */
  private guardrailStatements(chain: NamedPolicy[][] | undefined, action: string): KeyStatement[] {
    if (!chain) return [];
    let byAction = this.rcpStatements.get(chain);
    if (!byAction) {
      byAction = new Map();
      this.rcpStatements.set(chain, byAction);
    }
    const lower = action.toLowerCase();
    let found = byAction.get(lower);
    if (!found) {
      found = matchingStatements(chain.flat(), action);
      byAction.set(lower, found);
    }
    return found;
  }

  /** Does the statement mention a key derived from the resource (by a lowercase part of its name)? */
  private mentions(statement: Statement, part: 'resourcetag' | 'requestedregion'): boolean {
    let found = this.resourceKeys.get(statement);
    if (found === undefined) {
      const text = JSON.stringify(statement).toLowerCase();
      found = {
        resourcetag: text.includes('resourcetag'),
        requestedregion: text.includes('requestedregion'),
      };
      this.resourceKeys.set(statement, found);
    }
    return found[part];
  }
}

function matchingStatements(policies: NamedPolicy[], action: string): KeyStatement[] {
  const out: KeyStatement[] = [];
  for (const policy of policies) {
    const variables = policy.document.Version === '2012-10-17';
    for (const statement of policy.document.Statement)
      if (statementMatchesAction(statement, action)) out.push({ statement, variables });
  }
  return out;
}
