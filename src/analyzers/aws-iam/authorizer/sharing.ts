import { type NamedPolicy, type Statement, statementLabel } from '../../../model/aws/policy.js';
import { arnMatches, RequestContext, statementMatchesAction } from '../engine/index.js';
import { notPrincipalExcludes, principalMatch } from '../engine/principal.js';
import type { Decision, PolicySet, Request } from '../engine/types.js';
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

/** `resourcePolicyKey`'s fixed text, and the statements whose principal element is read. */
type Template = (string | { statement: Statement; rest: string })[];

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

  /**
   * The part of one principal's request the resource's own policy takes in: with `keyWith`'s key
   * for the other layers, two resources of one principal whose policies give equal keys here are
   * decided alike, up to which of the policies' statements the decision cites
   * (`sharesAcrossResources` says when it cites none). Per statement, in order: whether it matches
   * the action, which of its Resource/NotResource entries match the request's ARN, whether and how
   * its Principal/NotPrincipal names the requester, and when it may apply, its effect, label,
   * principal element and Condition block as written. These are all that statement evaluation
   * reads, in that order, stopping at the first part that rules the statement out
   * (engine/statement.ts). The keys derived from the resource (its tags and region) are in the key
   * when the policy mentions them; the resource account is in `keyWith`'s. Undefined when the
   * policy has a policy variable (`${aws:username}`, `${aws:PrincipalTag/…}`: resolved per request).
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html
   */
  resourcePolicyKey(
    policy: NamedPolicy | undefined,
    request: Request,
    hasPermissionsBoundary: boolean,
  ): string | undefined {
    if (!policy) return '';
    const template = this.templateOf(policy, request);
    if (template === undefined) return undefined;
    const { principal } = request;
    let key = '';
    for (const part of template) {
      if (typeof part === 'string') {
        key += part;
        continue;
      }
      const { statement } = part;
      if (statement.Principal) {
        const match = principalMatch(statement.Principal, principal);
        key += match === 'none' ? 'p' : `P${match}\u0000${part.rest}`;
      } else if (statement.NotPrincipal) {
        const overridden = statement.Effect === 'Deny' && hasPermissionsBoundary;
        const excluded = overridden ? false : notPrincipalExcludes(statement.NotPrincipal, principal);
        key += excluded === true ? 'p' : `N${excluded}\u0000${part.rest}`;
      }
    }
    return key;
  }

  /**
   * What of `resourcePolicyKey` does not depend on the principal, per policy, action and ARN (every
   * principal asks about the same buckets): the fixed text, and the statements whose Principal or
   * NotPrincipal is read next, each with the text that follows when it names the requester.
   */
  private readonly templates = new WeakMap<NamedPolicy, Map<string, Template>>();

  private templateOf(policy: NamedPolicy, request: Request): Template | undefined {
    const shape = this.shapeOf(policy);
    if (shape.variables) return undefined;
    const { action } = request;
    const arn = request.resource.arn;
    let byRequest = this.templates.get(policy);
    if (!byRequest) {
      byRequest = new Map();
      this.templates.set(policy, byRequest);
    }
    const question = `${action.toLowerCase()}\u0000${arn}`;
    let template = byRequest.get(question);
    if (template) return template;
    template = [];
    const segments = arn.split(':');
    let text = shape.tags ? JSON.stringify(Object.entries(request.resource.tags ?? {}).sort()) : '';
    // aws:ResourceAccount falls back on the ARN's account when the resource's is not known.
    text += `\u0000${shape.region ? (segments[3] ?? '') : ''}\u0000${segments[4] ?? ''}`;
    for (const statement of policy.document.Statement) {
      text += '\u0001';
      if (!statementMatchesAction(statement, action)) {
        text += '-';
        continue;
      }
      const patterns = statement.Resource ?? statement.NotResource;
      if (patterns) {
        let any = false;
        let bits = '';
        for (const pattern of patterns) {
          const hit = arnMatches(pattern, arn);
          any ||= hit;
          bits += hit ? '1' : '0';
        }
        // The statement does not apply to this ARN: nothing after its Resource is read.
        if (statement.Resource ? !any : any) {
          text += 'r';
          continue;
        }
        text += bits;
      }
      const rest = `\u0000${statement.Effect}\u0000${statementLabel(statement)}\u0000${JSON.stringify(statement.Condition ?? null)}`;
      if (statement.Principal || statement.NotPrincipal) {
        template.push(text);
        text = '';
        template.push({
          statement,
          rest: `${JSON.stringify(statement.Principal ?? statement.NotPrincipal)}${rest}`,
        });
      } else text += rest;
    }
    template.push(text);
    byRequest.set(question, template);
    return template;
  }

  private readonly shapes = new WeakMap<
    NamedPolicy,
    { variables: boolean; tags: boolean; region: boolean }
  >();

  private shapeOf(policy: NamedPolicy): { variables: boolean; tags: boolean; region: boolean } {
    let found = this.shapes.get(policy);
    if (!found) {
      const statements = policy.document.Statement;
      found = {
        variables: JSON.stringify(policy.document).includes('${'),
        tags: statements.some((statement) => this.mentions(statement, 'resourcetag')),
        region: statements.some((statement) => this.mentions(statement, 'requestedregion')),
      };
      this.shapes.set(policy, found);
    }
    return found;
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

/**
 * Can a decision made on one resource stand for another resource of equal keys
 * (`resourcePolicyKey`)? When it grants or denies explicitly (an implicit denial's wording names
 * its resource), cites no statement of the resource's own policy (its id names the resource), and
 * carries no warning and no later start (both are reported per request).
 */
export function sharesAcrossResources(decision: Decision, resourcePolicy: NamedPolicy | undefined): boolean {
  if (decision.outcome === 'implicit-deny') return false;
  if (decision.warnings.length > 0 || decision.notBefore !== undefined) return false;
  if (!resourcePolicy) return true;
  const id = resourcePolicy.id;
  for (const match of decision.allowedBy) if (match.policyId === id) return false;
  for (const match of decision.deniedBy) if (match.policyId === id) return false;
  return true;
}
