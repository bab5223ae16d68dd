import { accessLevel, catalogAction, expandActionPattern } from '../../analyzers/aws-iam/catalog.js';
import { actionMatches, arnMatches } from '../../analyzers/aws-iam/engine/wildcard.js';

/** One successful call the proposal must keep allowed. */
export interface UsedPair {
  action: string;
  /** The resource ARN, or null when the log names none. */
  resource: string | null;
}

/**
 * Whether the identity's own policies allow `action` on `resource` (an ARN, possibly a pattern read as
 * a literal ARN, or `*`) without condition: the policy engine's decision. "Never wider than granted".
 */
export type GrantCheck = (action: string, resource: string) => boolean;

export interface PolicyStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export interface AwsPolicyProposal {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

/** Object ARNs of one bucket (`arn:aws:s3:::bucket/key`) grouped under the bucket. */
const S3_OBJECT = /^(arn:[a-z-]+:s3:::[^/]+)\/(.+)$/;

/**
 * The resources a person would write for the used ARNs of one action: S3 objects of one bucket as the
 * deepest common folder with `*` (`arn:aws:s3:::b/reports/2026/*`) when two or more objects were read
 * and the engine says the action is allowed on that pattern; every other ARN as it was used. An action
 * that takes no resource, or whose log named none, is `*` (IAM requires `"Resource": "*"` for actions
 * without resource types, https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */
export function resourcesFor(action: string, arns: (string | null)[], granted: GrantCheck): string[] {
  if (arns.some((a) => a === null) || catalogAction(action)?.resourceTypes.length === 0) return ['*'];
  const out = new Set<string>();
  const objects = new Map<string, string[]>();
  for (const arn of arns as string[]) {
    const m = S3_OBJECT.exec(arn);
    if (m) objects.set(m[1] as string, [...(objects.get(m[1] as string) ?? []), m[2] as string]);
    else out.add(arn);
  }
  for (const [bucket, keys] of objects) {
    const unique = [...new Set(keys)];
    if (unique.length < 2) {
      out.add(`${bucket}/${unique[0]}`);
      continue;
    }
    const pattern = `${bucket}/${commonFolder(unique)}*`;
    if (granted(action, pattern)) out.add(pattern);
    else for (const k of unique) out.add(`${bucket}/${k}`);
  }
  return [...out].sort();
}

/** The deepest folder (ending with `/`, or empty) that holds every key. */
export function commonFolder(keys: string[]): string {
  let prefix = keys[0] ?? '';
  for (const k of keys) while (!k.startsWith(prefix)) prefix = prefix.slice(0, -1);
  return prefix.slice(0, prefix.lastIndexOf('/') + 1);
}

/** The leading verb of an action name (`GetObjectTagging` → `Get`). */
const verbOf = (name: string) => /^[A-Z][a-z]+/.exec(name)?.[0] ?? name;

/**
 * The Action list a person would write for the used actions of one service on the same resources:
 * actions sharing a leading verb become `service:Verb*` (`ec2:Describe*`) when two or more of them
 * were used and every catalogue action the pattern stands for is granted on every resource and is
 * either used or reads only (catalogue access level list or read): a wildcard never adds a write or
 * permissions action that was not used, nor anything the policies do not allow.
 */
export function actionsFor(actions: string[], resources: string[], granted: GrantCheck): string[] {
  const byVerb = new Map<string, string[]>();
  for (const a of actions) {
    const [service, name = ''] = a.split(':');
    const key = `${service}:${verbOf(name)}`;
    byVerb.set(key, [...(byVerb.get(key) ?? []), a]);
  }
  const out: string[] = [];
  for (const [key, used] of byVerb) {
    const pattern = `${key}*`;
    const expanded = used.length >= 2 ? expandActionPattern(pattern) : [];
    const usedLower = new Set(used.map((u) => u.toLowerCase()));
    const fits =
      expanded.length > 0 &&
      expanded.every(
        (a) =>
          (usedLower.has(a.toLowerCase()) || ['list', 'read'].includes(accessLevel(a) ?? '')) &&
          resources.every((r) => granted(a, r)),
      );
    if (fits) out.push(pattern);
    else out.push(...used);
  }
  return out.sort();
}

/**
 * A least-privilege IAM policy from the used (action, resource) pairs (pure): actions in the
 * catalogue's spelling, resources grouped as `resourcesFor` writes them, actions with the same
 * resources in one statement, wildcards only where the engine (`granted`) allows every action and
 * resource they stand for. A used pair itself is always kept: it succeeded, so it was allowed.
 */
export function proposeAwsPolicy(used: UsedPair[], granted: GrantCheck): AwsPolicyProposal {
  const byAction = new Map<string, (string | null)[]>();
  for (const u of used) {
    const action = catalogAction(u.action)?.action ?? u.action;
    byAction.set(action, [...(byAction.get(action) ?? []), u.resource]);
  }
  const byResources = new Map<string, { resources: string[]; actions: string[] }>();
  for (const [action, arns] of byAction) {
    const resources = resourcesFor(action, arns, granted);
    const key = resources.join('\n');
    const group = byResources.get(key) ?? { resources, actions: [] };
    group.actions.push(action);
    byResources.set(key, group);
  }
  const statements = [...byResources.values()]
    .map((g) => ({ resources: g.resources, actions: actionsFor(g.actions.sort(), g.resources, granted) }))
    .sort((a, b) => (a.actions[0] ?? '').localeCompare(b.actions[0] ?? ''));
  return {
    Version: '2012-10-17',
    Statement: statements.map((s, i) => ({
      Sid: `Used${i + 1}`,
      Effect: 'Allow',
      Action: s.actions,
      Resource: s.resources,
    })),
  };
}

/**
 * Whether a proposal keeps `action` on `resource` or on part of it (IAM's matching: actions without
 * case, ARNs by segment; `arn:aws:s3:::b/reports/*` keeps part of the bucket `arn:aws:s3:::b`).
 */
export function proposalKeeps(policy: AwsPolicyProposal, action: string, resource: string): boolean {
  return policy.Statement.some(
    (s) =>
      s.Action.some((p) => actionMatches(p, action)) &&
      s.Resource.some((p) => arnMatches(p, resource) || p.startsWith(`${resource}/`)),
  );
}
