import type {
  AwsAccountData,
  AwsEnvironment,
  AwsResourceData,
  AwsResourceType,
  CollectionIssue,
} from '../../../model/aws/environment.js';
import { DEFAULT_PARTITION, partitionOfArn } from '../../../model/aws/partitions.js';
import type { NamedPolicy } from '../../../model/aws/policy.js';
import { isCatalogLoaded, supportsResourceControlPolicies } from '../catalog.js';
import {
  arnMatches,
  evaluate as evaluateRequest,
  RequestContext,
  resolvePolicyVariables,
  statementMatchesAction,
} from '../engine/index.js';
import type {
  ContextValues,
  Decision,
  PolicySet,
  Request,
  RequestPrincipal,
  RequestResource,
} from '../engine/types.js';
import { resolveMarked } from '../engine/variables.js';
import { lowerCased, unmarkLiterals } from '../engine/wildcard.js';
import type { Authorizer, NamingOptions, PrincipalInfo } from '../types.js';
import { adminDecision, fullGrants } from './admin.js';
import { mentionsOrgKeys, OrgKeyUses, outsideOrganizationContexts, sameDecision } from './org-membership.js';
import { type OrganizationView, organizationView } from './organization.js';
import { accountRootArn, requestPrincipalForId } from './principal-ids.js';
import { type PrincipalDirectory, type PrincipalRecord, principalDirectory } from './principals.js';
import { ResourceIndex } from './resources.js';
import { policyOutsideOwner } from './s3-block-public-access.js';
import { DecisionSharing, sharesAcrossResources } from './sharing.js';
import { ActionBuckets, ANY_SERVICE, principalKeys, sessionKey } from './statement-index.js';
import { unknownActionIssues } from './unknown-actions.js';

const MAX_MEMO = 100_000;

/**
 * Actions answered by a role's trust policy rather than by a resource policy of their own
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/id_roles_terms-and-concepts.html).
 */
const TRUST_ACTIONS = new Set([
  'sts:assumerole',
  'sts:assumerolewithsaml',
  'sts:assumerolewithwebidentity',
  'sts:tagsession',
  'sts:setsourceidentity',
  'sts:setcontext',
]);

/**
 * Stands for the identity side of a principal outside the collected data: that account's own
 * policies decide, and we cannot see them. Evaluating with it answers "does the resource side
 * (resource policy, trust policy, RCPs) admit this principal"; it never appears in evidence.
 */
const OUTSIDE_IDENTITY: NamedPolicy = {
  id: 'reachgraph:identity-outside-collected-data',
  name: 'identity policies outside the collected data',
  kind: 'inline',
  document: { Statement: [{ index: 0, Effect: 'Allow', Action: ['*'], Resource: ['*'] }] },
};

/**
 * A KMS key always has a key policy; when it was not collected we assume the default one, which
 * delegates to the account's IAM policies
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html), name the policy
 * so in the evidence, and make what it grants conditional on that assumption: a key whose real
 * policy does not delegate would otherwise be over-reported as certain.
 */
const KEY_POLICY_ASSUMED = 'reachgraph:KeyPolicyDelegatesToAccount';

function defaultKeyPolicy(key: AwsResourceData): NamedPolicy {
  return {
    id: `${key.arn}#policy`,
    name: 'default key policy (the key policy was not collected)',
    kind: 'resource',
    document: {
      Statement: [
        {
          index: 0,
          Sid: 'Enable IAM User Permissions',
          Effect: 'Allow',
          Principal: { AWS: [accountRootArn(key.accountId, partitionOfArn(key.arn) ?? DEFAULT_PARTITION)] },
          Action: ['kms:*'],
          Resource: ['*'],
          Condition: { Bool: { [KEY_POLICY_ASSUMED]: ['true'] } },
        },
      ],
    },
  };
}

export interface AuthorizerOptions {
  /**
   * The analysis time: decides the time condition keys (`aws:CurrentTime`, `aws:EpochTime`,
   * `aws:TokenIssueTime`). Without it they stay undecided.
   */
  asOf?: Date;
}

export function createAuthorizer(
  env: AwsEnvironment,
  options: AuthorizerOptions = {},
): EnvironmentAuthorizer {
  return new EnvironmentAuthorizer(env, options);
}

/**
 * The Authorizer over one collected environment: for each request it gathers every policy layer
 * AWS consults (identity policies with the groups', boundary, the SCPs and RCPs of the accounts'
 * organization paths, the resource's or trust policy) and asks the engine, memoizing decisions.
 * Statements are indexed by principal and action so the edge families share its lookups
 * (resources and principals an ARN pattern names, resources whose policy names a principal)
 * instead of looping over every pair.
 */
export class EnvironmentAuthorizer implements Authorizer {
  private readonly ownIssues: CollectionIssue[] = [];
  /** Found while indexing the statements (actions of services the catalogue does not know). */
  private readonly indexIssues: CollectionIssue[];
  private readonly org: OrganizationView;
  private readonly directory: PrincipalDirectory;
  private readonly resourceIndex: ResourceIndex;
  private readonly accounts: Map<string, AwsAccountData>;
  private readonly principalList: PrincipalInfo[];
  private readonly byAccount = new Map<string, PrincipalInfo[]>();
  /** Resource-side Allow statements (resource and trust policies) by the principal key they name. */
  private readonly grants = new Map<string, ActionBuckets>();
  /** The same statements with the resource whose policy they are in, for `resourcesNaming`. */
  private readonly grantResources = new Map<string, string>();
  private readonly identityBuckets = new Map<string, ActionBuckets>();
  /** Decisions by principal, action (lowercase, with the context), resource; `memoized` of them. */
  private readonly decisions = new Map<string, Map<string, Map<string, Decision>>>();
  private memoized = 0;
  private readonly grantKeyCache = new Map<string, string[]>();
  /** By grant key, then lowercase action. */
  private readonly grantMatch = new Map<string, Map<string, boolean>>();
  private readonly layers = new Map<string, ResourceLayer>();
  private readonly sharing: DecisionSharing;
  private readonly adminDecisions = new Map<string, Decision>();
  private readonly identitySets = new WeakMap<PrincipalRecord, PolicySet>();
  /** Is the action answered by a trust policy, by action as written (asked once per request). */
  private readonly trustActions = new Map<string, boolean>();
  private evaluations = 0;
  /** How policies use the organization keys; undefined without a collected organization. */
  private readonly orgKeyUses: OrgKeyUses | undefined;

  constructor(
    readonly environment: AwsEnvironment,
    readonly options: AuthorizerOptions = {},
  ) {
    const env = environment;
    this.org = organizationView(env.organization);
    this.orgKeyUses = env.organization ? new OrgKeyUses(env.organization.id) : undefined;
    this.directory = principalDirectory(env, this.org);
    this.resourceIndex = new ResourceIndex(env);
    this.accounts = new Map(env.accounts.map((a) => [a.accountId, a]));
    this.principalList = [...this.directory.records.values()].map((r) => r.info);
    for (const p of this.principalList) {
      const list = this.byAccount.get(p.accountId);
      if (list) list.push(p);
      else this.byAccount.set(p.accountId, [p]);
    }
    for (const resource of this.resourceIndex.list())
      if (resource.policy) this.fileGrants(resource.policy, resource.arn);
    for (const role of this.directory.roles.values()) this.fileGrants(role.trustPolicy, role.arn);
    this.indexIssues = unknownActionIssues(env);
    this.sharing = new DecisionSharing();
  }

  /**
   * Problems met while gathering policies (missing managed policy, incomplete SCP data…):
   * policy-gathering issues, organization issues (found as chains are built) and engine issues.
   */
  get issues(): CollectionIssue[] {
    return [...this.directory.issues, ...this.indexIssues, ...this.org.issues, ...this.ownIssues];
  }

  /** Engine evaluations performed so far (memoized answers are not counted twice). */
  get evaluationCount(): number {
    return this.evaluations;
  }

  principals(): PrincipalInfo[] {
    return this.principalList;
  }

  principal(id: string): PrincipalInfo | undefined {
    return this.directory.records.get(id)?.info;
  }

  record(id: string): PrincipalRecord | undefined {
    return this.directory.records.get(id);
  }

  account(accountId: string): AwsAccountData | undefined {
    return this.accounts.get(accountId);
  }

  resources(type?: AwsResourceType): AwsResourceData[] {
    return this.resourceIndex.list(type);
  }

  resourcesMatching(pattern: string, type?: AwsResourceType): AwsResourceData[] {
    return this.resourceIndex.matching(pattern, type);
  }

  principalsMatching(pattern: string): PrincipalInfo[] {
    if (!pattern.includes('*') && !pattern.includes('?')) {
      const exact = this.principal(pattern);
      return exact ? [exact] : [];
    }
    // Narrow by the pattern's account segment when it names one account.
    const account = pattern.split(':')[4] ?? '';
    const pool = /^\d{12}$/.test(account) ? (this.byAccount.get(account) ?? []) : this.principalList;
    return pool.filter((p) => arnMatches(pattern, p.id));
  }

  accountOf(arn: string): string | undefined {
    const known = this.directory.records.get(arn)?.info.accountId ?? this.resourceIndex.owner(arn)?.accountId;
    if (known) return known;
    const segment = arn.split(':')[4];
    return segment && /^\d{12}$/.test(segment) ? segment : undefined;
  }

  evaluate(principalId: string, action: string, resourceArn: string, context?: ContextValues): Decision {
    // Memo by principal, then action (and context), then resource: the strings callers pass are
    // looked up as they are, no key is built for every question.
    const lower = lowerCased(action);
    const question = context ? `${lower}\u0000${stableJson(context)}` : lower;
    let byQuestion = this.decisions.get(principalId);
    if (!byQuestion) {
      byQuestion = new Map();
      this.decisions.set(principalId, byQuestion);
    }
    let byResource = byQuestion.get(question);
    if (!byResource) {
      byResource = new Map();
      byQuestion.set(question, byResource);
    }
    const memo = byResource.get(resourceArn);
    if (memo) return memo;
    const decision = this.decide(principalId, action, resourceArn, context);
    // Bounded: repeated questions come close together; a whole analysis need not stay in memory.
    if (this.memoized >= MAX_MEMO) {
      this.decisions.clear();
      this.memoized = 0;
      byResource = new Map();
      this.decisions.set(principalId, new Map([[question, byResource]]));
    }
    this.memoized++;
    byResource.set(resourceArn, decision);
    return decision;
  }

  mayAllow(principalId: string, action: string): boolean {
    const record = this.directory.records.get(principalId);
    if (record && this.identityIndex(record).matches(action)) return true;
    return this.grantKeys(principalId).some((key) => this.grantMatches(key, action));
  }

  resourcePatterns(principalId: string, action: string): string[] {
    const record = this.directory.records.get(principalId);
    if (!record) return [];
    const patterns = new Set<string>();
    const request: Request = { principal: record.info.request, action, resource: { arn: '*' } };
    for (const { statement } of this.identityIndex(record).matching(action)) {
      if (statement.NotResource) {
        patterns.add('*');
        continue;
      }
      for (const pattern of statement.Resource ?? []) patterns.add(candidatePattern(pattern, request));
    }
    return [...patterns];
  }

  resourcesNaming(principalId: string, action: string, options: NamingOptions = {}): AwsResourceData[] {
    const out = new Map<string, AwsResourceData>();
    for (const key of this.grantKeys(principalId)) {
      if (options.byAccount === false && key.startsWith('account:')) continue;
      for (const { policy } of this.grants.get(key)?.matching(action) ?? []) {
        const arn = this.grantResources.get(policy.id);
        const resource = arn ? this.resourceIndex.get(arn) : undefined;
        if (resource) out.set(resource.arn, resource);
      }
    }
    return [...out.values()];
  }

  decisionKey(principalId: string, action: string, resourceArn: string): string | undefined {
    return this.decisionKeyWith(principalId, action, resourceArn);
  }

  /**
   * A collected principal's request on one resource and the resource's layer, when the decision may
   * be shared at all: not for `*` or a principal outside the collected data, nor when a trust or key
   * policy (a resource's own) takes part.
   */
  private sharableRequest(principalId: string, action: string, resourceArn: string) {
    const record = this.directory.records.get(principalId);
    if (!record || resourceArn === '*') return undefined;
    const layer = this.resourceLayer(action, resourceArn);
    return layer.required ? undefined : { record, layer };
  }

  /** `decisionKey` for the principal's policy set with a change applied (a what-if state). */
  decisionKeyWith(
    principalId: string,
    action: string,
    resourceArn: string,
    change?: (set: PolicySet) => PolicySet,
  ): string | undefined {
    // The parts of the policy set `evaluate` would use, without building it: this is asked once
    // per candidate resource. A resource policy with a statement for the action is the resource's
    // own: nothing to share. A resource policy none of whose statements match the action takes no
    // part in the decision.
    const shared = this.sharableRequest(principalId, action, resourceArn);
    if (!shared) return undefined;
    const { record, layer } = shared;
    if (layer.policy?.document.Statement.some((st) => statementMatchesAction(st, action))) return undefined;
    const identity = this.identitySet(record);
    return this.sharing.keyWith(
      change ? change(identity) : identity,
      this.rcpsFor(action, layer.accountId),
      this.request(record.info.request, action, resourceArn),
    );
  }

  /**
   * For one principal and one action (and request context): requests on resources whose own policy
   * takes part in the decision (a bucket policy's `s3:*` Deny, say) that get equal keys are decided
   * alike, up to the statements of those policies the decision cites; `sharesResourceDecision` says
   * when a decision cites none of them and may stand for every resource of its key. The key is
   * `decisionKey`'s for the identity policies, boundary, SCPs and RCPs, with the resource policy's
   * part (`DecisionSharing.resourcePolicyKey`) and the context. Undefined when nothing is shared:
   * a principal outside the collected data, a trust or key policy (they must allow by themselves),
   * a policy variable in the resource policy, or a principal the organization keys are decided for
   * twice (`evaluateFor`).
   */
  resourceDecisionKey(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): string | undefined {
    return this.resourceDecisionKeyWith(principalId, action, resourceArn, context);
  }

  /** `resourceDecisionKey` for the principal's policy set with a change applied (a what-if state). */
  resourceDecisionKeyWith(
    principalId: string,
    action: string,
    resourceArn: string,
    context: ContextValues | undefined,
    change?: (set: PolicySet) => PolicySet,
  ): string | undefined {
    const shared = this.sharableRequest(principalId, action, resourceArn);
    if (!shared) return undefined;
    const { record, layer } = shared;
    const principal = record.info.request;
    if (this.decidedOutsideOrganization(principal, context)) return undefined;
    const identity = change ? change(this.identitySet(record)) : this.identitySet(record);
    const request = this.request(principal, action, resourceArn, context);
    const policy = policyFor(layer, record.info.accountId);
    const own = this.sharing.resourcePolicyKey(policy, request, identity.permissionsBoundary !== undefined);
    if (own === undefined) return undefined;
    const rest = this.sharing.keyWith(identity, this.rcpsFor(action, layer.accountId), request);
    return `${rest}\u0002${policy?.document.Version ?? ''}\u0002${own}\u0002${context ? stableJson(context) : ''}`;
  }

  /** May a decision of `resourceDecisionKey`'s request stand for the other resources of its key? */
  sharesResourceDecision(
    principalId: string,
    action: string,
    resourceArn: string,
    decision: Decision,
  ): boolean {
    const record = this.directory.records.get(principalId);
    if (!record) return false;
    return sharesAcrossResources(
      decision,
      policyFor(this.resourceLayer(action, resourceArn), record.info.accountId),
    );
  }

  /** The identity part of a principal's policy sets (policies, boundary, SCPs): one object per principal. */
  private identitySet(record: PrincipalRecord): PolicySet {
    let set = this.identitySets.get(record);
    if (!set) {
      set = { identityPolicies: record.identityPolicies };
      if (record.boundary) set.permissionsBoundary = record.boundary;
      const scps = record.role?.serviceLinked ? undefined : this.org.scpChain(record.info.accountId);
      if (scps) set.serviceControlPolicies = scps;
      this.identitySets.set(record, set);
    }
    return set;
  }

  isAdmin(principalId: string): Decision {
    let decision = this.adminDecisions.get(principalId);
    if (!decision) {
      const record = this.directory.records.get(principalId);
      decision = record
        ? adminDecision(fullGrants(record.identityPolicies), (action) =>
            this.evaluate(principalId, action, '*'),
          )
        : adminDecision([], () => {
            throw new Error('unreachable');
          });
      this.adminDecisions.set(principalId, decision);
    }
    return decision;
  }

  isAdminWith(principalId: string, change: (set: PolicySet) => PolicySet): Decision {
    const record = this.directory.records.get(principalId);
    if (!record) return this.isAdmin(principalId);
    const grants = fullGrants(change(this.policySetFor(record, 'iam:PassRole', '*')).identityPolicies);
    return adminDecision(grants, (action) => this.evaluateWith(principalId, action, '*', undefined, change));
  }

  /**
   * One request of a collected principal decided on its policy set with a change applied (a what-if
   * state of escalation); not memoized, as each state is asked about once. Others: `evaluate`.
   */
  evaluateWith(
    principalId: string,
    action: string,
    resourceArn: string,
    context: ContextValues | undefined,
    change: (set: PolicySet) => PolicySet,
  ): Decision {
    const record = this.directory.records.get(principalId);
    if (!record) return this.evaluate(principalId, action, resourceArn, context);
    this.evaluations++;
    const set = change(this.policySetFor(record, action, resourceArn));
    return this.evaluateFor(record.info.request, action, resourceArn, context, set);
  }

  policySet(principalId: string, action: string, resourceArn: string): PolicySet | undefined {
    const record = this.directory.records.get(principalId);
    return record ? this.policySetFor(record, action, resourceArn) : undefined;
  }

  // ── internals ──────────────────────────────────────────────────────────────────────────────

  /**
   * One engine evaluation, guarded: an engine failure on some policy (or its warnings: an unknown
   * service, an unresolvable variable) becomes an issue naming the principal and the policies,
   * and that request is answered "not allowed" so the rest of the analysis goes on.
   */
  private decide(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): Decision {
    this.evaluations++;
    let decision: Decision;
    try {
      decision = this.decideUnguarded(principalId, action, resourceArn, context);
    } catch (error) {
      const record = this.directory.records.get(principalId);
      const policies = record ? record.identityPolicies.map((p) => p.id).join(', ') : 'none';
      const message = `${action} on ${resourceArn} could not be evaluated: ${(error as Error).message} (identity policies: ${policies})`;
      this.report({ severity: 'error', source: 'policy-engine', object: principalId, message });
      return {
        outcome: 'implicit-deny',
        allowedBy: [],
        deniedBy: [],
        conditions: [],
        reason: message,
        warnings: [message],
      };
    }
    for (const warning of decision.warnings)
      this.report({ severity: 'warning', source: 'policy-engine', object: principalId, message: warning });
    if (decision.notBefore !== undefined)
      this.report({
        severity: 'info',
        source: 'policy-engine',
        object: principalId,
        message: `${action} on ${resourceArn}: ${decision.reason}`,
      });
    return decision;
  }

  private readonly reported = new Set<string>();
  private report(issue: CollectionIssue): void {
    // Warnings name the policy and statement; one per distinct message is enough.
    const key = issue.severity === 'warning' ? issue.message : `${issue.object}\u0000${issue.message}`;
    if (this.reported.has(key)) return;
    this.reported.add(key);
    this.ownIssues.push(issue);
  }

  private decideUnguarded(
    principalId: string,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): Decision {
    const record = this.directory.records.get(principalId);
    if (record) {
      return this.evaluateFor(
        record.info.request,
        action,
        resourceArn,
        context,
        this.policySetFor(record, action, resourceArn),
      );
    }
    const principal = requestPrincipalForId(principalId);
    if (!principal) {
      return {
        outcome: 'implicit-deny',
        allowedBy: [],
        deniedBy: [],
        conditions: [],
        reason: `unknown principal ${principalId}`,
        warnings: [`unknown principal id ${principalId}`],
      };
    }
    return this.decideResourceSide(principal, action, resourceArn, context);
  }

  /**
   * A principal outside the collected IAM data (another account's principal, an account root, a
   * service, anyone): its own identity side is its account's business, so only the resource side
   * (resource or trust policy, RCPs, and the SCPs of its account when collected) is evaluated.
   */
  private decideResourceSide(
    principal: RequestPrincipal,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): Decision {
    const layer = this.resourceLayer(action, resourceArn);
    const policy = policyFor(layer, principal.accountId);
    const set: PolicySet = {
      identityPolicies: [OUTSIDE_IDENTITY],
      resourcePolicyRequired: true,
      ...(policy ? { resourcePolicy: policy } : {}),
    };
    const scps =
      principal.kind === 'root' && principal.accountId ? this.org.scpChain(principal.accountId) : undefined;
    if (scps) set.serviceControlPolicies = scps;
    const rcps = this.rcpsFor(action, layer.accountId);
    if (rcps) set.resourceControlPolicies = rcps;
    const decision = this.evaluateFor(this.withOrganization(principal), action, resourceArn, context, set);
    return { ...decision, allowedBy: decision.allowedBy.filter((m) => m.policyId !== OUTSIDE_IDENTITY.id) };
  }

  /** A principal of a member account that was not collected still has its organization id and paths. */
  private withOrganization(principal: RequestPrincipal): RequestPrincipal {
    if (!principal.accountId || principal.orgId) return principal;
    const orgId = this.org.orgId(principal.accountId);
    const orgPaths = this.org.orgPaths(principal.accountId);
    return orgId ? { ...principal, orgId, ...(orgPaths ? { orgPaths } : {}) } : principal;
  }

  private policySetFor(record: PrincipalRecord, action: string, resourceArn: string): PolicySet {
    const layer = this.resourceLayer(action, resourceArn);
    const set: PolicySet = { identityPolicies: record.identityPolicies };
    const policy = policyFor(layer, record.info.accountId);
    if (policy) set.resourcePolicy = policy;
    if (layer.required) set.resourcePolicyRequired = true;
    if (record.boundary) set.permissionsBoundary = record.boundary;
    // SCPs never restrict service-linked roles.
    const scps = record.role?.serviceLinked ? undefined : this.org.scpChain(record.info.accountId);
    if (scps) set.serviceControlPolicies = scps;
    const rcps = this.rcpsFor(action, layer.accountId);
    if (rcps) set.resourceControlPolicies = rcps;
    return set;
  }

  /**
   * RCPs restrict only the services that support them
   * (https://docs.aws.amazon.com/organizations/latest/userguide/orgs_manage_policies_rcps.html#rcp-supported-services).
   */
  private rcpsFor(action: string, resourceAccountId: string | undefined): NamedPolicy[][] | undefined {
    if (!resourceAccountId) return undefined;
    const service = action.slice(0, action.indexOf(':'));
    if (isCatalogLoaded() && !supportsResourceControlPolicies(service)) return undefined;
    return this.org.rcpChain(resourceAccountId);
  }

  /** The resource side of a request: which policy governs the resource, and whose account it is in. */
  private resourceLayer(action: string, resourceArn: string): ResourceLayer {
    if (resourceArn === '*') return {};
    let trustAction = this.trustActions.get(action);
    if (trustAction === undefined) {
      trustAction = TRUST_ACTIONS.has(action.toLowerCase());
      this.trustActions.set(action, trustAction);
    }
    if (trustAction && /:iam::\d{12}:role\//.test(resourceArn)) {
      const accountId = this.accountOf(resourceArn);
      // A role's trust policy must allow by itself, even within its own account.
      const role = this.directory.roles.get(resourceArn);
      return {
        ...(accountId ? { accountId } : {}),
        required: true,
        ...(role ? { policy: role.trustPolicy } : {}),
      };
    }
    // Any other action: the layer depends on the ARN only, and the same ARNs are asked about often.
    let layer = this.layers.get(resourceArn);
    if (!layer) {
      layer = this.ownLayer(resourceArn);
      if (this.layers.size >= MAX_MEMO) this.layers.clear();
      this.layers.set(resourceArn, layer);
    }
    return layer;
  }

  private ownLayer(resourceArn: string): ResourceLayer {
    const accountId = this.accountOf(resourceArn);
    const at = accountId ? { accountId } : {};
    const owner = this.resourceIndex.owner(resourceArn);
    if (!owner) return at;
    if (owner.type === 'kms-key') {
      // Key policies must allow by themselves too (https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html).
      return { ...at, required: true, policy: owner.policy ?? defaultKeyPolicy(owner) };
    }
    const outsidePolicy = owner.type === 's3-bucket' ? policyOutsideOwner(owner) : undefined;
    return owner.policy ? { ...at, policy: owner.policy, ...(outsidePolicy ? { outsidePolicy } : {}) } : at;
  }

  private request(
    principal: RequestPrincipal,
    action: string,
    resourceArn: string,
    context?: ContextValues,
  ): Request {
    const resource: RequestResource = { arn: resourceArn };
    if (resourceArn !== '*') {
      const target = this.directory.records.get(resourceArn);
      const owner = target ? undefined : this.resourceIndex.owner(resourceArn);
      const accountId = target?.info.accountId ?? owner?.accountId ?? this.accountOf(resourceArn);
      if (accountId) resource.accountId = accountId;
      const tags = target?.info.request.tags ?? owner?.tags;
      if (tags) resource.tags = tags;
    }
    return {
      principal,
      action,
      resource,
      ...(context ? { context } : {}),
      ...(this.options.asOf ? { asOf: this.options.asOf } : {}),
    };
  }

  /**
   * Evaluates with the organization keys of a principal outside the collected organization known
   * to differ from it (see org-membership.ts); every other principal is evaluated as it is.
   */
  private evaluateFor(
    principal: RequestPrincipal,
    action: string,
    resourceArn: string,
    context: ContextValues | undefined,
    set: PolicySet,
  ): Decision {
    const request = this.request(principal, action, resourceArn, context);
    const org = this.environment.organization;
    if (!org || !this.decidedOutsideOrganization(principal, context) || this.orgKeyUses?.of(set) !== 'own')
      return evaluateRequest(request, set);
    const [absent, elsewhere] = outsideOrganizationContexts(org.id);
    const withAbsent = evaluateRequest({ ...request, context: { ...absent, ...context } }, set);
    const withOther = evaluateRequest({ ...request, context: { ...elsewhere, ...context } }, set);
    return sameDecision(withAbsent, withOther) ? withAbsent : evaluateRequest(request, set);
  }

  /** A principal of an account outside the collected organization, whose organization keys may be decided twice. */
  private decidedOutsideOrganization(
    principal: RequestPrincipal,
    context: ContextValues | undefined,
  ): boolean {
    return (
      this.environment.organization !== undefined &&
      this.orgKeyUses !== undefined &&
      (principal.kind === 'user' || principal.kind === 'role' || principal.kind === 'root') &&
      principal.accountId !== undefined &&
      this.org.orgId(principal.accountId) === undefined &&
      !mentionsOrgKeys(context)
    );
  }

  private identityIndex(record: PrincipalRecord): ActionBuckets {
    let buckets = this.identityBuckets.get(record.info.id);
    if (!buckets) {
      buckets = new ActionBuckets();
      for (const policy of record.identityPolicies)
        for (const statement of policy.document.Statement)
          if (statement.Effect === 'Allow') buckets.add({ policy, statement });
      this.identityBuckets.set(record.info.id, buckets);
    }
    return buckets;
  }

  private fileGrants(policy: NamedPolicy, resourceArn: string): void {
    this.grantResources.set(policy.id, resourceArn);
    for (const statement of policy.document.Statement) {
      if (statement.Effect !== 'Allow') continue;
      const keys = statement.NotPrincipal
        ? principalKeys(statement.NotPrincipal, true)
        : principalKeys(statement.Principal, false);
      for (const key of new Set(keys)) {
        let buckets = this.grants.get(key);
        if (!buckets) {
          buckets = new ActionBuckets();
          this.grants.set(key, buckets);
        }
        buckets.add({ policy, statement });
      }
    }
  }

  /** Does a resource-side statement filed under the key match the action? Memoized: account keys recur. */
  private grantMatches(key: string, action: string): boolean {
    const buckets = this.grants.get(key);
    if (!buckets) return false;
    let byAction = this.grantMatch.get(key);
    if (!byAction) {
      if (this.grantMatch.size >= MAX_MEMO) this.grantMatch.clear();
      byAction = new Map();
      this.grantMatch.set(key, byAction);
    }
    const lower = lowerCased(action);
    let found = byAction.get(lower);
    if (found === undefined) {
      found = buckets.matches(action);
      byAction.set(lower, found);
    }
    return found;
  }

  /** The keys under which resource-side statements may name this principal. */
  private grantKeys(principalId: string): string[] {
    let keys = this.grantKeyCache.get(principalId);
    if (!keys) {
      keys = this.grantKeysOf(principalId);
      if (this.grantKeyCache.size >= MAX_MEMO) this.grantKeyCache.clear();
      this.grantKeyCache.set(principalId, keys);
    }
    return keys;
  }

  private grantKeysOf(principalId: string): string[] {
    const info = this.principal(principalId);
    if (!info) return [principalId, ANY_SERVICE];
    const keys = [info.id, `account:${info.accountId}`, ANY_SERVICE];
    if (info.kind === 'AwsRole')
      keys.push(sessionKey(info.accountId, info.id.slice(info.id.lastIndexOf('/') + 1)));
    return keys;
  }
}

/**
 * A Resource pattern with its policy variables resolved for the principal, as a candidate pattern.
 * A variable unknown offline (`${aws:SourceIdentity}`) makes the engine count the entry as possibly
 * matching any resource (conditionally), so the candidate is `*`; a variable known to be absent
 * (a tag the principal does not have) is replaced by `*`, a superset of nothing the engine grants.
 * Either way no candidate the engine would grant is missed.
 */
export function candidatePattern(pattern: string, request: Request): string {
  if (!pattern.includes('${')) return pattern;
  const context = new RequestContext(request);
  const resolved = resolveMarked(pattern, context);
  if (resolved.ok) return unmarkLiterals(resolved.text);
  if ('unknown' in resolved) return '*';
  const widened = pattern.replace(/\$\{([^}]*)\}/g, (variable, body: string) => {
    if (['*', '?', '$'].includes(body.trim())) return variable;
    const one = resolveMarked(variable, context);
    return one.ok ? unmarkLiterals(one.text) : '*';
  });
  return resolvePolicyVariables(widened, context) ?? widened;
}

/** Which policy governs a resource (and must it allow by itself), and whose account it is in. */
interface ResourceLayer {
  policy?: NamedPolicy;
  /** The policy as it applies outside `accountId`, when S3 Block Public Access restricts it. */
  outsidePolicy?: NamedPolicy;
  required?: boolean;
  accountId?: string;
}

/** The resource policy a principal of `accountId` (none: anyone, a service) is judged by. */
function policyFor(layer: ResourceLayer, accountId: string | undefined): NamedPolicy | undefined {
  return layer.outsidePolicy && accountId !== layer.accountId ? layer.outsidePolicy : layer.policy;
}

function stableJson(value: ContextValues): string {
  return JSON.stringify(
    Object.keys(value)
      .sort()
      .map((k) => [k, value[k]]),
  );
}
