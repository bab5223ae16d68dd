import type { Tags } from '../../../model/aws/environment.js';
import type { NamedPolicy } from '../../../model/aws/policy.js';

/**
 * The policy engine's vocabulary: one request (principal, action, resource, context) evaluated
 * against the policies AWS would consult, with AWS's documented evaluation logic
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html).
 */

/** Who makes the request, with everything offline data can tell about them. */
export interface RequestPrincipal {
  /** The principal ARN as policies name it: user ARN, role ARN, `arn:aws:iam::<acct>:root`, or a service/federated id. */
  arn: string;
  kind: 'user' | 'role' | 'root' | 'service' | 'federated' | 'anonymous';
  accountId?: string;
  /** The principal's tags (`aws:PrincipalTag/<key>`). */
  tags?: Tags;
  /** `aws:userid`: `AIDA…` for users, `AROA…:<session name>` for role sessions. */
  userId?: string;
  /** `aws:username` (IAM users only). */
  username?: string;
  /** `aws:PrincipalOrgID` and `aws:PrincipalOrgPaths`, when the organization was collected. */
  orgId?: string;
  orgPaths?: string[];
  /** For a role: the session ARN (`arn:aws:sts::<acct>:assumed-role/<role>/<session>`) when known. */
  sessionArn?: string;
  /** Service-linked roles are not restricted by SCPs. */
  serviceLinked?: boolean;
  /** For service principals: `lambda.amazonaws.com` etc. For federated: the provider ARN or domain. */
  service?: string;
  /** For a role: the longest session it gives (`aws:TokenIssueTime` lies within it), in seconds. */
  maxSessionSeconds?: number;
}

export interface RequestResource {
  /** The resource ARN, or `*` for actions that take no resource. */
  arn: string;
  accountId?: string;
  tags?: Tags;
}

/**
 * Condition keys whose values are known for this request (`iam:PassedToService`,
 * `token.actions.githubusercontent.com:sub`, …). Keys derivable from the principal and resource
 * (aws:PrincipalArn, aws:PrincipalAccount, aws:PrincipalTag/*, aws:ResourceTag/*, aws:username,
 * aws:userid, aws:PrincipalOrgID, aws:ResourceAccount, …) are filled in by the engine. A key set to
 * `null` is known to be absent. Any other key is unknown offline: a statement whose outcome
 * depends on it is *conditional*.
 */
export type ContextValues = Record<string, string[] | null>;

export interface Request {
  principal: RequestPrincipal;
  /** `service:Action`, case as the caller likes (matching is case-insensitive). */
  action: string;
  resource: RequestResource;
  context?: ContextValues;
  /**
   * The analysis time: decides `aws:CurrentTime`, `aws:EpochTime` and bounds
   * `aws:TokenIssueTime`. Without it those keys are unknown offline.
   */
  asOf?: Date;
}

/** A condition that decides whether a statement applies but cannot be decided offline. */
export interface UndecidedCondition {
  /** The operator as written, e.g. `Bool`, `IpAddress`, `ForAnyValue:StringLike`. */
  operator: string;
  key: string;
  values: string[];
}

/** A statement that took part in the decision. */
export interface StatementMatch {
  policyId: string;
  policyName: string;
  policyKind: NamedPolicy['kind'];
  /** The Sid, else `#<index>`. */
  statement: string;
  effect: 'Allow' | 'Deny';
  /** Non-empty when the statement applies only if these undecided conditions hold. */
  conditions: UndecidedCondition[];
}

/**
 * `allow`: allowed whatever the unknown context. `conditional`: allowed only if the undecided
 * conditions hold (they are listed). `explicit-deny`: a Deny applies unconditionally.
 * `implicit-deny`: nothing allows it (or a required layer — SCP, RCP, boundary, session policy,
 * trust or key policy — does not).
 */
export type Outcome = 'allow' | 'conditional' | 'explicit-deny' | 'implicit-deny';

export interface Decision {
  outcome: Outcome;
  /** The Allow statements that grant the request (identity and/or resource side). */
  allowedBy: StatementMatch[];
  /** Deny statements that apply, unconditionally or (when the outcome is conditional) conditionally. */
  deniedBy: StatementMatch[];
  /** Undecided conditions on the path to `allow` (Allow conditions, and Deny conditions that must be false). */
  conditions: UndecidedCondition[];
  /** One line a person can read: what allowed or blocked it. */
  reason: string;
  /** Problems met while evaluating (an unknown action, an unresolvable variable…). */
  warnings: string[];
  /**
   * Not allowed at the analysis time, but from this instant (ISO 8601) on, by an Allow whose date
   * condition starts then (with an `implicit-deny` outcome).
   */
  notBefore?: string;
  /**
   * Values of caller-chosen keys (`aws:SecureTransport`, `aws:RequestTag/…`) under which the
   * outcome holds; `null` is a key left out of the request.
   */
  chosen?: ContextValues;
}

/** Every policy AWS consults for one request. Layers left undefined are absent (they do not restrict). */
export interface PolicySet {
  /** The principal's own policies: inline, attached managed, and its groups' policies. */
  identityPolicies: NamedPolicy[];
  /** The resource's policy (bucket, key, secret, function policy; a role's trust policy for sts:AssumeRole*). */
  resourcePolicy?: NamedPolicy;
  permissionsBoundary?: NamedPolicy;
  sessionPolicies?: NamedPolicy[];
  /** SCPs per level of the principal account's path (root, each OU, the account): every level must allow. */
  serviceControlPolicies?: NamedPolicy[][];
  /** RCPs per level of the resource account's path: every level must allow. */
  resourceControlPolicies?: NamedPolicy[][];
  /**
   * The resource policy must allow by itself, even within one account (role trust policies,
   * KMS key policies): identity policies alone are not enough.
   */
  resourcePolicyRequired?: boolean;
}
