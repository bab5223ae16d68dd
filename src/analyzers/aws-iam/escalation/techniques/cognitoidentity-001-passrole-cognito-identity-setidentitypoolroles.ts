import { statementLabel } from '../../../../model/aws/policy.js';
import { PASSROLE_DOC, pathfinding, roleTarget } from '../builders.js';
import type { EscalationTechnique } from '../types.js';

const COGNITO = 'cognito-identity.amazonaws.com';

/**
 * Binding a role to the unauthenticated slot of an identity pool turns the pool into a public
 * credential vendor: anyone calls GetId + GetOpenIdToken and AssumeRoleWithWebIdentity.
 * The role trusts Cognito as a web identity (`Federated`) provider, not as a service, so the roles
 * are found by their trust statement; which pool that statement admits (its
 * `cognito-identity.amazonaws.com:aud` condition) is not collected and is stated as required.
 * https://docs.aws.amazon.com/cognito/latest/developerguide/role-based-access-control.html
 */
export const cognitoidentity001PassRole: EscalationTechnique = {
  id: 'cognitoidentity-001',
  slug: 'iam-passrole-cognito-identity-setidentitypoolroles',
  name: 'iam:PassRole + cognito-identity:SetIdentityPoolRoles',
  category: 'new-passrole',
  attack: 'T1078.004',
  description:
    "Binds a role that trusts cognito-identity.amazonaws.com to the unauthenticated identities of an identity pool, then obtains the role's credentials from Cognito without signing in.",
  references: [
    pathfinding('cognitoidentity-001'),
    PASSROLE_DOC,
    {
      title: 'Hacking the Cloud: overpermissioned Cognito identity pools',
      url: 'https://hackingthe.cloud/aws/exploitation/cognito_identity_pool_excessive_privileges/',
    },
  ],
  requiredActions: ['iam:PassRole', 'cognito-identity:SetIdentityPoolRoles'],
  find(ctx) {
    const set = ctx.somewhereAll(['cognito-identity:SetIdentityPoolRoles']);
    if (!set) return [];
    const candidates = ctx.run.rolesNamingProvider(ctx.principal.accountId, COGNITO);
    return ctx.passable(candidates, COGNITO).map(({ role, statement, pass }) => ({
      target: roleTarget(role),
      self: false,
      reason: `can bind role ${role.name} to the unauthenticated identities of a Cognito identity pool and obtain its credentials`,
      decisions: [{ label: `iam:PassRole on ${role.name} to ${COGNITO}`, decision: pass }, ...set],
      evidence: [
        {
          source: 'trust-policy',
          ref: role.trustPolicy.id,
          statement: statementLabel(statement),
          reason: `trust policy of ${role.name} admits ${COGNITO} identities (sts:AssumeRoleWithWebIdentity)`,
        },
      ],
      requires: [
        `a Cognito identity pool with unauthenticated identities that the trust policy of ${role.name} admits`,
      ],
    }));
  },
};
