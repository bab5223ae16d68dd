import type { NamedPolicy, PrincipalElement, Statement } from '../../../model/aws/policy.js';
import { statementMatchesAction } from '../engine/index.js';
import { accountNamed, sessionNamed } from './principal-ids.js';

/** A statement with the policy it belongs to. */
export interface PolicyStatement {
  policy: NamedPolicy;
  statement: Statement;
}

/** Bucket for statements that can match actions of any service (Action `*`, `s*:Get*`, NotAction). */
export const ANY_SERVICE = '*';

/**
 * Allow statements bucketed by the service prefix of their actions (lowercase), so that "can any
 * statement allow `s3:GetObject`" looks at the `s3` bucket and the any-service bucket only.
 */
export class ActionBuckets {
  private readonly buckets = new Map<string, PolicyStatement[]>();

  add(entry: PolicyStatement): void {
    for (const service of servicesOf(entry.statement)) {
      const list = this.buckets.get(service);
      if (list) list.push(entry);
      else this.buckets.set(service, [entry]);
    }
  }

  /** Statements that may match the action (their Action/NotAction does match it). */
  matching(action: string): PolicyStatement[] {
    const service = action.slice(0, action.indexOf(':')).toLowerCase();
    const out: PolicyStatement[] = [];
    for (const key of service === ANY_SERVICE ? [ANY_SERVICE] : [service, ANY_SERVICE])
      for (const entry of this.buckets.get(key) ?? [])
        if (statementMatchesAction(entry.statement, action)) out.push(entry);
    return out;
  }

  /** Does any statement match the action? (`matching(action).length > 0` without the array.) */
  matches(action: string): boolean {
    const service = action.slice(0, action.indexOf(':')).toLowerCase();
    for (const key of service === ANY_SERVICE ? [ANY_SERVICE] : [service, ANY_SERVICE])
      for (const entry of this.buckets.get(key) ?? [])
        if (statementMatchesAction(entry.statement, action)) return true;
    return false;
  }

  hasService(service: string): boolean {
    return this.buckets.has(service.toLowerCase()) || this.buckets.has(ANY_SERVICE);
  }

  get size(): number {
    return this.buckets.size;
  }
}

function servicesOf(statement: Statement): Set<string> {
  if (statement.NotAction || !statement.Action) return new Set([ANY_SERVICE]);
  const services = new Set<string>();
  for (const action of statement.Action) {
    const colon = action.indexOf(':');
    const service = colon < 0 ? action : action.slice(0, colon);
    services.add(/[*?]/.test(service) || colon < 0 ? ANY_SERVICE : service.toLowerCase());
  }
  return services;
}

/**
 * The keys under which a resource-based policy statement names principals: `*` (anyone, also for
 * NotPrincipal), `account:<id>` for an account (bare id or root ARN), and the principal's ARN
 * (a role session ARN under its account and role name). Service and federated principals are not
 * principals of the environment and are not filed.
 */
export function principalKeys(element: PrincipalElement | undefined, negated: boolean): string[] {
  if (negated || element === '*') return [ANY_SERVICE];
  if (!element) return [];
  const keys: string[] = [];
  for (const value of element.AWS ?? []) keys.push(awsPrincipalKey(value));
  return keys;
}

function awsPrincipalKey(value: string): string {
  if (value === '*') return ANY_SERVICE;
  const account = accountNamed(value);
  if (account) return `account:${account}`;
  const session = sessionNamed(value);
  if (session) return sessionKey(session.accountId, session.roleName);
  return value;
}

/** Session ARNs carry the role name without its path: filed by account and role name. */
export function sessionKey(accountId: string, roleName: string): string {
  return `session:${accountId}:${roleName}`;
}
