export type * from '../../../model/kubernetes/rbac.js';
export { type EffectiveRule, effectiveClusterRoleRules } from './aggregation.js';
export { type DanglingBinding, type Decision, RbacAuthorizer } from './authorizer.js';
export { covers, uncovered } from './covers.js';
export { ruleAllows } from './match.js';
export { selects } from './selector.js';
export * from './subjects.js';
