import type { AwsResourceData, AwsRoleData } from '../../../../model/aws/environment.js';
import { type Statement, statementLabel } from '../../../../model/aws/policy.js';
import type { Evidence } from '../../../../model/evidence.js';
import { PASSROLE_DOC, pathfinding, roleTarget } from '../builders.js';
import { type EscalationContext, permits } from '../context.js';
import type { EscalationFinding, EscalationTechnique, RequiredDecision } from '../types.js';

const COGNITO = 'cognito-identity.amazonaws.com';
/** An id no collected pool has: a trust whose `aud` condition admits it admits any new pool. */
const NEW_POOL = 'us-east-1:00000000-0000-0000-0000-000000000000';
/** The document whose presence says the account's identity pools were collected. */
const POOLS = 'cognito-identity-list-identity-pools';

/**
 * Binding a role to the unauthenticated slot of an identity pool turns the pool into a public
 * credential vendor: anyone calls GetId + GetOpenIdToken and AssumeRoleWithWebIdentity.
 * The role trusts Cognito as a web identity (`Federated`) provider, not as a service, so the roles
 * are found by their trust statement. When the account's identity pools were collected, the pool
 * is decided: one the principal may bind roles to, that allows unauthenticated identities (or that
 * the principal may make allow them) and whose token (`aud` = its id, `amr` = unauthenticated) the
 * role's trust admits; else a new pool, when the trust admits any pool's token. When they were not
 * collected, such a pool is stated as required.
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
    const candidates = ctx.run.rolesNamingProvider(ctx.principal.accountId, COGNITO);
    const passable = ctx.passable(candidates, COGNITO);
    if (passable.length === 0) return [];
    const pools = ctx.collectedResources('cognito-identity-pool', POOLS);
    if (pools) return passable.flatMap((p) => throughCollectedPool(ctx, p, pools));
    const set = ctx.somewhereAll(['cognito-identity:SetIdentityPoolRoles']);
    if (!set) return [];
    return passable.map(({ role, statement, pass }) => ({
      target: roleTarget(role),
      self: false,
      reason: `can bind role ${role.name} to the unauthenticated identities of a Cognito identity pool and obtain its credentials`,
      decisions: [{ label: `iam:PassRole on ${role.name} to ${COGNITO}`, decision: pass }, ...set],
      evidence: [trustEvidence(role, statement)],
      requires: [
        `a Cognito identity pool with unauthenticated identities that the trust policy of ${role.name} admits`,
      ],
    }));
  },
};

function trustEvidence(role: AwsRoleData, statement: Statement): Evidence {
  return {
    source: 'trust-policy',
    ref: role.trustPolicy.id,
    statement: statementLabel(statement),
    reason: `trust policy of ${role.name} admits ${COGNITO} identities (sts:AssumeRoleWithWebIdentity)`,
  };
}

/** Does the role's trust admit the unauthenticated identities of a pool with this id? */
function admitsPool(ctx: EscalationContext, role: AwsRoleData, poolId: string) {
  const decision = ctx.authorizer.evaluate(`external:${COGNITO}`, 'sts:AssumeRoleWithWebIdentity', role.arn, {
    [`${COGNITO}:aud`]: [poolId],
    [`${COGNITO}:amr`]: ['unauthenticated'],
  });
  return permits(decision) ? decision : undefined;
}

/** Through a collected pool of the account (the first that works), or a new pool when the trust admits any. */
function throughCollectedPool(
  ctx: EscalationContext,
  { role, statement, pass }: { role: AwsRoleData; statement: Statement; pass: RequiredDecision['decision'] },
  pools: AwsResourceData[],
): EscalationFinding[] {
  const passing = { label: `iam:PassRole on ${role.name} to ${COGNITO}`, decision: pass };
  for (const pool of pools) {
    const id = String(pool.attributes?.identityPoolId ?? '');
    const trust = admitsPool(ctx, role, id);
    if (!trust) continue;
    const set = ctx.allowed('cognito-identity:SetIdentityPoolRoles', pool.arn);
    if (!set) continue;
    const open = pool.attributes?.allowUnauthenticatedIdentities === true;
    const update = open ? undefined : ctx.allowed('cognito-identity:UpdateIdentityPool', pool.arn);
    if (!open && !update) continue;
    return [
      {
        target: roleTarget(role),
        self: false,
        reason: `can bind role ${role.name} to the unauthenticated identities of Cognito identity pool ${pool.name}${
          open ? '' : ' (after allowing them with UpdateIdentityPool)'
        } and obtain its credentials`,
        decisions: [
          passing,
          { label: `cognito-identity:SetIdentityPoolRoles on ${pool.name}`, decision: set },
          ...(update
            ? [{ label: `cognito-identity:UpdateIdentityPool on ${pool.name}`, decision: update }]
            : []),
          {
            label: `trust policy of ${role.name} admits unauthenticated identities of ${pool.name}`,
            decision: trust,
          },
        ],
        evidence: [
          trustEvidence(role, statement),
          {
            source: 'iam-binding',
            ref: pool.arn,
            reason: `Cognito identity pool ${pool.name} ${open ? 'allows' : 'can be made to allow'} unauthenticated identities`,
          },
        ],
      },
    ];
  }
  // A new pool: its id is not known in advance, so only a trust that admits any pool's token works.
  const create = ctx.somewhereAll([
    'cognito-identity:CreateIdentityPool',
    'cognito-identity:SetIdentityPoolRoles',
  ]);
  const trust = create && admitsPool(ctx, role, NEW_POOL);
  if (!create || !trust) return [];
  return [
    {
      target: roleTarget(role),
      self: false,
      reason: `can create a Cognito identity pool with unauthenticated identities, bind role ${role.name} to them and obtain its credentials (the trust admits any pool)`,
      decisions: [
        passing,
        ...create,
        { label: `trust policy of ${role.name} admits any identity pool`, decision: trust },
      ],
      evidence: [trustEvidence(role, statement)],
    },
  ];
}
