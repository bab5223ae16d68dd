import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { AwsResourceData, AwsResourceType } from '../../../model/aws/environment.js';
import { DEFAULT_PARTITION, partitionOfArn } from '../../../model/aws/partitions.js';
import type { NamedPolicy, Statement } from '../../../model/aws/policy.js';
import type { Evidence } from '../../../model/evidence.js';
import { nodeKind } from '../../../model/node-kinds.js';
import { ACCESS_LEVELS, type AccessLevel } from '../../../model/properties.js';
import {
  accountNamed,
  externalPrincipalId,
  PUBLIC_AWS,
  requestPrincipalForId,
  sessionNamed,
} from '../authorizer/principal-ids.js';
import { catalogAction, serviceActions } from '../catalog.js';
import { arnMatches, statementMatchesAction } from '../engine/index.js';
import type { ContextValues, Decision, StatementMatch } from '../engine/types.js';
import type { Authorizer, DerivedEdge, EdgeFamily, PrincipalInfo } from '../types.js';
import { AccessFacts, type AccessSummary } from './access-facts.js';
import { AccessProducts, type AccessSides, type Target } from './access-hubs.js';
import {
  bothDecisions,
  callerContext,
  DATA_RESOURCES,
  type DataResource,
  decideRequirement,
  mayGrantCallers,
  REQUIREMENT_ACTIONS,
  type RelatedAction,
  relatedDecision,
  relatedParts,
} from './data-resources.js';
import { conditionalProperties, evidenceRecord, type GrantPart, grantParts, isGranted } from './evidence.js';
import type { DeriveOptions } from './grant-hubs.js';
import { edge, externalNode, NodeSet, publicNode, scopeOf } from './nodes.js';
import { type IdentityReads, ResourceClasses } from './resource-classes.js';

/** The services whose actions CAN_ACCESS decides (what-if states skip it when they add none of them). */
export function dataServices(): string[] {
  return [...new Set(Object.values(DATA_RESOURCES).map((d) => d.service))];
}

interface DataAction {
  action: string;
  levels: AccessLevel[];
  /** Acts on parts of the resource (`arn:…:bucket/*`, `arn:…:api/*`) rather than on the resource itself. */
  onParts: boolean;
  /** An action of another service, on parts under an ARN of its own (`rds-db:connect` on a DB user). */
  related?: RelatedAction;
}

/**
 * CAN_ACCESS {levels, actions}: what a principal can do to a collected data resource (S3 bucket,
 * KMS key, Secrets Manager secret, DynamoDB table, RDS instance, SQS queue, SNS topic, ECR
 * repository, Parameter Store parameter, EFS file system, OpenSearch domain, API Gateway REST API,
 * Glacier vault; and who may call a Lambda function URL without authentication). For each
 * resource type the catalogue's actions on that type are listed once; a principal is checked only
 * for the actions its policies (or a resource policy naming it) may allow, and only on the
 * resources its Resource patterns name (ARN index) or whose policy names it; each candidate
 * request is decided by the engine with every layer applied. Actions on parts of a resource (S3
 * objects, API methods) are decided on `<arn>/*`, then on the prefixes the policies name, so
 * access to part of a resource counts. What differs per service is data (`data-resources.ts`).
 *
 * Principals outside the collected data that a resource policy names get edges too: an
 * ExternalPrincipal for another account or its principals (the resource side is checked; the
 * identity side is that account's business), the Public node for `*` (and a finding). An edge
 * whose every grant depends on undecided conditions is conditional; when only some actions are,
 * their evidence records carry the conditions.
 */
export const canAccess = {
  name: 'can-access',
  emits: ['CAN_ACCESS'],
  description:
    'A principal can act on a data resource (S3 bucket, KMS key, secret, DynamoDB table, RDS instance, SQS queue, SNS topic, ECR repository, SSM parameter, EFS file system, OpenSearch domain, API Gateway REST API with a resource policy, Glacier vault), with the access levels (list, read, write, permissions, tagging) of the allowed actions from the AWS action catalogue. Identity side, resource policy, boundary, SCPs and RCPs all apply; reading a SecureString parameter needs kms:Decrypt on its key too; rds-db:connect on a DB user of an instance with IAM database authentication is a login that reads and writes its data. Resource policies granting other accounts or anyone give ExternalPrincipal and Public edges, and a Lambda function URL with AuthType NONE whose policy admits anyone gives a Public edge to the function. Principals of one account with the same levels and actions on the same resources share a Grant hub (grant:aws:<account>:access:<digest>) whatever statements grant them: one edge into it per principal, carrying what each of its granting statements allows (and on which objects, under which conditions), and one edge out of it per resource, carrying the levels, the actions and the resource. An edge’s evidence is the same in both shapes: the statements’ records, then the resource’s.',
  /**
   * `cache` may be shared by derivations over one environment (see AccessDerivationCache); with
   * `from`, only the edges of the collected principal `from` (what-if states), no outsiders' edges;
   * `only` narrows them further (what a state's change adds, `OnlyPart`).
   */
  derive(
    authorizer: Authorizer,
    options: DeriveOptions & {
      cache?: AccessDerivationCache;
      from?: string;
      only?: OnlyPart;
      /** false: every candidate resource decided on its own (what the tests compare the classes with). */
      classes?: boolean;
    } = {},
  ) {
    const cache = options.cache ?? new AccessDerivationCache();
    const { classes } = cache;
    const nodes = new NodeSet();
    const edges: DerivedEdge[] = [];
    const findings: AnalysisFinding[] = [];
    const products = new AccessProducts(options.grantHubs === true);
    // Published for later families only once every type is derived (a failed family leaves none).
    const held = options.facts && options.from === undefined ? new AccessFacts() : undefined;
    for (const [type, data] of Object.entries(DATA_RESOURCES) as [AwsResourceType, DataResource][]) {
      if (!data || !nodeKind(data.kind)) continue;
      const decided = data.decided;
      const resources = decided ? authorizer.resources(type).filter(decided) : authorizer.resources(type);
      if (resources.length === 0) continue;
      const { actions, signatures } = cache.of(type, data);
      const interner = new Interner();
      const requests = new Requests(authorizer, data);
      // One principal's resources of one class (resource-classes.ts) are decided once, but not
      // over an authorizer that shares no decision across resources (a wrapper that decides what
      // its changed decisions share answers `resourceDecisionKey`; forwarding.ts). A what-if
      // state's derivation (`from`, `only`) is classed too: the key reads the principal's policy
      // set as the authorizer gives it (the changed one, WhatIfView), and `only` narrows the
      // candidates and action classes, within which a class's resources are still decided alike.
      const classed =
        options.classes !== false && authorizer.resourceDecisionKey !== undefined && classable(data);
      for (const principal of data.publicOnly ? [] : authorizer.principals()) {
        if (options.from !== undefined && principal.id !== options.from) continue;
        const grants = new Grants(interner);
        const shared = new SharedDecisions(authorizer, principal.id);
        const groups = signatures.actionClasses(authorizer, principal.id, actionsOf(options.only, data));
        /** Every request of one action class on one resource, into its grant. */
        const decideOn = (resource: AwsResourceData, index: number) => {
          const group = groups[index] as DataAction[];
          for (const same of signatures.byResourceSide(authorizer, principal, resource, group))
            for (const part of requests.split(resource, same)) {
              const [representative] = part;
              if (!representative) continue;
              grants.add(
                resource,
                part,
                requests.decide(shared, principal.accountId, representative, resource),
                index,
              );
            }
        };
        // Each candidate's action classes, and its place among each one's candidates.
        const inGroups = new Map<AwsResourceData, { indexes: number[]; places: number[] }>();
        groups.forEach((group, index) => {
          if (!group[0]) return;
          let place = 0;
          for (const resource of candidates(authorizer, principal.id, group, type))
            if (
              (!decided || decided(resource)) &&
              (!options.only?.resources || options.only.resources.has(resource.arn)) &&
              !options.only?.without?.has(resource.arn)
            ) {
              if (!classed) decideOn(resource, index);
              else {
                const found = inGroups.get(resource);
                if (found) {
                  found.indexes.push(index);
                  found.places.push(place);
                } else inGroups.set(resource, { indexes: [index], places: [place] });
              }
              place++;
            }
        });
        if (classed) {
          const identity = signatures.identityReads(authorizer, principal.id, classes);
          const naming = new Map<Statement, string>();
          const byClass = new Map<string, AwsResourceData[]>();
          for (const [resource, { indexes }] of inGroups) {
            const key = identity
              ? `${signatures.classKey(authorizer, principal, resource, classes, identity, naming)}\u0003${indexes.join(',')}`
              : resource.arn;
            const members = byClass.get(key);
            if (members) members.push(resource);
            else byClass.set(key, [resource]);
          }
          for (const [first, ...others] of byClass.values()) {
            if (!first) continue;
            const indexes = inGroups.get(first)?.indexes ?? [];
            const watch = others.length > 0 ? shared.watch() : undefined;
            for (const index of indexes) decideOn(first, index);
            shared.unwatch();
            const grant = grants.byResource.get(first.arn);
            if (watch?.alike && (!grant || grant.standsForOthers(authorizer, principal.id))) {
              if (grant) for (const resource of others) grants.share(resource, grant);
              continue;
            }
            for (const resource of others)
              for (const index of inGroups.get(resource)?.indexes ?? []) decideOn(resource, index);
          }
        }
        const granted: [AwsResourceData, Grant][] = [];
        for (const [arn, grant] of grants.byResource)
          granted.push([grants.others.get(arn) ?? grant.resource, grant]);
        // In the order deciding action class by action class grants them (pairs, hubs' targets).
        if (classed) {
          const order = ([resource, grant]: [AwsResourceData, Grant]) => {
            const found = inGroups.get(resource);
            const at = found?.indexes.indexOf(grant.firstGroup) ?? -1;
            return grant.firstGroup * 1e9 + (found?.places[at] ?? 0);
          };
          granted.sort((a, b) => order(a) - order(b));
        }
        const pairs = granted.map(([resource, grant]) => grant.target(resource));
        if (held) held.record(principal.id, summaries(pairs));
        products.add(principal, data.kind, pairs);
      }
      for (const resource of options.from === undefined ? resources : []) {
        const outside = outsidePrincipals(authorizer, resource).filter(
          (id) => !data.publicOnly || id === PUBLIC_AWS,
        );
        for (const id of outside) {
          const isPublic = id === PUBLIC_AWS;
          const grants = new Grants(interner);
          const shared = new SharedDecisions(authorizer, id);
          const account = requestPrincipalForId(id)?.accountId;
          for (const action of actions)
            if (namesAction(resource, action.action)) {
              const result = requests.decide(shared, account, action, resource);
              // Anyone outside the resource's account cannot meet a condition naming that account.
              if (isPublic && onlyForOwnAccount(result.decision, resource.accountId)) continue;
              grants.add(resource, [action], result);
            }
          const grant = grants.byResource.get(resource.arn);
          if (!grant || !requests.complete(resource, grant.actions)) continue;
          nodes.add(isPublic ? publicNode() : externalNode(id));
          const e = grant.edge(
            id,
            isPublic ? 'Public' : 'ExternalPrincipal',
            resource.arn,
            data.kind,
            scopeOf(resource.accountId),
          );
          edges.push(e);
          if (isPublic) findings.push(publicFinding(data, resource, grant, e));
        }
      }
    }
    if (held && options.facts)
      for (const principal of authorizer.principals())
        options.facts.access.set(principal.id, held.of(principal.id));
    for (const node of products.output(edges)) nodes.add(node);
    return { edges, nodes: nodes.list(), findings };
  },
} satisfies EdgeFamily;

/**
 * Part of one principal's derivation (`from`): the actions `actions` accepts (and every action of a
 * type whose grants need a second request it accepts: kms:Decrypt for a SecureString's value), or
 * only the resources in `resources` and not in `without`. A resource's edge depends only on that resource's decisions,
 * and an action class's decision on the statements matching its actions (`Signatures`), so the
 * part is the whole derivation's edges restricted to those actions or resources.
 */
export interface OnlyPart {
  actions?: (action: string) => boolean;
  resources?: ReadonlySet<string>;
  /** Resources left out (a state's resources that cannot gain a level). */
  without?: ReadonlySet<string>;
}

function actionsOf(
  only: OnlyPart | undefined,
  data: DataResource,
): ((action: string) => boolean) | undefined {
  const actions = only?.actions;
  if (!actions) return undefined;
  // A grant of an action is decided with its requirement: a change allowing the requirement may widen any.
  if (data.requires && REQUIREMENT_ACTIONS.some(actions)) return undefined;
  return actions;
}

/**
 * Types whose requests depend on the resource only as resource-classes.ts reads it: no request
 * context, second request or related ARN of their own.
 */
function classable(data: DataResource): boolean {
  return !data.context && !data.requires && !data.related && !data.allOf && !data.publicOnly;
}

/** A principal's decided pairs, as later families read them (`DerivedFacts.access`). */
function* summaries(pairs: Target[]): Generator<{ arn: string; summary: AccessSummary }> {
  // The interned summary itself (`Grant.sides`): one object per distinct list, not one per pair.
  for (const { arn, sides } of pairs) yield { arn, summary: sides.properties as unknown as AccessSummary };
}

/**
 * What CAN_ACCESS derivations over one environment share: per resource type, its data actions and
 * their signatures (statements matched, resource sides). Escalation's what-if states derive the
 * edges of one principal in many changed states of the same environment; one cache for all of them
 * keeps each state from working out every resource's side again. Only the identity side changes
 * between states, and it is never cached here.
 */
export class AccessDerivationCache {
  /** Resource shapes and pattern matches (resource-classes.ts): the same for every principal and authorizer of one environment. */
  readonly classes = new ResourceClasses();
  private readonly byType = new Map<AwsResourceType, { actions: DataAction[]; signatures: Signatures }>();

  of(type: AwsResourceType, data: DataResource): { actions: DataAction[]; signatures: Signatures } {
    let found = this.byType.get(type);
    if (!found) {
      const actions = dataActions(data);
      found = { actions, signatures: new Signatures(actions) };
      this.byType.set(type, found);
    }
    return found;
  }
}

/**
 * S3's BlockPublicPolicy rejects new public policies but leaves the one in place in force; only
 * RestrictPublicBuckets (which removed this edge had it been on) blocks it.
 */
function blockPublicPolicyNote(resource: AwsResourceData): string {
  return resource.type === 's3-bucket' && resource.attributes?.blockPublicPolicy === true
    ? '; BlockPublicPolicy is on but only rejects new public policies, RestrictPublicBuckets is off'
    : '';
}

function publicFinding(
  data: DataResource,
  resource: AwsResourceData,
  grant: Grant,
  e: DerivedEdge,
): AnalysisFinding {
  const actions = [...grant.actions];
  const through = data.publicThrough ?? 'its resource policy lets';
  const conditional = e.properties.conditional ? ' under conditions that cannot be checked offline' : '';
  return {
    rule: 'aws-resource-public',
    severity: e.properties.conditional ? 'medium' : 'high',
    subject: resource.arn,
    message: `${resource.name}: ${through} anyone ${grant.levelList().join('/')} (${actions.slice(0, 5).join(', ')}${actions.length > 5 ? ', …' : ''})${conditional}${blockPublicPolicyNote(resource)}`,
    evidence: e.evidence,
  };
}

/**
 * A grant to `*` that holds only when `aws:PrincipalAccount` is the resource's own account is no
 * grant to anyone outside that account, whom the Public node stands for (its own principals are
 * decided one by one).
 */
function onlyForOwnAccount(decision: Decision, accountId: string): boolean {
  if (decision.outcome !== 'conditional' || decision.allowedBy.length === 0) return false;
  return decision.allowedBy.every((match) =>
    match.conditions.some(
      (c) =>
        c.key.toLowerCase() === 'aws:principalaccount' &&
        /^String(Equals|Like)$/.test(c.operator) &&
        c.values.length > 0 &&
        c.values.every((v) => v === accountId),
    ),
  );
}

/** The catalogue's actions on a resource type (or the type's own list), with their access level. */
function dataActions(data: DataResource): DataAction[] {
  const wanted = new Set(data.resourceTypes.map((t) => t.toLowerCase()));
  const only = data.actions ? new Set(data.actions.map((a) => a.toLowerCase())) : undefined;
  const out: DataAction[] = [];
  for (const name of serviceActions(data.service)) {
    const entry = catalogAction(name);
    if (!entry || (only && !only.has(entry.action.toLowerCase()))) continue;
    const types = entry.resourceTypes.map((t) => t.toLowerCase()).filter((t) => wanted.has(t));
    if (types.length === 0) continue;
    out.push({
      action: entry.action,
      levels: [entry.accessLevel],
      onParts: data.onParts?.(types, entry.action) ?? false,
    });
  }
  for (const related of data.related ?? [])
    if (catalogAction(related.action))
      out.push({ action: related.action, levels: related.levels, onParts: true, related });
  return out;
}

/**
 * How one type's requests are decided beyond the resource policy: the context its service sets,
 * a second request an action needs (a SecureString's kms:Decrypt), and which granted actions make
 * a grant at all (a public function URL needs every invoke permission its creation date requires).
 */
class Requests {
  /** Splits of an action class by whether its actions need the second request, per class. */
  private readonly splits = new WeakMap<DataAction[], Map<string, DataAction[][]>>();

  constructor(
    private readonly authorizer: Authorizer,
    private readonly data: DataResource,
  ) {}

  split(resource: AwsResourceData, group: DataAction[]): DataAction[][] {
    const requires = this.data.requires;
    if (!requires) return [group];
    let byResource = this.splits.get(group);
    if (!byResource) {
      byResource = new Map();
      this.splits.set(group, byResource);
    }
    const needs = group.map((a) => requires(resource, a.action) !== undefined);
    const key = needs.map((n) => (n ? '1' : '0')).join('');
    let found = byResource.get(key);
    if (!found) {
      found = [group.filter((_, i) => needs[i]), group.filter((_, i) => !needs[i])].filter(
        (g) => g.length > 0,
      );
      byResource.set(key, found);
    }
    return found;
  }

  decide(
    shared: SharedDecisions,
    principalAccount: string | undefined,
    action: DataAction,
    resource: AwsResourceData,
  ): { decision: Decision; arn: string } {
    const own = this.data.context?.(resource);
    const caller = callerContext(resource);
    const context = own || caller ? { ...caller, ...own } : undefined;
    const decided = decide(shared, action, resource, context);
    const result = action.related
      ? { decision: relatedDecision(action.related, resource, decided.decision), arn: decided.arn }
      : decided;
    const requirement = this.data.requires?.(resource, action.action);
    if (!requirement || !isGranted(result.decision)) return result;
    const second = decideRequirement(
      this.authorizer,
      shared.principalId,
      principalAccount,
      requirement,
      resource,
    );
    return { decision: bothDecisions(result.decision, second), arn: result.arn };
  }

  complete(resource: AwsResourceData, granted: Set<string>): boolean {
    const needed = this.data.allOf?.(resource);
    if (!needed) return true;
    const names = new Set([...granted].map((a) => a.toLowerCase()));
    return needed.every((a) => names.has(a.toLowerCase()));
  }
}

/**
 * Which statements of the policies AWS consults match an action. Two actions matched by the same
 * statements in every policy get the same decision for the same principal and resource (the engine
 * uses the action only to match statements), so one evaluation answers for all of them: this keeps
 * a principal allowed `s3:*` from costing one evaluation per S3 action and bucket.
 */
class Signatures {
  /** By the resource's ARN and whether the principal is of its account (`resourceSideKey`). */
  private readonly resourceSide = new Map<string, ResourceSide>();
  constructor(private readonly actions: DataAction[]) {}

  private readonly groups = new Map<string, DataAction[]>();
  private readonly splits = new WeakMap<DataAction[], Map<string, DataAction[][]>>();
  /** Per statement, the indexes of the actions it matches (statements of managed policies and SCPs recur). */
  private readonly matched = new WeakMap<Statement, number[]>();

  /**
   * The principal's candidate actions (its policies, or a resource policy naming it, may allow
   * them), grouped by identity signature: the statements of its identity policies, permissions
   * boundary, session policies and SCPs that match each action, computed statement by statement.
   */
  actionClasses(
    authorizer: Authorizer,
    principalId: string,
    only?: (action: string) => boolean,
  ): DataAction[][] {
    const [first] = this.actions;
    if (!first) return [];
    const set = authorizer.policySet?.(principalId, first.action, '*');
    const signatures = set
      ? new Array<string>(this.actions.length).fill('')
      : this.actions.map((a) => a.action);
    if (set) {
      let ordinal = 0;
      for (const policy of [
        ...set.identityPolicies,
        ...(set.permissionsBoundary ? [set.permissionsBoundary] : []),
        ...(set.sessionPolicies ?? []),
        ...(set.serviceControlPolicies ?? []).flat(),
      ])
        for (const statement of policy.document.Statement) {
          for (const i of this.matchedActions(statement)) signatures[i] += `${ordinal},`;
          ordinal++;
        }
    }
    const classes = new Map<string, number[]>();
    this.actions.forEach((action, i) => {
      if (only && !only(action.action)) return;
      if (!authorizer.mayAllow(principalId, action.action)) return;
      // Related actions act on ARNs of their own: never decided for another class's representative.
      const on = action.related ? action.action : action.onParts ? 'parts' : 'resource';
      const key = `${on}\u0000${signatures[i]}`;
      const list = classes.get(key);
      if (list) list.push(i);
      else classes.set(key, [i]);
    });
    return [...classes.values()].map((indexes) => this.interned(indexes));
  }

  /** One array per distinct class, whichever principal it comes from. */
  private interned(indexes: number[]): DataAction[] {
    const key = indexes.join(',');
    let group = this.groups.get(key);
    if (!group) {
      group = indexes.map((i) => this.actions[i] as DataAction);
      this.groups.set(key, group);
    }
    return group;
  }

  private matchedActions(statement: Statement): number[] {
    let found = this.matched.get(statement);
    if (!found) {
      found = [];
      for (let i = 0; i < this.actions.length; i++)
        if (statementMatchesAction(statement, (this.actions[i] as DataAction).action)) found.push(i);
      this.matched.set(statement, found);
    }
    return found;
  }

  /**
   * Resource side, per resource once for principals of its account and once for the others: the
   * resource policy and RCPs. `uniform` when every action has the same signature (no resource
   * policy, no RCP distinguishing them).
   */
  private resourceSignatures(
    authorizer: Authorizer,
    principal: PrincipalInfo,
    resource: AwsResourceData,
  ): ResourceSide {
    const key = resourceSideKey(authorizer, principal, resource);
    let entry = this.resourceSide.get(key);
    if (!entry) {
      const byAction = new Map<string, string>();
      const read = new Set<NamedPolicy>();
      for (const action of this.actions) {
        const set = authorizer.policySet?.(principal.id, action.action, resource.arn);
        const policies = set
          ? [
              ...(set.resourcePolicy ? [set.resourcePolicy] : []),
              ...(set.resourceControlPolicies ?? []).flat(),
            ]
          : undefined;
        for (const policy of policies ?? []) read.add(policy);
        byAction.set(action.action, policies ? matching(policies, action.action) : action.action);
      }
      entry = { byAction, uniform: new Set(byAction.values()).size <= 1, policies: [...read] };
      this.resourceSide.set(key, entry);
    }
    return entry;
  }

  /**
   * The Resource/NotResource patterns of the principal's identity side that the type's actions
   * may read (resource-classes.ts); undefined when none can be known (no policy set, a variable).
   */
  identityReads(
    authorizer: Authorizer,
    principalId: string,
    classes: ResourceClasses,
  ): IdentityReads | undefined {
    const [first] = this.actions;
    const set = first ? authorizer.policySet?.(principalId, first.action, '*') : undefined;
    return set ? classes.identity(set, (statement) => this.matchedActions(statement).length > 0) : undefined;
  }

  /** The resource's class for the principal (resource-classes.ts), given its identity patterns. */
  classKey(
    authorizer: Authorizer,
    principal: PrincipalInfo,
    resource: AwsResourceData,
    classes: ResourceClasses,
    identity: IdentityReads,
    naming: Map<Statement, string>,
  ): string {
    const side = principal.accountId === authorizer.accountOf(resource.arn) ? 'inside' : 'outside';
    const { policies } = this.resourceSignatures(authorizer, principal, resource);
    return classes.key(resource, side, policies, identity, principal.request, naming);
  }

  /** Splits one identity class by resource-side signature for one resource. */
  byResourceSide(
    authorizer: Authorizer,
    principal: PrincipalInfo,
    resource: AwsResourceData,
    group: DataAction[],
  ): DataAction[][] {
    const key = resourceSideKey(authorizer, principal, resource);
    const { byAction, uniform } = this.resourceSignatures(authorizer, principal, resource);
    if (uniform) return [group];
    // Classes recur across principals (interned by actionClasses): split each once per resource.
    let splits = this.splits.get(group);
    if (!splits) {
      splits = new Map();
      this.splits.set(group, splits);
    }
    let split = splits.get(key);
    if (!split) {
      split = splitBy(group, byAction);
      splits.set(key, split);
    }
    return split;
  }
}

/** A resource's side for principals of its account or the others (`resourceSideKey`). */
interface ResourceSide {
  /** The resource-side statements matching each action. */
  byAction: Map<string, string>;
  uniform: boolean;
  /** The resource policy and RCPs read on it, for any action. */
  policies: NamedPolicy[];
}

/**
 * The resource side differs only between principals of the resource's own account and the others
 * (a bucket's policy under Block Public Access, see s3-block-public-access.ts); RCPs are the
 * resource account's.
 */
function resourceSideKey(
  authorizer: Authorizer,
  principal: PrincipalInfo,
  resource: AwsResourceData,
): string {
  const inside = principal.accountId === authorizer.accountOf(resource.arn);
  return `${inside ? 'inside' : 'outside'}\u0000${resource.arn}`;
}

function splitBy(group: DataAction[], byAction: Map<string, string>): DataAction[][] {
  const out = new Map<string, DataAction[]>();
  for (const action of group) {
    const key = byAction.get(action.action) ?? action.action;
    const list = out.get(key);
    if (list) list.push(action);
    else out.set(key, [action]);
  }
  return [...out.values()];
}

function matching(policies: NamedPolicy[], action: string): string {
  const ids: string[] = [];
  for (const policy of policies)
    for (const statement of policy.document.Statement)
      if (statementMatchesAction(statement, action)) ids.push(`${policy.id}#${statement.index}`);
  return ids.join('|');
}

/**
 * Resources of the type the class's Resource patterns name (the same for every action of the
 * class: the same statements give them), or whose policy names the principal for one of its actions.
 */
function candidates(
  authorizer: Authorizer,
  principalId: string,
  group: DataAction[],
  type: AwsResourceType,
): AwsResourceData[] {
  const out = new Map<string, AwsResourceData>();
  const [first] = group;
  if (!first) return [];
  const base = first.related?.base;
  for (const pattern of authorizer.resourcePatterns(principalId, first.action)) {
    const effective = first.onParts ? wholePattern(pattern) : pattern;
    const found = base
      ? authorizer.resources(type).filter((r) => {
          const arn = base(r);
          return arn !== undefined && arnMatches(effective, arn);
        })
      : authorizer.resourcesMatching
        ? authorizer.resourcesMatching(effective, type)
        : authorizer.resources(type).filter((r) => arnMatches(effective, r.arn));
    for (const r of found) out.set(r.arn, r);
  }
  // A policy naming only the principal's account grants nothing without the identity side, whose
  // Resource patterns were just enumerated: only policies naming the principal itself (or anyone) add.
  for (const action of group) {
    const naming = authorizer.resourcesNaming
      ? authorizer.resourcesNaming(principalId, action.action, { byAccount: false })
      : authorizer.resources(type).filter((r) => r.policy);
    for (const r of naming) if (r.type === type && mayGrantCallers(r)) out.set(r.arn, r);
  }
  return [...out.values()];
}

/**
 * The resource part of a pattern naming parts of it: `arn:aws:s3:::logs-*` for
 * `arn:aws:s3:::logs-*\/2024/*`, `arn:aws:execute-api:r:a:api` for `arn:aws:execute-api:r:a:api/*\/GET/`.
 */
function wholePattern(pattern: string): string {
  const parts = pattern.split(':');
  if (pattern === '*' || parts.length < 6) return pattern;
  const resource = parts.slice(5).join(':');
  const slash = resource.indexOf('/');
  return slash < 0 ? pattern : `${parts.slice(0, 5).join(':')}:${resource.slice(0, slash)}`;
}

/**
 * The decision for one action on one resource. Object actions are decided on `<bucket>/*` first;
 * if that is not allowed, on one object under each narrower prefix the principal's or the
 * bucket's policy names (`<bucket>/reports/*` → `<bucket>/reports/x`).
 */
function decide(
  shared: SharedDecisions,
  action: DataAction,
  resource: AwsResourceData,
  context?: ContextValues,
): { decision: Decision; arn: string } {
  if (!action.onParts) {
    return { decision: shared.evaluate(action.action, resource.arn, context), arn: resource.arn };
  }
  const base = action.related ? action.related.base(resource) : resource.arn;
  if (base === undefined) return { decision: NOT_DECIDED, arn: resource.arn };
  const all = `${base}/*`;
  const first = shared.evaluate(action.action, all, context);
  if (isGranted(first)) return { decision: first, arn: all };
  const prefixes = new Set<string>();
  const policyPatterns = (resource.policy?.document.Statement ?? [])
    .filter((s) => s.Effect === 'Allow' && statementMatchesAction(s, action.action))
    .flatMap((s) => s.Resource ?? []);
  for (const pattern of [...shared.resourcePatterns(action.action), ...policyPatterns]) {
    if (pattern.startsWith(`${base}/`)) prefixes.add(pattern.replace(/[*?]/g, 'x'));
    // A related action's pattern names its resource by a wildcard as often as not
    // (`dbuser:*/app`): the part it names (the DB user, wildcards kept) under this resource's base.
    else if (action.related && arnMatches(wholePattern(pattern), base))
      prefixes.add(`${base}/${pattern.slice(wholePattern(pattern).length + 1)}`);
  }
  for (const arn of prefixes) {
    const decision = shared.evaluate(action.action, arn, context);
    if (isGranted(decision)) return { decision, arn };
  }
  return { decision: first, arn: all };
}

/** A related action on a resource whose base ARN was not collected: not decided, so nothing granted. */
const NOT_DECIDED: Decision = {
  outcome: 'implicit-deny',
  allowedBy: [],
  deniedBy: [],
  conditions: [],
  reason: 'the resource id the action names was not collected',
  warnings: [],
};

/**
 * One principal's decisions, shared across resources whose requests the authorizer says are
 * decided alike (`decisionKey`: same account, same matching Resource entries, same tags when they
 * matter, no policy of their own): a principal allowed `s3:GetObject` on `arn:aws:s3:::team-*`
 * costs one evaluation per account and pattern class, not one per bucket.
 */
class SharedDecisions {
  /** By action, then by decision key. */
  private readonly decisions = new Map<string, Map<string, Decision>>();
  private readonly patterns = new Map<string, string[]>();

  constructor(
    private readonly authorizer: Authorizer,
    readonly principalId: string,
  ) {}

  /**
   * Requests on resources whose own policy takes part, or with a request context, share by
   * `resourceDecisionKey`: a principal allowed `s3:*` on `*` costs one evaluation per action class
   * and kind of bucket policy (as it reads for this principal and request), not one per bucket.
   */
  evaluate(action: string, arn: string, context?: ContextValues): Decision {
    const decision = this.evaluateShared(action, arn, context);
    // Warnings and a later start are reported per request: such a request is asked of every resource.
    if (this.watched && (decision.warnings.length > 0 || decision.notBefore !== undefined))
      this.watched.alike = false;
    return decision;
  }

  private watched: { alike: boolean } | undefined;

  /**
   * Notes whether every decision from now on may stand for other resources' requests as far as the
   * reports go (no warning, no later start), until `unwatch`.
   */
  watch(): { alike: boolean } {
    this.watched = { alike: true };
    return this.watched;
  }

  unwatch(): void {
    this.watched = undefined;
  }

  private evaluateShared(action: string, arn: string, context?: ContextValues): Decision {
    const key = context ? undefined : this.authorizer.decisionKey?.(this.principalId, action, arn);
    if (key === undefined) return this.acrossResources(action, arn, context);
    let byKey = this.decisions.get(action);
    if (!byKey) {
      byKey = new Map();
      this.decisions.set(action, byKey);
    }
    let decision = byKey.get(key);
    if (!decision) {
      decision = this.authorizer.evaluate(this.principalId, action, arn);
      byKey.set(key, decision);
    }
    return decision;
  }

  /** By action, then by resource decision key: decisions that stand for every resource of their key. */
  private readonly acrossDecisions = new Map<string, Map<string, Decision>>();

  private acrossResources(action: string, arn: string, context: ContextValues | undefined): Decision {
    const { authorizer, principalId } = this;
    const key = authorizer.resourceDecisionKey?.(principalId, action, arn, context);
    if (key === undefined) return authorizer.evaluate(principalId, action, arn, context);
    let byKey = this.acrossDecisions.get(action);
    if (!byKey) {
      byKey = new Map();
      this.acrossDecisions.set(action, byKey);
    }
    const shared = byKey.get(key);
    if (shared) return shared;
    const decision = authorizer.evaluate(principalId, action, arn, context);
    if (authorizer.sharesResourceDecision?.(principalId, action, arn, decision)) byKey.set(key, decision);
    return decision;
  }

  resourcePatterns(action: string): string[] {
    let found = this.patterns.get(action);
    if (!found) {
      found = this.authorizer.resourcePatterns(this.principalId, action);
      this.patterns.set(action, found);
    }
    return found;
  }
}

/** Principals outside the collected data that the resource policy names: ExternalPrincipal ids and Public. */
function outsidePrincipals(authorizer: Authorizer, resource: AwsResourceData): string[] {
  const out = new Set<string>();
  for (const statement of resource.policy?.document.Statement ?? []) {
    if (statement.Effect !== 'Allow') continue;
    if (statement.NotPrincipal || statement.Principal === '*') {
      out.add(PUBLIC_AWS);
      continue;
    }
    for (const value of statement.Principal?.AWS ?? []) {
      if (value === '*') out.add(PUBLIC_AWS);
      else if (!isCollected(authorizer, value))
        out.add(externalPrincipalId(value, partitionOfArn(resource.arn) ?? DEFAULT_PARTITION));
    }
  }
  return [...out];
}

function isCollected(authorizer: Authorizer, value: string): boolean {
  if (authorizer.principal(value)) return true;
  const account = accountNamed(value);
  if (account) return authorizer.account(account) !== undefined;
  // A session of a collected role is that role's business, already covered by the role's edges.
  const session = sessionNamed(value);
  return session !== undefined && authorizer.account(session.accountId) !== undefined;
}

function namesAction(resource: AwsResourceData, action: string): boolean {
  return (resource.policy?.document.Statement ?? []).some(
    (s: Statement) => s.Effect === 'Allow' && statementMatchesAction(s, action),
  );
}

/**
 * One array per distinct list of strings: hundreds of thousands of edges carry the same few
 * action and level lists, which need not be stored once per edge. The lists are never mutated.
 */
class Interner {
  private readonly lists = new Map<string, string[]>();
  private readonly groupNames = new WeakMap<DataAction[], string[]>();
  private readonly groupIds = new WeakMap<DataAction[], number>();
  private nextGroupId = 0;
  private readonly summaries = new Map<string, { levels: AccessLevel[]; actions: string[] }>();
  private readonly statementNames = new WeakMap<StatementMatch, string>();
  private readonly actionTexts = new WeakMap<string[], string>();
  private readonly grantingTexts = new WeakMap<string[], WeakMap<StatementMatch, string>>();
  private readonly conditionTexts = new WeakMap<GrantPart, Evidence>();

  /**
   * Per pair of (interned) lists, their union: every principal's grants on every resource unite the
   * same few lists, and a union worked out again costs a Set and the key of a long list each time.
   */
  private readonly unions = new WeakMap<string[], WeakMap<string[], string[]>>();

  /** The actions of `a`, then those of `b` it lacks, in order: `a` itself when nothing is new. */
  union(a: string[], b: string[]): string[] {
    if (a === b) return a;
    let withA = this.unions.get(a);
    if (!withA) {
      withA = new WeakMap();
      this.unions.set(a, withA);
    }
    let found = withA.get(b);
    if (!found) {
      const known = new Set(a);
      const added = b.filter((name) => !known.has(name));
      found = added.length === 0 ? a : this.list([...a, ...added]);
      withA.set(b, found);
    }
    return found;
  }

  /** The action names of a group (one array per group). */
  names(group: DataAction[]): string[] {
    let names = this.groupNames.get(group);
    if (!names) {
      names = group.map((a) => a.action);
      this.groupNames.set(group, names);
    }
    return names;
  }

  /** Levels and sorted action names of the groups granted: one pair of arrays per distinct list. */
  summary(groups: DataAction[][]): { levels: AccessLevel[]; actions: string[] } {
    let key = '';
    for (const group of groups) {
      let id = this.groupIds.get(group);
      if (id === undefined) {
        id = this.nextGroupId++;
        this.groupIds.set(group, id);
      }
      key += `${id},`;
    }
    let found = this.summaries.get(key);
    if (!found) {
      const actions = new Set<string>();
      const levels = new Set<AccessLevel>();
      for (const group of groups)
        for (const action of group) {
          actions.add(action.action);
          for (const level of action.levels) levels.add(level);
        }
      found = {
        levels: this.list(ACCESS_LEVELS.filter((l) => levels.has(l))),
        actions: this.list([...actions].sort()),
      };
      this.summaries.set(key, found);
    }
    return found;
  }

  /**
   * `<policy> (statement <sid>) allows <first actions> on `: one string per statement and action
   * list, shared by every edge the statement grants alike (each reason adds only the resource).
   */
  granting(match: StatementMatch, actions: string[]): string {
    let byMatch = this.grantingTexts.get(actions);
    if (!byMatch) {
      byMatch = new WeakMap();
      this.grantingTexts.set(actions, byMatch);
    }
    let text = byMatch.get(match);
    if (text === undefined) {
      text = this.grantingText(match, actions);
      byMatch.set(match, text);
    }
    return text;
  }

  /** `<policy> (statement <sid>) allows <first actions>`: a member record's reason (see access-hubs.ts). */
  allowing(match: StatementMatch, actions: string[]): string {
    const text = this.granting(match, actions);
    return text.slice(0, -' on '.length);
  }

  private readonly memberRecords = new Map<string, Evidence>();

  /**
   * What a granting statement allows, for the member side (`<policy> (statement <sid>) allows
   * <first actions>`, and the objects when it allows them only: `on objects reports/x`), with its
   * conditions: the same record for every resource it allows alike.
   */
  memberRecord(part: GrantPart, actions: string[], objects: string[], whole: boolean): Evidence {
    const key = `${this.partId(part)}:${this.listId(actions)}:${whole ? '=' : ''}${objects.join('\u0000')}`;
    let found = this.memberRecords.get(key);
    if (!found) {
      const list = objects.join(', ');
      const scope =
        objects.length === 0 ? '' : whole ? ` on it and its objects ${list}` : ` on objects ${list}`;
      found = this.record(part, `${this.allowing(part.match, actions)}${scope}`);
      this.memberRecords.set(key, found);
    }
    return found;
  }

  private readonly contentIds = new Map<string, number>();
  private readonly partIds = new WeakMap<GrantPart, number>();
  private readonly listIds = new WeakMap<readonly string[], number>();

  /**
   * A number per distinct evidence a part gives (policy, its name and kind, statement, conditions
   * and their text): parts of different principals' decisions with one number give one record.
   */
  partId(part: GrantPart): number {
    let id = this.partIds.get(part);
    if (id === undefined) {
      const { match } = part;
      id = this.contentId(
        `p\u0000${JSON.stringify(evidenceRecord(part, ''))}\u0000${match.policyName}\u0000${match.policyKind}`,
      );
      this.partIds.set(part, id);
    }
    return id;
  }

  /** A number per distinct list of strings. */
  listId(list: readonly string[]): number {
    let id = this.listIds.get(list);
    if (id === undefined) {
      id = this.contentId(`l\u0000${list.join('\u0000')}`);
      this.listIds.set(list, id);
    }
    return id;
  }

  private contentId(text: string): number {
    let id = this.contentIds.get(text);
    if (id === undefined) {
      id = this.contentIds.size;
      this.contentIds.set(text, id);
    }
    return id;
  }

  private grantingText(match: StatementMatch, actions: string[]): string {
    let where = this.statementNames.get(match);
    if (where === undefined) {
      where = `${match.policyName} (statement ${match.statement})`;
      this.statementNames.set(match, where);
    }
    let list = this.actionTexts.get(actions);
    if (list === undefined) {
      list =
        actions.length > 4
          ? `${actions.slice(0, 4).join(', ')} and ${actions.length - 4} more`
          : actions.join(', ');
      this.actionTexts.set(actions, list);
    }
    return `${where} allows ${list} on `;
  }

  /** `evidenceRecord`, with a conditional part's condition text and keys worked out once. */
  record(part: GrantPart, reason: string): Evidence {
    if (part.conditions.length === 0) return evidenceRecord(part, reason);
    let template = this.conditionTexts.get(part);
    if (!template) {
      template = evidenceRecord(part, '');
      this.conditionTexts.set(part, template);
    }
    return { ...template, reason: `${reason}${template.reason}` };
  }
  private readonly resourceRecords = new WeakMap<AwsResourceData, Map<string, Evidence[]>>();

  /**
   * The target side's records: the one naming the resource (`on <name>`, the DB users of an
   * `rds-db:connect`), one list per resource and content: every principal's pair with the resource
   * shares it (records and lists are never mutated). A conditional edge's every record names its keys: an edge holds outright when one
   * record does (model/validate.ts), so the resource's record is conditional with it.
   */
  resourceRecord(
    resource: AwsResourceData,
    source: Evidence['source'],
    related: string,
    conditions: string[] | undefined,
  ): Evidence[] {
    let byContent = this.resourceRecords.get(resource);
    if (!byContent) {
      byContent = new Map();
      this.resourceRecords.set(resource, byContent);
    }
    const key = `${source}\u0000${related}\u0000${conditions ? this.listId(conditions) : '-'}`;
    let found = byContent.get(key);
    if (!found) {
      found = [
        {
          source,
          ref: resource.arn,
          reason: `on ${resource.name}${related}`,
          ...(conditions ? { conditions } : {}),
        },
      ];
      byContent.set(key, found);
    }
    return found;
  }

  /** A decision's grant parts with their keys: decisions are shared across resources, so are these. */
  private readonly grants = new WeakMap<Decision, { part: GrantPart; key: string }[]>();

  parts(decision: Decision): { part: GrantPart; key: string }[] {
    let found = this.grants.get(decision);
    if (!found) {
      found = grantParts(decision).map((part) => ({
        part,
        key: `${part.match.policyId}\u0000${part.match.statement}\u0000${part.conditions.map((c) => `${c.operator}:${c.key}:${c.values}`).join('|')}`,
      }));
      this.grants.set(decision, found);
    }
    return found;
  }

  list<T extends string>(items: T[]): T[] {
    const key = items.join('\u0000');
    const seen = this.lists.get(key);
    if (seen) return seen as T[];
    this.lists.set(key, items);
    return items;
  }
}

/** What one source may do to each resource, accumulated over actions. */
class Grants {
  readonly byResource = new Map<string, Grant>();
  /** Resources that take another resource's grant (`share`), by ARN. */
  readonly others = new Map<string, AwsResourceData>();
  constructor(private readonly interner: Interner) {}

  /** `resource` is granted what `grant` grants its own resource (one class, resource-classes.ts). */
  share(resource: AwsResourceData, grant: Grant): void {
    this.byResource.set(resource.arn, grant);
    this.others.set(resource.arn, resource);
  }

  /** `group`: the index of the action class asked (`Grant.firstGroup`). */
  add(
    resource: AwsResourceData,
    actions: DataAction[],
    result: { decision: Decision; arn: string },
    group = 0,
  ): void {
    if (!isGranted(result.decision)) return;
    let grant = this.byResource.get(resource.arn);
    if (!grant) {
      grant = new Grant(resource, this.interner, group);
      this.byResource.set(resource.arn, grant);
    }
    grant.add(actions, result.decision, result.arn);
  }
}

class Grant {
  /** The action groups granted, in the order they were added (interned arrays, never mutated). */
  private readonly groups: DataAction[][] = [];
  private readonly decisions: Decision[] = [];
  /** Each decision's request (its first action and ARN). */
  private readonly asked: [string, string][] = [];
  /** Evidence parts by (policy, statement, conditions), with the actions each grants. */
  private readonly parts = new Map<string, GrantedPart>();

  constructor(
    readonly resource: AwsResourceData,
    private readonly interner: Interner,
    /** The action class whose request granted first (a class's resources share it). */
    readonly firstGroup = 0,
  ) {}

  add(actions: DataAction[], decision: Decision, arn: string): void {
    this.groups.push(actions);
    this.decisions.push(decision);
    this.asked.push([(actions[0] as DataAction).action, arn]);
    const names = this.interner.names(actions);
    for (const { part, key } of this.interner.parts(decision)) {
      const seen = this.parts.get(key);
      if (seen) {
        seen.actions = this.interner.union(seen.actions, names);
        if (!seen.arns.includes(arn)) seen.arns.push(arn);
      } else {
        this.parts.set(key, { part, actions: names, arns: [arn] });
      }
    }
  }

  /**
   * May the grant stand for the other resources of its resource's class? When none of its
   * decisions cites the resource's own policy (its id names the resource) or carries a report
   * (`sharesResourceDecision`).
   */
  standsForOthers(authorizer: Authorizer, principalId: string): boolean {
    return this.decisions.every(
      (decision, i) =>
        authorizer.sharesResourceDecision?.(principalId, ...(this.asked[i] as [string, string]), decision) ===
        true,
    );
  }

  /** The granted action names, in the order first granted. */
  get actions(): Set<string> {
    const out = new Set<string>();
    for (const group of this.groups) for (const action of group) out.add(action.action);
    return out;
  }

  levelList(): AccessLevel[] {
    return this.interner.summary(this.groups).levels;
  }

  /**
   * The edge split for access-hubs.ts: the member side (one record per granting statement, what it
   * allows and on which parts of the resource, with its conditions; the edge's conditional flag and
   * keys) and the target side (the levels and actions, and one record naming the resource), each
   * with a key that decides it.
   */
  private sidesOf: { sides: AccessSides; source: Evidence['source']; keys: string[] | undefined } | undefined;

  /** The pair with `resource` (this grant's own, or one of its class that shares it). */
  target(resource: AwsResourceData): Target {
    this.sidesOf ??= this.sides();
    const { sides, source, keys } = this.sidesOf;
    return {
      arn: resource.arn,
      sides,
      target: this.interner.resourceRecord(resource, source, sides.related, keys),
    };
  }

  private sides(): { sides: AccessSides; source: Evidence['source']; keys: string[] | undefined } {
    const { resource, interner } = this;
    const member: Evidence[] = [];
    let memberKey = '';
    const arnsOf: string[] = [];
    let source: Evidence['source'] | undefined;
    for (const { part, actions, arns } of this.parts.values()) {
      const objects = objectsOf(resource.arn, arns);
      const record = interner.memberRecord(part, actions, objects, arns.includes(resource.arn));
      member.push(record);
      source ??= record.source;
      memberKey += `${interner.partId(part)}:${interner.listId(actions)}:${relativeArns(resource.arn, arns)};`;
      for (const arn of arns) arnsOf.push(arn);
    }
    const related = relatedParts(resource, arnsOf);
    const summary = interner.summary(this.groups);
    const conditional = conditionalProperties(this.decisions);
    const keys = (conditional.conditions as string[] | undefined) ?? [];
    memberKey += `|${conditional.conditional === true ? interner.listId(keys) : '-'}`;
    const targetKey = `${source}:${interner.listId(summary.levels)}:${interner.listId(summary.actions)}:${related}:${memberKey.slice(memberKey.lastIndexOf('|'))}`;
    return {
      sides: {
        memberKey,
        targetKey,
        key: `${memberKey}\u0001${targetKey}`,
        member,
        related,
        // The interned summary (never mutated: pair edges and legs copy it).
        properties: summary,
        conditional,
      },
      source: source ?? 'identity-policy',
      keys: conditional.conditional === true ? keys : undefined,
    };
  }

  /** Object-level grants (S3 `bucket/prefix*`) name the objects; the bucket itself, its name. */
  private on(arns: string[]): string {
    const { resource } = this;
    const objects = objectsOf(resource.arn, arns);
    return (
      (objects.length === 0
        ? resource.name
        : `${resource.name}${arns.includes(resource.arn) ? ' and its' : '’s'} objects ${objects.join(', ')}`) +
      relatedParts(resource, arns)
    );
  }

  edge(from: string, fromKind: string, to: string, toKind: string, scope: string): DerivedEdge {
    const { interner } = this;
    const evidence: Evidence[] = [];
    for (const { part, actions, arns } of this.parts.values())
      evidence.push(interner.record(part, interner.granting(part.match, actions) + this.on(arns)));
    const summary = interner.summary(this.groups);
    return edge({
      type: 'CAN_ACCESS',
      from,
      fromKind,
      to,
      toKind,
      scope,
      properties: {
        levels: summary.levels,
        actions: summary.actions,
        ...conditionalProperties(this.decisions),
      },
      evidence,
    });
  }
}

/** The objects (`reports/x`, `*`) among the ARNs a part was decided on, relative to the resource. */
function objectsOf(resourceArn: string, arns: string[]): string[] {
  return arns.filter((a) => a.startsWith(`${resourceArn}/`)).map((a) => a.slice(resourceArn.length + 1));
}

/** The ARNs a part was decided on, relative to the resource's (`=`, `/prefix`), others as they are. */
function relativeArns(resourceArn: string, arns: string[]): string {
  return arns
    .map((a) => (a === resourceArn ? '=' : a.startsWith(`${resourceArn}/`) ? a.slice(resourceArn.length) : a))
    .join(',');
}

interface GrantedPart {
  part: GrantPart;
  actions: string[];
  arns: string[];
}
