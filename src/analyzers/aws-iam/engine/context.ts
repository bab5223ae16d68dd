import type { Request } from './types.js';

/**
 * The request context as the engine sees it: the keys the caller knows plus the keys derivable
 * from the principal and the resource. Context key names are case-insensitive
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition.html);
 * values are not.
 *
 * A lookup answers one of three things: the values (`string[]`), known to be absent (`null`), or
 * unknown offline (`undefined`). Only the last makes a statement conditional.
 */
export class RequestContext {
  /** The request's own context values by lowercase key; undefined when it has none (the usual case). */
  private readonly given: Map<string, string[] | null> | undefined;
  private resolved: Map<string, unknown> | undefined;

  /** Policy strings already resolved for this request (many statements repeat the same ones). */
  get resolutions(): Map<string, unknown> {
    this.resolved ??= new Map();
    return this.resolved;
  }

  /** `derive: false` answers only from the given context values (every other key unknown). */
  constructor(
    readonly request: Request,
    private readonly derive = true,
  ) {
    if (request.context) {
      this.given = new Map();
      for (const [key, values] of Object.entries(request.context)) this.given.set(key.toLowerCase(), values);
    }
  }

  /** `string[]`: present with these values; `null`: known absent; `undefined`: unknown offline. */
  get(key: string): string[] | null | undefined {
    const lower = key.toLowerCase();
    if (this.given?.has(lower)) return this.given.get(lower);
    return this.derive ? this.derived(lower) : undefined;
  }

  /**
   * Keys derived from the principal and the resource. Availability rules:
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
   */
  private derived(key: string): string[] | null | undefined {
    const { principal, resource } = this.request;
    const isIamPrincipal =
      principal.kind === 'user' || principal.kind === 'role' || principal.kind === 'root';
    if (key.startsWith('aws:principaltag/')) {
      if (!isIamPrincipal) return null;
      return tagValue(principal.tags, key.slice('aws:principaltag/'.length));
    }
    if (key.startsWith('aws:resourcetag/') || key.startsWith('iam:resourcetag/')) {
      if (resource.arn === '*') return undefined;
      return tagValue(resource.tags, key.slice(key.indexOf('/') + 1));
    }
    switch (key) {
      case 'aws:principalarn':
        // For a role session this is the role's ARN, not the session's.
        return isIamPrincipal ? [principal.arn] : null;
      case 'aws:principalaccount':
        if (!isIamPrincipal) return principal.kind === 'anonymous' ? null : undefined;
        return principal.accountId ? [principal.accountId] : undefined;
      case 'aws:principaltype':
        return principalType(principal.kind);
      case 'aws:username':
        // Present for IAM users only.
        if (principal.kind !== 'user') return null;
        return principal.username
          ? [principal.username]
          : [principal.arn.slice(principal.arn.lastIndexOf('/') + 1)];
      case 'aws:userid':
        if (principal.kind === 'anonymous' || principal.kind === 'service') return null;
        return principal.userId ? [principal.userId] : undefined;
      case 'aws:principalorgid':
        if (!isIamPrincipal) return principal.kind === 'anonymous' ? null : undefined;
        return principal.orgId ? [principal.orgId] : undefined;
      case 'aws:principalorgpaths':
        if (!isIamPrincipal) return principal.kind === 'anonymous' ? null : undefined;
        return principal.orgPaths ? [...principal.orgPaths] : undefined;
      case 'aws:principalisawsservice':
        return principal.kind === 'anonymous' ? null : [principal.kind === 'service' ? 'true' : 'false'];
      case 'aws:principalservicename':
        return principal.kind === 'service' ? [principal.service ?? principal.arn] : null;
      case 'aws:resourceaccount': {
        const account = resource.accountId ?? (resource.arn === '*' ? undefined : resource.arn.split(':')[4]);
        return account ? [account] : undefined;
      }
      default:
        return undefined;
    }
  }
}

/** Tag keys are matched case-insensitively, as condition key names are. */
function tagValue(tags: Record<string, string> | undefined, wanted: string): string[] | null | undefined {
  if (!tags) return undefined;
  for (const [key, value] of Object.entries(tags)) {
    if (key.toLowerCase() === wanted) return [value];
  }
  return null;
}

function principalType(kind: Request['principal']['kind']): string[] | null | undefined {
  switch (kind) {
    case 'user':
      return ['User'];
    case 'role':
      return ['AssumedRole'];
    case 'root':
      return ['Account'];
    case 'anonymous':
      return ['Anonymous'];
    default:
      return undefined;
  }
}
