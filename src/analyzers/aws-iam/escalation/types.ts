import type { PolicyDocument } from '../../../model/aws/policy.js';
import type { Evidence } from '../../../model/evidence.js';
import type { Decision } from '../engine/types.js';
import type { EscalationContext } from './context.js';

/**
 * The vocabulary of privilege-escalation techniques, each a declaration whose `find` returns what
 * one principal can gain with it: the rows of the pattern tables under `techniques/` (built by
 * `builders.ts`), and one file per technique with logic of its own.
 */

/** pathfinding.cloud's categories (https://pathfinding.cloud). */
export const ESCALATION_CATEGORIES = [
  'self-escalation',
  'principal-access',
  'new-passrole',
  'existing-passrole',
  'credential-access',
] as const;
export type EscalationCategory = (typeof ESCALATION_CATEGORIES)[number];

export interface EscalationReference {
  title: string;
  url: string;
}

/**
 * A change to one principal's permissions whose outcome decides whether a finding holds:
 * "would the principal be administrator if …". The authorizer re-runs its administrator check on
 * the principal's policy set with the change applied, so boundaries and SCPs still apply (a principal fenced by a boundary or an SCP does
 * not become administrator by attaching AdministratorAccess).
 */
export interface PermissionChange {
  /** The principal gains an `Allow * on *` policy (it can write or attach any policy). */
  grantAll?: boolean;
  /** A managed policy's document is replaced (SetDefaultPolicyVersion). */
  replacePolicy?: { policyId: string; document: PolicyDocument };
  /** The user joins these groups. */
  addGroups?: string[];
  /** The permissions boundary is removed (or replaced by one that allows everything). */
  dropBoundary?: boolean;
  /** These policies (managed ARNs or inline ids) are removed. */
  dropPolicies?: string[];
}

export interface AdminHypothesis {
  /** The principal whose permissions change (the source itself, or a principal it controls). */
  principalId: string;
  change: PermissionChange;
  /** What the change is, for the reason: "attaching any policy to itself". */
  summary: string;
}

/** Something a technique needs that the collected data shows is absent, and how it is created. */
export interface Prerequisite {
  /** What it is, for the reason: "an instance profile holding role app". */
  what: string;
  /** Actions that create it, each needed somewhere in the principal's account. */
  createdWith: string[];
}

/** One decision the technique relies on, named for the evidence. */
export interface RequiredDecision {
  /** What the decision is about: `iam:PassRole on role/x`. */
  label: string;
  decision: Decision;
}

export type EscalationTarget =
  | { kind: 'principal'; id: string; nodeKind: 'AwsUser' | 'AwsRole' }
  | { kind: 'account'; accountId: string };

/** What one principal can gain with one technique. */
export interface EscalationFinding {
  target: EscalationTarget;
  /** True when the source escalates its own permissions (edge to its account). */
  self: boolean;
  /** One line: how. */
  reason: string;
  /** Every decision the technique needs (each must allow, possibly under conditions). */
  decisions: RequiredDecision[];
  /** Further evidence that is not a decision of the source (a collected resource's role, …). */
  evidence?: Evidence[];
  /**
   * What must exist for the technique to work and the collected data cannot tell about (the list
   * of such resources was not collected): the edge holds only if it exists, so it is conditional on
   * PREREQUISITE_CONDITION_KEY and names it.
   */
  requires?: string[];
  /**
   * What must exist and the collected data shows is absent: the finding holds only when the
   * principal can also create it (prerequisites.ts), and then its creation is a step of it.
   */
  missing?: Prerequisite[];
  /** For account targets: the change must make the principal administrator, else no finding. */
  ifAdmin?: AdminHypothesis;
  /** The finding is one pair of a product of the source's decisions × a class of targets. */
  product?: ProductClass;
}

/**
 * A class of targets a technique reaches alike from every source (the roles of an account that
 * trust a service): the finding's `decisions` minus `targetDecisions` are the source's alone and
 * the same for every target of the class; `targetDecisions`, `reason`, `requires` and `evidence`
 * are the target's alone and the same for every source. Sources that reach the whole class
 * through it share one Grant hub (grant-hubs.ts).
 */
export interface ProductClass {
  /** What the class is, the same for every source: account and service. */
  key: string;
  /** In words, for the hub's name: "roles of account 111111111111 trusting lambda.amazonaws.com". */
  name: string;
  /** Every target of the class, by id. */
  targets: readonly string[];
  /** The source's side of the reason: what it can do to any target of the class. */
  sourceReason: string;
  /** The decisions about the target alone (the other decisions are the source's). */
  targetDecisions: readonly RequiredDecision[];
}

export interface EscalationTechnique {
  /** pathfinding.cloud id where one exists (`iam-001`), else a readable slug. */
  id: string;
  /** A readable slug, e.g. `iam-createpolicyversion`. */
  slug: string;
  /** Other catalogue ids describing the same technique (e.g. `sts-004` for `iam-012`). */
  aliases?: string[];
  name: string;
  category: EscalationCategory;
  /** MITRE ATT&CK technique id. */
  attack: string;
  description: string;
  references: EscalationReference[];
  /** Actions the source must have; a principal that cannot have all of them is skipped cheaply. */
  requiredActions: string[];
  /**
   * Those of `requiredActions` any principal the attacker controls may perform instead of the
   * source (invoking the function the source created): such techniques are also decided over the
   * principals an attacker controls together (teams.ts).
   */
  anyControlled?: string[];
  find(ctx: EscalationContext): EscalationFinding[];
}
