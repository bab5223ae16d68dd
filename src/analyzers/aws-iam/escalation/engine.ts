// The policy engine and authorizer entry points the escalation analysis uses, in one place.
export { type EnvironmentAuthorizer, servicePrincipalId } from '../authorizer/index.js';
export { actionMatches, arnMatches } from '../engine/index.js';
