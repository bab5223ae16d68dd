/**
 * The AWS IAM policy engine: pure evaluation of one request against the policies AWS would
 * consult, plus the building blocks (matching, variables, conditions) callers reuse for indexing.
 * See docs/aws-policy-evaluation.md.
 */

export type { PolicyDocumentKind } from '../../../model/aws/policy.js';
export { PolicyParseError, parsePolicyDocument } from '../../../model/aws/policy-parser.js';
export * from '../catalog.js';
export {
  type ConditionOutcome,
  evaluateCondition,
  evaluateConditionBlock,
  parseOperator,
} from './conditions.js';
export { DERIVED_CONTEXT_KEYS, RequestContext } from './context.js';
export { evaluate } from './evaluate.js';
export { ipInCidr } from './ip.js';
export { notPrincipalExcludes, type PrincipalMatch, principalMatch, principalMatches } from './principal.js';
export {
  evaluateStatement,
  type StatementEvaluation,
  type StatementOptions,
  statementMatchesAction,
} from './statement.js';
export type * from './types.js';
export { resolvePolicyVariables } from './variables.js';
export { actionMatches, arnMatches, globMatches } from './wildcard.js';
