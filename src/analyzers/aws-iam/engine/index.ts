/**
 * The AWS IAM policy engine: pure evaluation of one request against the policies AWS would
 * consult, plus the building blocks (matching, variables, conditions) callers reuse for indexing.
 * See docs/aws-policy-evaluation.md.
 */

export * from '../catalog.js';
export { evaluateCondition, evaluateConditionBlock } from './conditions.js';
export { RequestContext } from './context.js';
export { evaluate } from './evaluate.js';
export { notPrincipalExcludes, principalMatch, principalMatches } from './principal.js';
export { statementMatchesAction } from './statement.js';
export type * from './types.js';
export { resolvePolicyVariables } from './variables.js';
export { actionMatches, arnMatches, globMatches } from './wildcard.js';
