import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { AwsResourceData, AwsRoleData } from '../../../model/aws/environment.js';
import type { Evidence } from '../../../model/evidence.js';
import { PUBLIC_AWS } from '../authorizer/principal-ids.js';
import { statementMatchesAction } from '../engine/index.js';
import type { ContextValues, Decision, StatementMatch } from '../engine/types.js';
import type { DerivedEdge, EdgeFamily } from '../types.js';
import { conditionalProperties, evidenceFrom, isGranted } from './evidence.js';
import { edge, NodeSet, publicNode, scopeOf } from './nodes.js';

export const COGNITO_IDENTITY = 'cognito-identity.amazonaws.com';
const WEB_IDENTITY = 'sts:AssumeRoleWithWebIdentity';

/**
 * Login providers anyone can hold an account with: a pool that accepts one gives anyone an
 * authenticated identity (https://docs.aws.amazon.com/cognito/latest/developerguide/external-identity-providers.html).
 */
const PUBLIC_LOGIN_PROVIDERS = new Set([
  'accounts.google.com',
  'graph.facebook.com',
  'www.amazon.com',
  'appleid.apple.com',
  'api.twitter.com',
]);

/**
 * FEDERATES_TO from anyone (the Public node) to a role that Cognito identity pools hand out to
 * identities anyone can obtain. A role trusts Cognito as a web identity provider
 * (`Federated: cognito-identity.amazonaws.com`); Cognito issues a token whose `aud` is the identity
 * pool id and whose `amr` says `unauthenticated` or `authenticated` plus the login provider
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/role-trust-and-permissions.html).
 *
 * - Unauthenticated identities exist when the pool allows them (`AllowUnauthenticatedIdentities`):
 *   anyone calls GetId and GetCredentialsForIdentity with the pool id.
 * - Authenticated identities are anyone's when a login provider lets anyone in: a Cognito user
 *   pool with self sign-up (`AdminCreateUserConfig.AllowAdminCreateUserOnly` false) or a public
 *   social provider.
 * - Which roles: in the enhanced (default) flow, the pool's role for that kind of identity (and,
 *   for authenticated ones, the roles of its rule-based mappings); in the basic (classic) flow,
 *   when the pool allows it (`AllowClassicFlow`), any role whose trust admits the pool's token,
 *   since the caller passes the token to sts:AssumeRoleWithWebIdentity itself
 *   (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html).
 *
 * The role's trust policy is evaluated with the token's `aud` and `amr`: a role the pool names but
 * whose trust does not admit the pool is no edge. Only collected pools are known: a trust naming
 * a pool that was not collected gives no edge (FEDERATES_TO leaves Cognito trusts to this family).
 */
export const cognitoIdentityPools: EdgeFamily = {
  name: 'cognito-identity-pools',
  emits: ['FEDERATES_TO'],
  description:
    'Anyone can obtain a role’s credentials through a Cognito identity pool: the pool allows unauthenticated identities, or accepts a login provider anyone can sign up to (a user pool with self sign-up, a public social provider), hands out the role (enhanced flow) or allows the basic flow, and the role’s trust policy admits the pool’s token (aud = the pool id, amr = unauthenticated or authenticated).',
  derive(authorizer) {
    const nodes = new NodeSet();
    const edges: DerivedEdge[] = [];
    const findings: AnalysisFinding[] = [];
    const pools = authorizer.resources('cognito-identity-pool');
    if (pools.length === 0) return { edges, nodes: [], findings };
    const userPools = new Map(
      authorizer.resources('cognito-user-pool').map((p) => [providerName(p), p] as const),
    );
    for (const account of authorizer.environment.accounts) {
      for (const role of account.roles) {
        if (!trustsCognito(role)) continue;
        for (const pool of pools) {
          for (const access of publicAccess(pool, userPools)) {
            if (!handsOut(pool, role, access.kind)) continue;
            const decision = authorizer.evaluate(
              `external:${COGNITO_IDENTITY}`,
              WEB_IDENTITY,
              role.arn,
              access.context,
            );
            if (!isGranted(decision)) continue;
            nodes.add(publicNode());
            const e = publicEdge(role, pool, access, decision);
            edges.push(e);
            findings.push(finding(role, pool, access, decision, e.evidence));
          }
        }
      }
    }
    return { edges, nodes: nodes.list(), findings };
  },
};

/** Does a trust policy admit Cognito web identities at all? */
export function trustsCognito(role: AwsRoleData): boolean {
  return role.trustPolicy.document.Statement.some(
    (s) =>
      s.Effect === 'Allow' &&
      s.Principal !== undefined &&
      s.Principal !== '*' &&
      (s.Principal.Federated ?? []).includes(COGNITO_IDENTITY) &&
      statementMatchesAction(s, WEB_IDENTITY),
  );
}

interface PublicAccess {
  kind: 'unauthenticated' | 'authenticated';
  /** Who can become such an identity, for the reason. */
  who: string;
  context: ContextValues;
  /** The user pool that lets anyone sign up, when that is how. */
  userPool?: AwsResourceData;
}

/** `cognito-idp.<region>.amazonaws.com/<user pool id>`: how identity pools name a user pool provider. */
function providerName(userPool: AwsResourceData): string {
  return `cognito-idp.${userPool.region}.amazonaws.com/${String(userPool.attributes?.userPoolId)}`;
}

const strings = (value: unknown): string[] => (Array.isArray(value) ? (value as string[]) : []);

/** The kinds of identity of a pool that anyone can obtain, with the token claims each carries. */
function publicAccess(pool: AwsResourceData, userPools: Map<string, AwsResourceData>): PublicAccess[] {
  const a = pool.attributes ?? {};
  const id = String(a.identityPoolId);
  const aud = { [`${COGNITO_IDENTITY}:aud`]: [id] };
  const out: PublicAccess[] = [];
  if (a.allowUnauthenticatedIdentities === true)
    out.push({
      kind: 'unauthenticated',
      who: 'anyone (the pool allows unauthenticated identities)',
      context: { ...aud, [`${COGNITO_IDENTITY}:amr`]: ['unauthenticated'] },
    });
  for (const provider of strings(a.userPoolProviders)) {
    const userPool = userPools.get(provider);
    if (userPool?.attributes?.selfSignUp !== true) continue;
    out.push({
      kind: 'authenticated',
      who: `anyone who signs up to user pool ${userPool.name} (self sign-up is on)`,
      context: { ...aud, [`${COGNITO_IDENTITY}:amr`]: ['authenticated', provider] },
      userPool,
    });
  }
  for (const provider of strings(a.loginProviders)) {
    if (!PUBLIC_LOGIN_PROVIDERS.has(provider)) continue;
    out.push({
      kind: 'authenticated',
      who: `anyone with a ${provider} account`,
      context: { ...aud, [`${COGNITO_IDENTITY}:amr`]: ['authenticated', provider] },
    });
  }
  return out;
}

/** Does the pool give identities of this kind the role? */
function handsOut(pool: AwsResourceData, role: AwsRoleData, kind: PublicAccess['kind']): boolean {
  const a = pool.attributes ?? {};
  if (a.allowClassicFlow === true) return true;
  if (kind === 'unauthenticated') return a.unauthenticatedRole === role.arn;
  return a.authenticatedRole === role.arn || strings(a.ruleRoles).includes(role.arn);
}

function flowOf(pool: AwsResourceData, role: AwsRoleData, kind: PublicAccess['kind']): string {
  const a = pool.attributes ?? {};
  const named =
    kind === 'unauthenticated'
      ? a.unauthenticatedRole === role.arn
      : a.authenticatedRole === role.arn || strings(a.ruleRoles).includes(role.arn);
  if (named) {
    const scoped =
      kind === 'unauthenticated'
        ? ' (in the enhanced flow Cognito scopes these credentials down with AmazonCognitoUnAuthedIdentitiesSessionPolicy)'
        : '';
    return `gives its ${kind} identities role ${role.name}${scoped}`;
  }
  return `allows the basic (classic) flow, in which its ${kind} identities assume any role whose trust admits the pool`;
}

function publicEdge(
  role: AwsRoleData,
  pool: AwsResourceData,
  access: PublicAccess,
  decision: Decision,
): DerivedEdge {
  const describe = (m: StatementMatch) =>
    `trust policy of role ${role.name} (statement ${m.statement}) admits ${access.kind} identities of Cognito identity pool ${pool.name}`;
  const evidence: Evidence[] = [
    ...evidenceFrom(decision, describe),
    {
      source: 'iam-binding',
      ref: pool.arn,
      reason: `Cognito identity pool ${pool.name} ${flowOf(pool, role, access.kind)}; ${access.kind} identities: ${access.who}`,
    },
  ];
  if (access.userPool)
    evidence.push({
      source: 'iam-binding',
      ref: access.userPool.arn,
      reason: `user pool ${access.userPool.name} lets users sign themselves up (AllowAdminCreateUserOnly is false)`,
    });
  return edge({
    type: 'FEDERATES_TO',
    from: PUBLIC_AWS,
    fromKind: 'Public',
    to: role.arn,
    toKind: 'AwsRole',
    scope: scopeOf(role.accountId),
    properties: conditionalProperties([decision]),
    evidence,
  });
}

function finding(
  role: AwsRoleData,
  pool: AwsResourceData,
  access: PublicAccess,
  decision: Decision,
  evidence: Evidence[],
): AnalysisFinding {
  return {
    rule: 'aws-role-public-through-cognito',
    severity: decision.outcome === 'allow' ? 'high' : 'medium',
    subject: role.arn,
    message: `role ${role.name}: ${access.who} can obtain its credentials through Cognito identity pool ${pool.name} (${access.kind} identities)${
      decision.outcome === 'conditional' ? ' under conditions that cannot be checked offline' : ''
    }`,
    evidence,
  };
}
