import type { AwsResourceData, AwsRoleData } from '../../../../model/aws/environment.js';
import type { NamedPolicy, Statement } from '../../../../model/aws/policy.js';
import { adminDecision, fullGrants } from '../../authorizer/admin.js';
import type { ContextValues } from '../../engine/types.js';
import { roleTarget } from '../builders.js';
import { type ChangedState, type EscalationContext, permits } from '../context.js';
import type { EscalationFinding, EscalationTechnique, RequiredDecision } from '../types.js';

/**
 * Tags are state the attacker can change. A condition on `aws:PrincipalTag/…` is decided on the
 * principal's collected tags, and one on `aws:ResourceTag/…` (`iam:ResourceTag/…`,
 * `ec2:ResourceTag/…`) on the resource's; a principal allowed to tag itself or the resource
 * (iam:TagUser, iam:TagRole, ec2:CreateTags, <service>:TagResource, or the Untag* actions) can make
 * such a condition hold. This technique changes the tags first, then asks every other technique
 * (and sts:AssumeRole, and whether the principal is administrator) again with the changed tags:
 * what holds only after the change is an escalation whose evidence names the tag step and the
 * conditioned statement. AWS's attribute-based access control guide names this risk:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction_attribute-based-access-control.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html#access_iam-tags_control-tagging
 *
 * Which values to set comes from the conditions themselves: each statement that conditions on a
 * tag key proposes the value that satisfies it (its first value, a policy variable resolved with
 * the principal's tags, a wildcard filled in), or, for a Deny on a tag the principal already has,
 * removing that tag. The engine then decides each proposal like any request, so a proposal that a
 * Deny or another condition defeats finds nothing.
 */

const PRINCIPAL_TAG = 'aws:principaltag/';
/** Resource tag keys as the global and service condition keys name them. */
const RESOURCE_TAG = /^[a-z0-9-]+:resourcetag\/(.+)$/i;
/** At most this many tag changes are tried per principal and kind of change. */
const MAX_CHANGES = 8;
/** At most this many resources are tried per principal. */
const MAX_RESOURCES = 50;

/** One tag change: the key (as tags name it) and its new value, `null` when the tag is removed. */
interface TagChange {
  key: string;
  value: string | null;
  /** The condition keys that name the tag (`aws:ResourceTag/env`, `ssm:resourceTag/env`): each sees the new value. */
  conditionKeys: string[];
}

/** The action that tags (or untags) a resource of a service, as its API names it. */
function tagAction(resource: { arn: string }, remove: boolean): string | undefined {
  const service = resource.arn.split(':')[2] ?? '';
  if (/:iam::\d{12}:role\//.test(resource.arn)) return remove ? 'iam:UntagRole' : 'iam:TagRole';
  if (/:iam::\d{12}:user\//.test(resource.arn)) return remove ? 'iam:UntagUser' : 'iam:TagUser';
  switch (service) {
    case 'ec2':
      return remove ? 'ec2:DeleteTags' : 'ec2:CreateTags';
    case 'sagemaker':
      return remove ? 'sagemaker:DeleteTags' : 'sagemaker:AddTags';
    case 's3':
    case 'codebuild':
    case 'cloudformation':
      // Tagged through a write of the whole resource (PutBucketTagging, UpdateProject, UpdateStack).
      return undefined;
    default:
      return service ? `${service}:${remove ? 'UntagResource' : 'TagResource'}` : undefined;
  }
}

/** The request context of a tag request: the keys and values it sets (`aws:RequestTag`, `aws:TagKeys`). */
function tagRequest(change: TagChange): ContextValues {
  return change.value === null
    ? { 'aws:TagKeys': [change.key] }
    : { [`aws:RequestTag/${change.key}`]: [change.value], 'aws:TagKeys': [change.key] };
}

const POSITIVE = /^(ForAnyValue:)?(String(Equals|Like)(IgnoreCase)?|Arn(Equals|Like))(IfExists)?$/i;
const NEGATED = /^(ForAllValues:)?(StringNot(Equals|Like)(IgnoreCase)?|ArnNot(Equals|Like))(IfExists)?$/i;

/**
 * The tag changes a statement proposes for the keys `tagKey` recognises: for an Allow, a value its
 * condition accepts; for a Deny on a value the subject already has, removing the tag.
 */
function proposals(
  statement: Statement,
  tagKey: (conditionKey: string) => string | undefined,
  current: Record<string, string>,
  principalTags: Record<string, string>,
): TagChange[] {
  const out: TagChange[] = [];
  for (const [operator, entries] of Object.entries(statement.Condition ?? {})) {
    for (const [conditionKey, values] of Object.entries(entries)) {
      const key = tagKey(conditionKey);
      if (key === undefined) continue;
      const [first] = values;
      if (statement.Effect === 'Deny') {
        if (POSITIVE.test(operator) && currentValue(current, key) !== undefined)
          out.push({ key, value: null, conditionKeys: [conditionKey] });
        continue;
      }
      if (operator.toLowerCase() === 'null') {
        if (values.some((v) => v.toLowerCase() === 'false'))
          out.push({ key, value: 'set', conditionKeys: [conditionKey] });
      } else if (NEGATED.test(operator))
        out.push({ key, value: `not-${first ?? ''}`, conditionKeys: [conditionKey] });
      else if (POSITIVE.test(operator) && first !== undefined) {
        const value = concrete(first, principalTags);
        if (value !== undefined) out.push({ key, value, conditionKeys: [conditionKey] });
      }
    }
  }
  return out;
}

function currentValue(tags: Record<string, string>, key: string): string | undefined {
  const lower = key.toLowerCase();
  for (const [k, v] of Object.entries(tags)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

/** A value that matches a policy value: variables of the principal's tags resolved, wildcards filled. */
function concrete(policyValue: string, principalTags: Record<string, string>): string | undefined {
  let unresolved = false;
  const text = policyValue.replace(/\$\{([^}]*)\}/g, (_, body: string) => {
    const name = body.trim();
    if (name === '*' || name === '?' || name === '$') return name;
    if (name.toLowerCase().startsWith(PRINCIPAL_TAG)) {
      const value = currentValue(principalTags, name.slice(PRINCIPAL_TAG.length));
      if (value !== undefined) return value;
    }
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : text.replace(/\*/g, '').replace(/\?/g, 'x');
}

/** Does a statement condition on a key with this (lowercase) prefix? */
function mentions(statement: Statement, prefix: string): boolean {
  for (const entries of Object.values(statement.Condition ?? {}))
    for (const key of Object.keys(entries)) if (key.toLowerCase().startsWith(prefix)) return true;
  return false;
}

const isConditional = (f: EscalationFinding) => f.decisions.some((d) => d.decision.outcome === 'conditional');

/** The distinct changes, in the order proposed, at most MAX_CHANGES. */
function distinct(changes: TagChange[]): TagChange[] {
  const seen = new Map<string, TagChange>();
  for (const c of changes) {
    const key = `${c.key.toLowerCase()}\u0000${c.value ?? '\u0001'}`;
    const known = seen.get(key);
    if (!known) seen.set(key, { ...c, conditionKeys: [...c.conditionKeys] });
    else for (const k of c.conditionKeys) if (!known.conditionKeys.includes(k)) known.conditionKeys.push(k);
  }
  return [...seen.values()].slice(0, MAX_CHANGES);
}

const describeChange = (c: TagChange) =>
  c.value === null ? `removes tag ${c.key}` : `sets tag ${c.key}=${c.value}`;

/** The context values a changed tag gives requests: the principal's or the resource's tag keys. */
function changedValues(change: TagChange, of: 'principal' | 'resource'): ContextValues {
  const value = change.value === null ? null : [change.value];
  if (of === 'principal') return { [`aws:PrincipalTag/${change.key}`]: value };
  const values: ContextValues = { [`aws:ResourceTag/${change.key}`]: value };
  for (const key of change.conditionKeys) values[key] = value;
  return values;
}

/** Every statement of a set of policies. */
const statementsOf = (policies: (NamedPolicy | undefined)[]) =>
  policies.flatMap((p) => p?.document.Statement ?? []);

/**
 * The technique re-asks the run's other techniques after the change, so that a tag condition
 * anywhere in the catalogue is covered without a variant of each technique.
 */
export const changeTagsThenAct: EscalationTechnique = (() => {
  const self: EscalationTechnique = {
    id: 'change-tags-then-act',
    slug: 'change-tags-then-act',
    name: 'iam:TagUser / iam:TagRole / ec2:CreateTags / TagResource (or Untag*), then act',
    category: 'principal-access',
    attack: 'T1098',
    description:
      'Changes a tag that a condition decides on (its own aws:PrincipalTag, or the aws:ResourceTag of a resource it then acts on) and gains what the condition grants: assuming a role, full control of the account, or any other technique that holds only with the new tag.',
    references: [
      {
        title: 'AWS: controlling access to and for IAM users and roles using tags',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/access_iam-tags.html',
      },
      {
        title: 'AWS: attribute-based access control (ABAC)',
        url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/introduction_attribute-based-access-control.html',
      },
    ],
    requiredActions: [],
    find(ctx) {
      const before = new Before(ctx);
      return [...ownTags(ctx, before), ...resourceTags(ctx, before)];
    },
  };

  const found = (c: EscalationContext) =>
    c.run.techniques.flatMap((t) => {
      if (t === self) return [];
      if (!t.requiredActions.every((a) => c.authorizer.mayAllow(c.principal.id, a))) return [];
      return t.find(c).map((f) => ({ technique: t, finding: f }));
    });
  const key = (t: EscalationTechnique, f: EscalationFinding) =>
    `${t.id}\u0000${f.target.kind === 'account' ? f.target.accountId : f.target.id}`;

  /** What the principal has before any change, asked once per principal and only if needed. */
  class Before {
    private had: Map<string, boolean> | undefined;
    private readonly may = new Map<string, boolean>();
    constructor(readonly ctx: EscalationContext) {}
    /** Held before: outright, or (when `unconditionally` is asked) at all. */
    holds(k: string, unconditionally: boolean): boolean {
      this.had ??= new Map(
        found(this.ctx).map(({ technique, finding }) => [key(technique, finding), isConditional(finding)]),
      );
      const conditional = this.had.get(k);
      return conditional !== undefined && (!unconditionally || !conditional);
    }
    mayAllow(action: string): boolean {
      let allowed = this.may.get(action);
      if (allowed === undefined) {
        allowed = this.ctx.authorizer.mayAllow(this.ctx.principal.id, action);
        this.may.set(action, allowed);
      }
      return allowed;
    }
  }

  /** Findings of the other techniques after the change that did not hold before it. */
  function gains(before: Before, after: EscalationContext): EscalationFinding[] {
    return (
      found(after)
        // A finding that held only under undecided conditions before and holds outright after is a gain too.
        .filter(({ technique, finding }) => !before.holds(key(technique, finding), !isConditional(finding)))
        .map(({ technique, finding }) => ({
          ...finding,
          reason: `${technique.id} ${technique.name}: ${finding.reason}`,
        }))
    );
  }

  /** The tag step: a decision for the tag (or untag) request, labelled for the evidence. */
  function tagStep(ctx: EscalationContext, arn: string, what: string, change: TagChange) {
    const action = tagAction({ arn }, change.value === null);
    if (!action) return undefined;
    const decision = ctx.allowed(action, arn, tagRequest(change));
    return decision && { label: `${action} on ${what} (${describeChange(change)})`, decision };
  }

  function withStep(finding: EscalationFinding, step: RequiredDecision, how: string): EscalationFinding {
    return { ...finding, reason: `${how}, then ${finding.reason}`, decisions: [step, ...finding.decisions] };
  }

  /** Tag changes on the principal itself: its own policies, trust policies and resource policies decide on them. */
  function ownTags(ctx: EscalationContext, before: Before): EscalationFinding[] {
    const { principal, authorizer } = ctx;
    const tagger = principal.kind === 'AwsUser' ? 'iam:TagUser' : 'iam:TagRole';
    const untagger = principal.kind === 'AwsUser' ? 'iam:UntagUser' : 'iam:UntagRole';
    if (!before.mayAllow(tagger) && !before.mayAllow(untagger)) return [];
    const tags = principal.request.tags ?? {};
    const set = authorizer.policySet?.(principal.id, '*', '*');
    const own = [
      ...statementsOf(set?.identityPolicies ?? []),
      ...statementsOf([set?.permissionsBoundary]),
      ...statementsOf((set?.serviceControlPolicies ?? []).flat()),
    ];
    const shared = principalTagStatements(ctx);
    const statements = [...own, ...shared.trust, ...shared.resource];
    const principalKey = (k: string) =>
      k.toLowerCase().startsWith(PRINCIPAL_TAG) ? k.slice(PRINCIPAL_TAG.length) : undefined;
    const changes = distinct(statements.flatMap((s) => proposals(s, principalKey, tags, tags)));
    const out: EscalationFinding[] = [];
    for (const change of changes) {
      if (change.value !== null && currentValue(tags, change.key) === change.value) continue;
      const step = tagStep(ctx, principal.id, 'itself', change);
      if (!step) continue;
      const after = ctx.after({ values: changedValues(change, 'principal') });
      const how = `${describeChange(change)} on itself`;
      const admin = adminAfter(after);
      if (admin && !permits(authorizer.isAdmin(principal.id)))
        out.push({
          target: { kind: 'account', accountId: principal.accountId },
          self: true,
          reason: `${how}, then is administrator`,
          decisions: [step, { label: `administrator with ${change.key} changed`, decision: admin }],
        });
      // Roles whose trust decides on the principal's tags; every role when its own sts:AssumeRole grant does.
      const ownDecides = own.some((st) => mentions(st, PRINCIPAL_TAG));
      for (const role of ownDecides ? ctx.account.roles : shared.roles) {
        if (ctx.canAssume(role.arn)) continue;
        const assume = after.canAssume(role.arn);
        if (assume)
          out.push({
            target: roleTarget(role),
            self: false,
            reason: `${how}, then assumes role ${role.name}`,
            decisions: [step, { label: `sts:AssumeRole on ${role.name}`, decision: assume }],
          });
      }
      for (const f of gains(before, after)) out.push(withStep(f, step, how));
    }
    return out;
  }

  /** Is the principal administrator with the changed values (the administrator check of the authorizer, re-asked)? */
  function adminAfter(after: EscalationContext) {
    const set = after.authorizer.policySet?.(after.principal.id, '*', '*');
    if (!set) return undefined;
    const decision = adminDecision(fullGrants(set.identityPolicies), (action) =>
      after.authorizer.evaluate(after.principal.id, action, '*', after.changed?.values),
    );
    return permits(decision) ? decision : undefined;
  }

  /**
   * Tag changes on resources the principal acts on: roles it would assume, and workloads and
   * other resources whose tags a condition of its own policies or of theirs decides on.
   */
  function resourceTags(ctx: EscalationContext, before: Before): EscalationFinding[] {
    const { principal, authorizer } = ctx;
    // The principal's own statements, read only once it may tag something (a what-if state re-runs
    // a technique that read them whatever its change, technique-traces.ts).
    let own: Statement[] | undefined;
    const ownStatements = () => {
      if (!own) {
        const set = authorizer.policySet?.(principal.id, '*', '*');
        own = [
          ...statementsOf(set?.identityPolicies ?? []),
          ...statementsOf([set?.permissionsBoundary]),
          ...statementsOf((set?.serviceControlPolicies ?? []).flat()),
        ];
      }
      return own;
    };
    const candidates = taggable(ctx);
    const resourceKey = (k: string) => RESOURCE_TAG.exec(k)?.[1];
    const out: EscalationFinding[] = [];
    let tried = 0;
    for (const resource of candidates) {
      if (resource.arn === principal.id) continue;
      const { tagger, untagger } = resource;
      if (!tagger || !untagger) continue;
      // Asked once per action (`Before` keeps the answers): every role of the account asks the same.
      if (!before.mayAllow(tagger) && !before.mayAllow(untagger)) continue;
      const statements = [...ownStatements(), ...statementsOf([resource.policy])];
      const changes = distinct(
        statements.flatMap((s) => proposals(s, resourceKey, resource.tags, principal.request.tags ?? {})),
      );
      if (changes.length === 0) continue;
      if (++tried > MAX_RESOURCES) break;
      for (const change of changes) {
        if (change.value !== null && currentValue(resource.tags, change.key) === change.value) continue;
        const step = tagStep(ctx, resource.arn, resource.name, change);
        if (!step) continue;
        const changed: ChangedState = {
          values: changedValues(change, 'resource'),
          resources: new Set([resource.arn]),
        };
        const after = ctx.after(changed);
        const how = `${describeChange(change)} on ${resource.name}`;
        if (/:iam::\d{12}:role\//.test(resource.arn) && !ctx.canAssume(resource.arn)) {
          const assume = after.canAssume(resource.arn);
          const role = ctx.run.role(resource.arn);
          if (assume && role)
            out.push({
              target: roleTarget(role),
              self: false,
              reason: `${how}, then assumes it`,
              decisions: [step, { label: `sts:AssumeRole on ${role.name}`, decision: assume }],
            });
        }
        for (const f of gains(before, after)) out.push(withStep(f, step, how));
      }
    }
    return out;
  }

  /** Trust and resource policy statements that decide on principal tags, once per account. */
  const principalTagged = new WeakMap<
    object,
    { roles: AwsRoleData[]; trust: Statement[]; resource: Statement[] }
  >();
  function principalTagStatements(ctx: EscalationContext) {
    let found = principalTagged.get(ctx.account);
    if (!found) {
      const roles = ctx.account.roles.filter((r) =>
        r.trustPolicy.document.Statement.some((st) => mentions(st, PRINCIPAL_TAG)),
      );
      found = {
        roles,
        trust: roles.flatMap((r) => r.trustPolicy.document.Statement),
        resource: ctx.authorizer
          .resources()
          .flatMap((r) => r.policy?.document.Statement ?? [])
          .filter((st) => mentions(st, PRINCIPAL_TAG)),
      };
      principalTagged.set(ctx.account, found);
    }
    return found;
  }

  /**
   * Roles and workloads of each account, with the actions that tag and untag them, built once per
   * account (every principal of it asks, about every one of them).
   */
  const taggables = new WeakMap<object, Taggable[]>();
  function taggable(ctx: EscalationContext): Taggable[] {
    let list = taggables.get(ctx.account);
    if (!list) {
      const actions = (arn: string) => ({
        tagger: tagAction({ arn }, false),
        untagger: tagAction({ arn }, true),
      });
      list = [
        ...ctx.account.roles.map((r) => ({
          arn: r.arn,
          name: `role ${r.name}`,
          tags: r.tags,
          policy: r.trustPolicy,
          ...actions(r.arn),
        })),
        ...ctx.account.resources
          .filter((r: AwsResourceData) => r.roleArns?.length)
          .map((r) => ({
            arn: r.arn,
            name: `${r.type} ${r.name}`,
            tags: r.tags,
            ...(r.policy ? { policy: r.policy } : {}),
            ...actions(r.arn),
          })),
      ];
      taggables.set(ctx.account, list);
    }
    return list;
  }

  return self;
})();

/** A resource whose tags a principal may change: roles it would assume, workloads it would act through. */
interface Taggable {
  arn: string;
  name: string;
  tags: Record<string, string>;
  policy?: NamedPolicy;
  /** `tagAction` of the resource (undefined when its service tags through a write of the whole resource). */
  tagger: string | undefined;
  untagger: string | undefined;
}
