import type { AwsResourceData } from '../../../model/aws/environment.js';
import type { NamedPolicy, Statement } from '../../../model/aws/policy.js';
import { arnMatches } from '../engine/index.js';
import { notPrincipalExcludes, principalMatch } from '../engine/principal.js';
import type { PolicySet, RequestPrincipal } from '../engine/types.js';

/**
 * Which of one principal's candidate resources CAN_ACCESS decides alike: a class's first resource
 * is decided request by request, and the others take its grant when every decision it got stands
 * for them (`SharedDecisions.watch`). A principal allowed `s3:*` on `*` then costs work per kind
 * of bucket, not per bucket, before its pairs are written.
 *
 * The engine reads a request's resource only through (engine/statement.ts, engine/context.ts):
 * which Resource/NotResource patterns match the requested ARN, the resource's own policy and the
 * layer it forms (Block Public Access, the principal's account inside or outside), the RCPs of its
 * account, and the keys derived from it (`aws:ResourceAccount`, `aws:ResourceTag/…`,
 * `aws:RequestedRegion` from the ARN's region). CAN_ACCESS asks about `<arn>` and `<arn>/*`, then
 * about the prefixes the principal's or the resource's policies name (`decide` in can-access.ts).
 * Two resources are of one class for a principal when:
 *
 * - their *shape* is equal: everything collected about them (type, account, region, attributes,
 *   the policy as written) with their own ARN and every Principal/NotPrincipal element written
 *   as placeholders, the ARN's head segments, their tags when a policy of theirs reads
 *   `aws:ResourceTag`, and which patterns of their policy and of their account's RCPs match each
 *   ARN that may be asked (`<arn>`, `<arn>/*`, the prefixes their policy names, relative to the
 *   ARN). A policy or RCP with a policy variable (resolved per request) gives a shape of its own;
 * - each Principal/NotPrincipal element of those policies, in order, names the principal alike
 *   (`principalMatch`, `notPrincipalExcludes`: a statement naming it is read further, with its
 *   element as written; one not naming it does not apply). So a bucket policy granting three
 *   other roles reads, for this principal, like one granting nobody;
 * - every Resource/NotResource pattern of the principal's identity policies, boundary, session
 *   policies and SCPs that may be read for the type's actions matches the same of those ARNs, and
 *   names neither resource's parts (`<arn>/reports/*` is a prefix asked of that resource only);
 *   their tags are equal when one of those statements reads `aws:ResourceTag`. A principal with a
 *   policy variable in such a pattern has no classes (every resource its own);
 * - the principal's action classes list both as candidates (the caller compares that).
 *
 * Then each request on one is the same request on the other up to the ARN, which the engine sees
 * only through equal matches and equal derived keys: the outcome, the statements and conditions
 * are the same, except the statements of each resource's own policy (different policies) and the
 * wording of an implicit denial, warnings and a later start (reported per request): a class whose
 * first resource's decisions carry any of these is decided resource by resource. A principal's
 * resources are then decided a class at a time rather than action class by action class: where a
 * decision shared by `decisionKey` has a later start, reported once for the first resource decided,
 * the report may name another resource of that key than before; edges, hubs and evidence are the same.
 */
/** What a principal's policy set reads of a resource (`ResourceClasses.identity`). */
export interface IdentityReads {
  patterns: string[];
  /** A statement reads `aws:ResourceTag/…`. */
  tags: boolean;
}

interface Shape {
  id: number;
  /** The Principal/NotPrincipal statements of the resource-side policies, in order. */
  naming: Statement[];
}

export class ResourceClasses {
  private readonly shapeIds = new Map<string, number>();
  /** By resource, then by the side the resource layer has for the principal (inside/outside its account). */
  private readonly shapes = new WeakMap<AwsResourceData, Map<string, Shape>>();
  private readonly tagTexts = new WeakMap<AwsResourceData, string>();
  private readonly asked = new WeakMap<AwsResourceData, string[]>();
  /** Per pattern, per resource: which asked ARNs it matches (patterns recur across principals). */
  private readonly codes = new Map<string, WeakMap<AwsResourceData, string>>();

  /**
   * The patterns of a principal's policy set that the engine may read for the type's actions
   * (`reads` says which statements match one of them); undefined when one has a policy variable.
   */
  identity(set: PolicySet, reads: (statement: Statement) => boolean): IdentityReads | undefined {
    const out = new Set<string>();
    let tags = false;
    for (const policy of [
      ...set.identityPolicies,
      ...(set.permissionsBoundary ? [set.permissionsBoundary] : []),
      ...(set.sessionPolicies ?? []),
      ...(set.serviceControlPolicies ?? []).flat(),
    ])
      for (const statement of policy.document.Statement) {
        if (!reads(statement)) continue;
        tags ||= mentionsResourceTags(statement);
        for (const pattern of statement.Resource ?? statement.NotResource ?? []) {
          if (pattern.includes('${')) return undefined;
          out.add(pattern);
        }
      }
    return { patterns: [...out], tags };
  }

  /**
   * The resource's class for a principal whose patterns are `patterns`, on the side `side` of
   * its resource layer; `policies` are the resource-side policies that may be read on it (its
   * policy as the layer gives it for that side, its account's RCPs), the same for every principal
   * of the side.
   */
  key(
    resource: AwsResourceData,
    side: string,
    policies: readonly NamedPolicy[],
    identity: IdentityReads,
    principal: RequestPrincipal,
    naming: Map<Statement, string>,
  ): string {
    const shape = this.shape(resource, side, policies);
    let key = `${shape.id}`;
    if (identity.tags) key += `\u0001${this.tagsOf(resource)}`;
    for (const statement of shape.naming) {
      // Per statement object: a policy's statements are read by every principal (`naming` is one principal's).
      let part = naming.get(statement);
      if (part === undefined) {
        part = namingPart(statement, principal);
        naming.set(statement, part);
      }
      key += `\u0001${part}`;
    }
    for (const pattern of identity.patterns) {
      key += `\u0001${this.code(pattern, resource)}`;
      // A prefix the principal's policy names under this resource is asked of it only: a class of its own.
      if (pattern.startsWith(`${resource.arn}/`)) key += resource.arn;
    }
    return key;
  }

  private tagsOf(resource: AwsResourceData): string {
    let text = this.tagTexts.get(resource);
    if (text === undefined) {
      text = JSON.stringify(Object.entries(resource.tags ?? {}).sort());
      this.tagTexts.set(resource, text);
    }
    return text;
  }

  private shape(resource: AwsResourceData, side: string, policies: readonly NamedPolicy[]): Shape {
    let bySide = this.shapes.get(resource);
    if (!bySide) {
      bySide = new Map();
      this.shapes.set(resource, bySide);
    }
    let shape = bySide.get(side);
    if (shape === undefined) {
      const { arn, name: _name, tags, ...rest } = resource;
      const variables = [resource.policy, ...policies].some(
        (p) => p !== undefined && JSON.stringify(p.document).includes('${'),
      );
      const statements = policies.flatMap((p) => p.document.Statement);
      const readsTags = [resource.policy, ...policies].some((p) =>
        p?.document.Statement.some(mentionsResourceTags),
      );
      const relative = (value: unknown) => ownArnAsPlaceholder(JSON.stringify(value, withoutPrincipals), arn);
      const bits = policies
        .flatMap((p) => p.document.Statement)
        .map((statement) =>
          (statement.Resource ?? statement.NotResource ?? []).map((p) => this.code(p, resource)),
        )
        .join(';');
      const text = [
        // A policy variable is resolved per request: such a resource is a class of its own.
        variables ? arn : '',
        side,
        arn.split(':').slice(0, 5).join(':'),
        readsTags ? JSON.stringify(Object.entries(tags ?? {}).sort()) : '',
        relative(rest),
        relative(policies),
        bits,
      ].join('\u0000');
      let id = this.shapeIds.get(text);
      if (id === undefined) {
        id = this.shapeIds.size;
        this.shapeIds.set(text, id);
      }
      shape = { id, naming: statements.filter((st) => st.Principal || st.NotPrincipal) };
      bySide.set(side, shape);
    }
    return shape;
  }

  /** Which ARNs asked of the resource the pattern matches. */
  private code(pattern: string, resource: AwsResourceData): string {
    // Kept only for patterns that may match many resources (`*`, `team-*/*`): one naming a single
    // resource (`<arn>/*`) is met by few principals, and kept it would cost an entry per resource.
    if (!/[*?]/.test(pattern.split('/', 1)[0] as string)) return this.matches(pattern, resource);
    let byResource = this.codes.get(pattern);
    if (!byResource) {
      byResource = new WeakMap();
      this.codes.set(pattern, byResource);
    }
    let code = byResource.get(resource);
    if (code === undefined) {
      code = this.matches(pattern, resource);
      byResource.set(resource, code);
    }
    return code;
  }

  private matches(pattern: string, resource: AwsResourceData): string {
    let code = '';
    for (const arn of this.askedOf(resource)) code += arnMatches(pattern, arn) ? '1' : '0';
    return code;
  }

  /** `<arn>`, `<arn>/*` and the prefixes its policy names (`decide` asks of them), wildcards as `x`. */
  private askedOf(resource: AwsResourceData): string[] {
    let found = this.asked.get(resource);
    if (!found) {
      const { arn } = resource;
      const out = new Set([arn, `${arn}/*`]);
      for (const statement of resource.policy?.document.Statement ?? [])
        for (const pattern of statement.Resource ?? [])
          if (pattern.startsWith(`${arn}/`)) out.add(pattern.replace(/[*?]/g, 'x'));
      found = [...out];
      this.asked.set(resource, found);
    }
    return found;
  }
}

/** JSON.stringify's replacer: Principal/NotPrincipal elements as a placeholder (`namingPart` reads them). */
function withoutPrincipals(key: string, value: unknown): unknown {
  return key === 'Principal' || key === 'NotPrincipal' ? '\u0002' : value;
}

/**
 * How a statement's Principal/NotPrincipal names the principal, as statement evaluation reads it
 * (engine/statement.ts): a Principal that does not name it rules the statement out, whatever it
 * lists; otherwise the element is read further (session names), so it is part of the class as written.
 */
function namingPart(statement: Statement, principal: RequestPrincipal): string {
  if (statement.Principal) {
    const match = principalMatch(statement.Principal, principal);
    return match === 'none' ? 'p' : `P${match}${JSON.stringify(statement.Principal)}`;
  }
  // A permissions boundary overrides a NotPrincipal Deny's exclusion: the element as written.
  const excluded = statement.NotPrincipal
    ? notPrincipalExcludes(statement.NotPrincipal, principal)
    : undefined;
  return `N${excluded}${JSON.stringify(statement.NotPrincipal ?? null)}`;
}

function mentionsResourceTags(statement: Statement): boolean {
  return JSON.stringify(statement).toLowerCase().includes('resourcetag');
}

/** The resource's own ARN, as a whole JSON string or a string's head (`<arn>/…`, `<arn>#policy`), made a placeholder. */
function ownArnAsPlaceholder(json: string, arn: string): string {
  const quoted = JSON.stringify(arn).slice(0, -1);
  let out = '';
  let from = 0;
  for (let at = json.indexOf(quoted, from); at >= 0; at = json.indexOf(quoted, from)) {
    const next = json[at + quoted.length];
    out += json.slice(from, at);
    out += next === '"' || next === '/' || next === '#' ? '"\u0002' : quoted;
    from = at + quoted.length;
  }
  return out + json.slice(from);
}
