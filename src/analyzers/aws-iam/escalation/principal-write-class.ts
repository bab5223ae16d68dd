import type { Decision } from '../engine/types.js';
import type { EscalationContext, PrincipalClass } from './context.js';
import { MIN_SHARED } from './grant-hubs.js';
import { sameDecision } from './pass-role-class.js';
import type { ProductClass, RequiredDecision } from './types.js';

/**
 * IAM writes on other principals (rewrite a role's trust, create a user's access key or console
 * password) as products. AWS decides such a write per principal: the caller's identity policies,
 * boundary and SCPs, with the user's or role's ARN as the resource
 * (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_evaluation-logic.html,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awsidentityandaccessmanagementiam.html).
 * The analysis takes that decision for each principal (`EscalationContext.iamTargets`); this
 * compares the results. The class is every user or role of the caller's account that the caller's
 * Resource patterns for the action name and the technique applies to (not service-linked, fewer
 * than two keys, …: facts of the target alone), so it is the same for every caller with those
 * patterns. The caller's decision is the class's only when the write is allowed on every
 * principal of the class but the caller itself (a Deny on one, a boundary or a `iam:ResourceTag`
 * condition that leaves one out, differ) and each decision has the same outcome, Allow and Deny
 * statements and undecided conditions (a conditional Deny on one, a second statement naming one,
 * differ). Then one decision, stated once, stands for every target; otherwise each pair names its
 * target. The caller, when it is in the class, is not its own target (the product leaves it out,
 * grant-hubs.ts).
 */

export interface PrincipalWrites {
  /** Every principal of the kind the write is allowed on and the technique applies to, with its decision. */
  writes: { arn: string; decision: Decision }[];
  /** The caller's decision for the whole class, when it is the same for every principal of it. */
  shared?: { decision: RequiredDecision; class: PrincipalClass };
}

export function principalWrites(
  ctx: EscalationContext,
  action: string,
  kind: 'user' | 'role',
  /** What the technique requires of the target, named (the class's cache key) and as a test. */
  applies: { filter: string; words: string; keeps: (arn: string) => boolean },
): PrincipalWrites {
  const writes = ctx.iamTargets(action, kind).filter(({ arn }) => applies.keeps(arn));
  if (writes.length === 0) return { writes };
  const self = ctx.principal.id;
  const patterns = ctx.authorizer.resourcePatterns(self, action);
  const cls = ctx.run.principalClass(ctx.account, kind, patterns, applies.filter, applies.keeps);
  const others = writes.filter(({ arn }) => arn !== self);
  const classOthers = cls.targets.length - (cls.targets.includes(self) ? 1 : 0);
  // iamTargets enumerates the ARNs these patterns name, so its writes are within the class: one
  // for each principal of it (but the caller) means none is left out.
  if (others.length !== classOthers || classOthers < MIN_SHARED) return { writes };
  const decision = sameDecision(others.map((w) => w.decision));
  if (!decision) return { writes };
  return {
    writes,
    shared: {
      decision: {
        label: `${action} on every ${kind} of account ${ctx.account.accountId} matching ${cls.patterns.join(' or ')}${applies.words ? ` ${applies.words}` : ''}`,
        decision,
      },
      class: cls,
    },
  };
}

const products = new WeakMap<PrincipalClass, Map<string, ProductClass>>();

/** The product class of a technique over a principal class (the source's reason is the technique's), once per pair. */
export function writeProduct(cls: PrincipalClass, technique: string, sourceReason: string): ProductClass {
  let byTechnique = products.get(cls);
  if (!byTechnique) {
    byTechnique = new Map();
    products.set(cls, byTechnique);
  }
  let product = byTechnique.get(technique);
  if (!product) {
    product = { key: cls.key, name: cls.name, targets: cls.targets, sourceReason, targetDecisions: [] };
    byTechnique.set(technique, product);
  }
  return product;
}
