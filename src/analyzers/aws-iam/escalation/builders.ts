import type { AwsResourceData, AwsRoleData } from '../../../model/aws/environment.js';
import type { EscalationContext, RoleForService } from './context.js';
import type { EvidenceSource } from './evidence.js';
import { sharedPassDecision } from './pass-role-class.js';
import type {
  EscalationCategory,
  EscalationFinding,
  EscalationReference,
  EscalationTechnique,
  PermissionChange,
  Prerequisite,
  ProductClass,
  RequiredDecision,
} from './types.js';

/**
 * Builders for the recurring shapes of technique, so each technique is a row of the table of its
 * shape under `techniques/`: pass a role to a service that runs code as it (`pass-role-and-run.ts`),
 * act through an existing resource that runs as a role (`act-on-existing-resource.ts`), change
 * one's own permissions (`modify-itself.ts`), or change another principal's permissions and act
 * as it (`modify-and-act.ts`). The helpers for findings serve the techniques with logic of their own.
 */

type Header = Pick<
  EscalationTechnique,
  'id' | 'slug' | 'aliases' | 'name' | 'attack' | 'description' | 'references'
>;

export const RHINO: EscalationReference = {
  title: 'Rhino Security Labs: AWS privilege escalation methods',
  url: 'https://rhinosecuritylabs.com/aws/aws-privilege-escalation-methods-mitigation/',
};
export const PASSROLE_DOC: EscalationReference = {
  title: 'AWS: granting a user permissions to pass a role to a service',
  url: 'https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_passrole.html',
};

export const AGENTCORE_BEYONDTRUST: EscalationReference = {
  title: 'BeyondTrust: privilege escalation paths in AWS AgentCore',
  url: 'https://www.beyondtrust.com/blog/entry/aws-agentcore-privilege-escalation',
};

export function pathfinding(id: string): EscalationReference {
  return { title: `pathfinding.cloud ${id}`, url: `https://pathfinding.cloud/paths/${id}` };
}

/** A page of HackTricks' AWS privilege-escalation section; `service`, when given, is named in the title. */
export function hackTricks(page: string, service?: string): EscalationReference {
  return {
    title: `HackTricks: AWS ${service ? `${service} ` : ''}privilege escalation`,
    url: `https://cloud.hacktricks.wiki/en/pentesting-cloud/aws-security/aws-privilege-escalation/${page}`,
  };
}

/** A user holds at most two access keys (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_iam-quotas.html). */
export const MAX_ACCESS_KEYS = 2;

export function roleTarget(role: Pick<AwsRoleData, 'arn'>): EscalationFinding['target'] {
  return { kind: 'principal', id: role.arn, nodeKind: 'AwsRole' };
}

/** The AWS managed AdministratorAccess policy of the principal's partition. */
export function administratorAccessArn(partition: string): string {
  return `arn:${partition}:iam::aws:policy/AdministratorAccess`;
}

/** A self-escalation finding: it holds only if the change makes the principal administrator. */
export function selfAdmin(
  ctx: EscalationContext,
  decisions: RequiredDecision[],
  reason: string,
  change: PermissionChange,
): EscalationFinding {
  return {
    target: { kind: 'account', accountId: ctx.principal.accountId },
    self: true,
    reason,
    decisions,
    ifAdmin: { principalId: ctx.principal.id, change, summary: reason },
  };
}

/**
 * Administrator through another principal the source both changes and acts as (assumes, or
 * creates keys for): an edge to the account, not self-escalation.
 */
export function adminThrough(
  ctx: EscalationContext,
  principalId: string,
  decisions: RequiredDecision[],
  reason: string,
  change: PermissionChange,
): EscalationFinding {
  return {
    target: { kind: 'account', accountId: ctx.principal.accountId },
    self: false,
    reason,
    decisions,
    ifAdmin: { principalId, change, summary: reason },
  };
}

export interface PassRoleSpec extends Header {
  category?: 'new-passrole' | 'existing-passrole';
  /** The service principal the role must trust and iam:PassedToService names. */
  service: string;
  /** Actions besides iam:PassRole, each needed on some resource of the principal's account. */
  actions: string[];
  /**
   * Actions that start the code once it is set up, which need no permission of the passer's:
   * any principal the attacker controls may perform them (`anyControlled`).
   */
  triggers?: string[];
  /** What else must exist (e.g. an ECS cluster), when the technique reuses something not collected. */
  requires?: string[];
  /** How the code runs, for the reason: "a new Lambda function". */
  runs: string;
  /** Extra per-role prerequisite (e.g. EC2 needs an instance profile holding the role). */
  roleRequires?: (role: AwsRoleData) => Prerequisite[];
}

/**
 * `roleRequires` of services that start an EC2 instance: the instance gets an instance profile,
 * not a role, so one must hold the role. The account's authorization details list every role's
 * instance profiles, so an empty list means none holds it; creating one takes
 * iam:CreateInstanceProfile and iam:AddRoleToInstanceProfile
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_use_switch-role-ec2_instance-profiles.html).
 */
export function instanceProfileHolding(role: AwsRoleData): Prerequisite[] {
  return role.instanceProfileArns.length
    ? []
    : [
        {
          what: `an instance profile holding role ${role.name}`,
          createdWith: ['iam:CreateInstanceProfile', 'iam:AddRoleToInstanceProfile'],
        },
      ];
}

/** Pass a role to a service that runs the caller's code with it: an edge to every such role. */
export function passRoleTechnique(spec: PassRoleSpec): EscalationTechnique {
  const { service, actions, triggers = [], runs, requires, roleRequires, category, ...header } = spec;
  // Per role trusting the service, its side of the findings (`passable` copies the entries: by role).
  const roleSides = new WeakMap<
    AwsRoleData,
    { target: EscalationFinding['target']; reason: string; onRole: RequiredDecision; product: ProductClass }
  >();
  return {
    ...header,
    category: category ?? 'new-passrole',
    requiredActions: ['iam:PassRole', ...actions, ...triggers],
    ...(triggers.length ? { anyControlled: triggers } : {}),
    find(ctx) {
      const accountId = ctx.principal.accountId;
      const trusting = ctx.run.rolesTrusting(accountId, service);
      const roles = ctx.passable(trusting, service);
      if (roles.length === 0) return [];
      const own = ctx.somewhereAll(actions);
      const started = own && ctx.somewhereAllControlled(triggers);
      if (!own || !started) return [];
      const others = [...own, ...started];
      const how = `run code as it in ${runs} (${[...actions, ...triggers].join(' + ')})`;
      // A caller whose PassRole decision is the same for every role trusting the service states it
      // once, for the class: its pairs are a product (grant-hubs.ts). Otherwise each names its role.
      const shared = sharedPassDecision(roles, trusting);
      const sharedPass: RequiredDecision | undefined = shared && {
        label: `iam:PassRole to ${service} on every role of account ${accountId} trusting it`,
        decision: shared,
      };
      return roles.map((entry) => {
        const { role, pass } = entry;
        const missing = roleRequires?.(role) ?? [];
        const side = roleSide(entry, how, trusting);
        return {
          target: side.target,
          self: false,
          reason: side.reason,
          decisions: [
            sharedPass ?? { label: `iam:PassRole on ${role.name} to ${service}`, decision: pass },
            ...others,
            side.onRole,
          ],
          ...(requires?.length ? { requires } : {}),
          ...(missing.length ? { missing } : {}),
          ...(sharedPass ? { product: side.product } : {}),
        };
      });
    },
  };

  /** What a finding says about its role alone, the same from every caller: made once per role. */
  function roleSide(entry: RoleForService, how: string, trusting: readonly RoleForService[]) {
    let side = roleSides.get(entry.role);
    if (!side) {
      const { role, trust } = entry;
      const onRole = { label: `trust policy of ${role.name} admits ${service}`, decision: trust };
      side = {
        target: roleTarget(role),
        reason: `can pass role ${role.name} to ${service} and ${how}`,
        onRole,
        product: serviceClass(
          role.accountId,
          service,
          trusting,
          `can pass any role of account ${role.accountId} trusting ${service} to it and ${how}`,
          onRole,
        ),
      };
      roleSides.set(entry.role, side);
    }
    return side;
  }
}

/**
 * The product class of the roles of an account that trust a service: the source's decisions are
 * about its account (or, for PassRole, the same for every such role), the trust decision about
 * the role alone, so every source reaching the whole class shares one Grant hub (grant-hubs.ts).
 */
function serviceClass(
  accountId: string,
  service: string,
  trusting: readonly RoleForService[],
  sourceReason: string,
  onRole: RequiredDecision,
): ProductClass {
  return {
    key: `${accountId}\u0000${service}`,
    name: `roles of account ${accountId} trusting ${service}`,
    targets: roleIds(trusting),
    sourceReason,
    targetDecisions: [onRole],
  };
}

export interface ExistingResourceSpec extends Header {
  /** `existing-passrole` unless the catalogue files the path under another category. */
  category?: EscalationCategory;
  /** The service principal roles of such resources trust (used when the resources were not collected). */
  service: string;
  /** Resource type and the collection that lists them; absent when reachgraph does not collect them. */
  resourceType?: AwsResourceData['type'];
  collectedKey?: string;
  /** Actions needed on the resource itself. */
  actions: string[];
  /** Actions needed on something else the technique creates or names (a lifecycle configuration, an application revision), checked anywhere in the account. */
  elsewhere?: string[];
  /** The service in the resource's ARN when it is not the actions' prefix (ssm:SendCommand acts on `arn:…:ec2:…:instance/…`). */
  arnService?: string;
  /** The resource named in a `requires`: "an EC2 instance". */
  resourceLabel: string;
  /** How the resource's role is known. */
  linkSource: EvidenceSource;
  /** What the technique does, for the reason. */
  how: string;
}

/**
 * Act through an existing resource that runs as a role (run a command on an instance, replace a
 * function's code): an edge to the resource's role. When the account's list of such resources was
 * not collected, an edge to every role the service could run as, marked possible-if-such-a-
 * resource-exists through `requires`.
 */
export function existingResourceTechnique(spec: ExistingResourceSpec): EscalationTechnique {
  const {
    service,
    resourceType,
    collectedKey,
    actions,
    elsewhere = [],
    arnService,
    resourceLabel,
    linkSource,
    how,
    category,
    ...header
  } = spec;
  // Per role of a class (the run's cached RoleForService entries), its side of the findings.
  const roleSides = new WeakMap<
    RoleForService,
    {
      target: EscalationFinding['target'];
      reason: string;
      requires: string[];
      onRole: RequiredDecision;
      product: ProductClass;
    }
  >();
  return {
    ...header,
    category: category ?? 'existing-passrole',
    requiredActions: [...actions, ...elsewhere],
    find(ctx) {
      const other = ctx.somewhereAll(elsewhere);
      if (!other) return [];
      const resources =
        resourceType && collectedKey ? ctx.collectedResources(resourceType, collectedKey) : undefined;
      if (resources) return fromResources(ctx, resources, other);
      const onResource = ctx.somewhereAll(actions, ctx.principal.accountId, arnService);
      if (!onResource) return [];
      const decisions = [...onResource, ...other];
      const why = resourceType ? 'was not collected' : 'is not collected by reachgraph';
      const accountId = ctx.principal.accountId;
      const trusting = ctx.run.rolesTrusting(accountId, service);
      return trusting
        .filter(({ role }) => role.arn !== ctx.principal.id)
        .map((entry) => {
          const { target, reason, requires, onRole, product } = roleSide(entry, why, trusting);
          return { target, self: false, reason, decisions: [...decisions, onRole], requires, product };
        });
    },
  };

  /**
   * What a finding says about its role alone, the same from every source (`why` is the spec's):
   * made once per role and shared by every source's finding (hundreds reach each role of a class).
   */
  function roleSide(entry: RoleForService, why: string, trusting: readonly RoleForService[]) {
    let side = roleSides.get(entry);
    if (!side) {
      const { role, trust } = entry;
      const onRole = { label: `trust policy of ${role.name} admits ${service}`, decision: trust };
      const sourceReason = `can ${how} ${resourceLabel} running as any role of account ${role.accountId} trusting ${service}, if one exists (the list of them ${why})`;
      side = {
        target: roleTarget(role),
        reason: `can ${how} ${resourceLabel} running as ${role.name}, if one exists (the list of them ${why})`,
        requires: [`${resourceLabel} running as ${role.name}`],
        onRole,
        product: serviceClass(role.accountId, service, trusting, sourceReason, onRole),
      };
      roleSides.set(entry, side);
    }
    return side;
  }

  function fromResources(
    ctx: EscalationContext,
    resources: AwsResourceData[],
    other: RequiredDecision[],
  ): EscalationFinding[] {
    const [first = ''] = actions;
    const patterns = ctx.authorizer.resourcePatterns(ctx.principal.id, first);
    const out: EscalationFinding[] = [];
    for (const resource of resources) {
      const roleArns = (resource.roleArns ?? []).filter(
        (arn) => arn !== ctx.principal.id && ctx.run.role(arn),
      );
      if (roleArns.length === 0) continue;
      if (!patterns.some((p) => ctx.matches(p, resource.arn))) continue;
      const onResource = ctx.allowedAll(actions, resource.arn, `${resource.type} ${resource.name}`);
      if (!onResource) continue;
      const decisions = [...onResource, ...other];
      for (const roleArn of roleArns) {
        const role = ctx.run.role(roleArn) as AwsRoleData;
        out.push({
          target: roleTarget(role),
          self: false,
          reason: `can ${how} ${resource.type} ${resource.name}, which runs as role ${role.name}`,
          decisions,
          evidence: [
            {
              source: linkSource,
              ref: resource.arn,
              reason: `${resource.type} ${resource.name} runs as role ${role.name}`,
            },
          ],
        });
      }
    }
    return out;
  }
}

const roleIdLists = new WeakMap<readonly { role: AwsRoleData }[], string[]>();

/** The roles' ids, once per (cached) list. */
function roleIds(roles: readonly { role: AwsRoleData }[]): string[] {
  let ids = roleIdLists.get(roles);
  if (!ids) {
    ids = roles.map(({ role }) => role.arn);
    roleIdLists.set(roles, ids);
  }
  return ids;
}

export interface ModifyAndActSpec extends Header {
  /** How the other principal's permissions are changed. */
  modify:
    | { action: string; on: 'role' | 'user'; attach?: boolean; change: PermissionChange; verb: string }
    | { action: 'iam:CreatePolicyVersion'; on: 'policy'; change: PermissionChange; verb: string };
  /** How the source then acts as that principal. */
  actAs: 'assume' | 'update-trust' | 'access-key';
}

const ACT_ACTION = {
  assume: 'sts:AssumeRole',
  'update-trust': 'iam:UpdateAssumeRolePolicy',
  'access-key': 'iam:CreateAccessKey',
} as const;

/**
 * Change another principal's permissions and act as it (assume it, rewrite its trust to admit
 * oneself, or create its access key): administrator of the account when the change makes that
 * principal administrator.
 */
export function modifyAndActTechnique(spec: ModifyAndActSpec): EscalationTechnique {
  const { modify, actAs, ...header } = spec;
  const actAction = ACT_ACTION[actAs];
  return {
    ...header,
    category: 'principal-access',
    requiredActions: [modify.action, actAction],
    find(ctx) {
      const targets: { arn: string; decision: RequiredDecision }[] = [];
      if (modify.on === 'policy') {
        for (const { arn, decision } of ctx.iamTargets(modify.action, 'policy')) {
          for (const principal of ctx.run.principalsWithPolicy(arn)) {
            targets.push({ arn: principal, decision: { label: `${modify.action} on ${arn}`, decision } });
          }
        }
      } else {
        const context = modify.attach
          ? { 'iam:PolicyARN': [administratorAccessArn(ctx.partition)] }
          : undefined;
        for (const { arn, decision } of ctx.iamTargets(modify.action, modify.on, context)) {
          targets.push({ arn, decision: { label: `${modify.action} on ${arn}`, decision } });
        }
      }
      const out: EscalationFinding[] = [];
      for (const { arn, decision } of targets) {
        if (arn === ctx.principal.id) continue;
        const act = actAsDecision(ctx, arn);
        if (!act) continue;
        const name = arn.slice(arn.lastIndexOf('/') + 1);
        out.push(
          adminThrough(
            ctx,
            arn,
            [decision, act],
            `can ${modify.verb} ${name} and ${ACT_VERB[actAs]} it`,
            modify.change,
          ),
        );
      }
      return out;
    },
  };

  function actAsDecision(ctx: EscalationContext, arn: string): RequiredDecision | undefined {
    if (actAs === 'assume') {
      const d = ctx.run.role(arn) ? ctx.canAssume(arn) : undefined;
      return d && { label: `sts:AssumeRole on ${arn}`, decision: d };
    }
    if (actAs === 'update-trust') {
      const role = ctx.run.role(arn);
      const d = role && !role.serviceLinked ? ctx.allowed(actAction, arn) : undefined;
      return d && { label: `${actAction} on ${arn}`, decision: d };
    }
    const user = ctx.run.user(arn);
    const d = user && user.accessKeys.length < MAX_ACCESS_KEYS ? ctx.allowed(actAction, arn) : undefined;
    return d && { label: `${actAction} on ${arn}`, decision: d };
  }
}

const ACT_VERB = {
  assume: 'assume',
  'update-trust': 'rewrite the trust policy to assume',
  'access-key': 'create an access key for',
} as const;

export interface ModifyItselfSpec extends Header {
  /** The IAM action, allowed on the principal itself. */
  action: string;
  /** The kind of principal the action applies to (PutRolePolicy to roles, PutUserPolicy to users). */
  principal: 'AwsUser' | 'AwsRole';
  /** The action removes or replaces a permissions boundary, so the principal must have one. */
  needsBoundary?: boolean;
  /** The condition key under which the request names AdministratorAccess (attaching it, making it the boundary). */
  administratorAccessKey?: 'iam:PolicyARN' | 'iam:PermissionsBoundary';
  /** What the principal can do to itself, for the reason: "can remove its own permissions boundary". */
  reason: string;
  change: PermissionChange;
}

/**
 * One IAM action on the principal itself (write or attach a policy, drop its boundary): self-
 * escalation when the change makes it administrator.
 */
export function modifyItselfTechnique(spec: ModifyItselfSpec): EscalationTechnique {
  const { action, principal, needsBoundary, administratorAccessKey, reason, change, ...header } = spec;
  return {
    ...header,
    category: 'self-escalation',
    requiredActions: [action],
    find(ctx) {
      if (ctx.principal.kind !== principal) return [];
      const self = ctx.run.user(ctx.principal.id) ?? ctx.run.role(ctx.principal.id);
      if (needsBoundary && !self?.permissionsBoundaryArn) return [];
      const context = administratorAccessKey
        ? { [administratorAccessKey]: [administratorAccessArn(ctx.partition)] }
        : undefined;
      const decision = ctx.allowed(action, ctx.principal.id, context);
      if (!decision) return [];
      return [selfAdmin(ctx, [{ label: `${action} on itself`, decision }], reason, change)];
    },
  };
}
