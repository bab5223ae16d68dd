import { resourceTagOf } from './condition-keys.js';
import type { Request } from './types.js';
import { lowerCased } from './wildcard.js';

/**
 * Possible values of a time key over every request that could be made at the analysis time:
 * within [from, to] (epoch milliseconds), or absent when `absent` says it may be.
 */
export interface TimeRange {
  from: number;
  to: number;
  absent: boolean;
}

/**
 * How long ago a usable session can have been issued, in seconds: role sessions last at most the
 * role's MaxSessionDuration (12 hours when not collected, the most AWS allows); GetSessionToken
 * gives users up to 36 hours and the root user 1 hour.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_update-role-settings.html#id_roles_update-session-duration
 * https://docs.aws.amazon.com/STS/latest/APIReference/API_GetSessionToken.html
 */
const MAX_ROLE_SESSION_SECONDS = 43_200;
const USER_SESSION_SECONDS = 129_600;
const ROOT_SESSION_SECONDS = 3_600;

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

  /** The analysis time (epoch milliseconds); undefined when the request gives none. */
  get asOf(): number | undefined {
    return this.request.asOf?.getTime();
  }

  /**
   * `aws:TokenIssueTime` as the range of every session usable at the analysis time: known only
   * as an interval, so conditions on it are decided when the whole interval decides them. It is
   * present only with temporary credentials; a user may call with long-term keys (absent) or a
   * GetSessionToken session.
   * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html#condition-keys-tokenissuetime
   */
  timeRange(key: string): TimeRange | undefined {
    const now = this.asOf;
    if (now === undefined || key.toLowerCase() !== 'aws:tokenissuetime') return undefined;
    if (this.given?.has('aws:tokenissuetime')) return undefined;
    const { principal } = this.request;
    const back = (seconds: number, absent: boolean): TimeRange => ({
      from: now - seconds * 1000,
      to: now,
      absent,
    });
    switch (principal.kind) {
      case 'role':
        return back(principal.maxSessionSeconds ?? MAX_ROLE_SESSION_SECONDS, false);
      case 'user':
        return back(USER_SESSION_SECONDS, true);
      case 'root':
        return back(ROOT_SESSION_SECONDS, true);
      default:
        return undefined;
    }
  }

  /** `string[]`: present with these values; `null`: known absent; `undefined`: unknown offline. */
  get(key: string): string[] | null | undefined {
    const lower = lowerCased(key);
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
    // aws:ResourceTag/…, iam:ResourceTag/… and every service's own (ec2:ResourceTag/…).
    const resourceTag = resourceTagOf(key);
    if (resourceTag !== undefined) {
      if (resource.arn === '*') return undefined;
      return tagValue(resource.tags, resourceTag);
    }
    switch (key) {
      case 'aws:currenttime':
        return this.asOf === undefined ? undefined : [new Date(this.asOf).toISOString()];
      case 'aws:epochtime':
        return this.asOf === undefined ? undefined : [String(Math.floor(this.asOf / 1000))];
      case 'aws:requestedregion': {
        // A regional resource is reached through its region's endpoint; a global one (empty
        // region) or `*` through any.
        const region = resource.arn === '*' ? '' : arnSegment(resource.arn, 3);
        return region ? [region] : undefined;
      }
      case 'aws:sourcearn':
      case 'aws:sourceaccount':
        // Present only when a service principal calls on behalf of a resource.
        return principal.kind === 'service' ? undefined : null;
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
        const account =
          resource.accountId ?? (resource.arn === '*' ? undefined : arnSegment(resource.arn, 4));
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
  for (const key in tags) {
    if (Object.hasOwn(tags, key) && lowerCased(key) === wanted) return [tags[key] as string];
  }
  return null;
}

/** The ARN's colon-separated part `index` (`''` when it has fewer), without splitting it all. */
function arnSegment(arn: string, index: number): string {
  let from = 0;
  for (let i = 0; i < index; i++) {
    const colon = arn.indexOf(':', from);
    if (colon < 0) return '';
    from = colon + 1;
  }
  const end = arn.indexOf(':', from);
  return end < 0 ? arn.slice(from) : arn.slice(from, end);
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
