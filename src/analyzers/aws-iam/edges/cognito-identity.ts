import type { AnalysisFinding } from '../../../model/analysis-flags.js';
import type { AwsResourceData, AwsRoleData } from '../../../model/aws/environment.js';
import type { NamedPolicy } from '../../../model/aws/policy.js';
import { parsePolicyDocument } from '../../../model/aws/policy-parser.js';
import type { Evidence } from '../../../model/evidence.js';
import { PUBLIC_AWS } from '../authorizer/principal-ids.js';
import { statementMatchesAction } from '../engine/index.js';
import type { ContextValues, Decision, StatementMatch } from '../engine/types.js';
import { type WhatIfBase, WhatIfView } from '../escalation/what-if-view.js';
import type { Authorizer, DerivedEdge, EdgeFamily } from '../types.js';
import { canAccess } from './can-access.js';
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
 * The session policy Cognito adds to the credentials of unauthenticated identities in the enhanced
 * flow, whatever the role's own policies allow: the credentials can do only what both allow
 * (https://docs.aws.amazon.com/cognito/latest/developerguide/iam-roles.html, "Access policies";
 * the policy, version 3: https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AmazonCognitoUnAuthedIdentitiesSessionPolicy.html).
 * The basic (classic) flow adds none.
 */
export const UNAUTHENTICATED_SCOPE_DOWN: NamedPolicy = {
  id: 'arn:aws:iam::aws:policy/AmazonCognitoUnAuthedIdentitiesSessionPolicy',
  name: 'AmazonCognitoUnAuthedIdentitiesSessionPolicy',
  kind: 'aws-managed',
  document: parsePolicyDocument(
    {
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'CognitoUnAuthedIdentitiesSessionPolicy',
          Effect: 'Allow',
          Action: [
            'rum:PutRumEvents',
            'sagemaker:InvokeEndpoint',
            'polly:*',
            'comprehend:*',
            'translate:*',
            'transcribe:*',
            'rekognition:*',
            'mobiletargeting:*',
            'firehose:*',
            'personalize:*',
            'geo:GetMap*',
            'geo:SearchPlaceIndex*',
            'geo:GetPlace',
            'geo:CalculateRoute*',
            'geo:*Geofence',
            'geo:*Geofences',
            'geo:*DevicePosition*',
            'kms:Encrypt',
            'kms:Decrypt',
            'kms:ReEncryptTo',
            'kms:ReEncryptFrom',
            'kms:GenerateDataKey',
            'kms:GenerateDataKeyPair',
            'kms:GenerateDataKeyPairWithoutPlaintext',
            'kms:GenerateDataKeyWithoutPlaintext',
          ],
          Resource: '*',
        },
      ],
    },
    'AmazonCognitoUnAuthedIdentitiesSessionPolicy',
  ),
};

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
 * Unauthenticated identities in the enhanced flow get credentials scoped down by
 * `UNAUTHENTICATED_SCOPE_DOWN`: anyone does not hold the role, only what the role and the session
 * policy both allow. Such a role gives no FEDERATES_TO edge but CAN_ACCESS edges from the Public
 * node, the role's access decided with the session policy, their evidence naming the pool, the
 * role's trust, the scope-down and the role's grants. When the pool allows the basic flow, anyone
 * gets the role unscoped that way (GetOpenIdToken, then sts:AssumeRoleWithWebIdentity): a
 * FEDERATES_TO edge, as for authenticated identities (which no session policy limits).
 *
 * The role's trust policy is evaluated with the token's `aud` and `amr`: a role the pool names but
 * whose trust does not admit the pool is no edge. Only collected pools are known: a trust naming
 * a pool that was not collected gives no edge (FEDERATES_TO leaves Cognito trusts to this family).
 */
export const cognitoIdentityPools: EdgeFamily = {
  name: 'cognito-identity-pools',
  emits: ['FEDERATES_TO', 'CAN_ACCESS'],
  description:
    'Anyone can obtain a role’s credentials through a Cognito identity pool: the pool allows unauthenticated identities, or accepts a login provider anyone can sign up to (a user pool with self sign-up, a public social provider), hands out the role (enhanced flow) or allows the basic flow, and the role’s trust policy admits the pool’s token (aud = the pool id, amr = unauthenticated or authenticated). Unauthenticated identities in the enhanced flow hold only what the role and Cognito’s scope-down session policy (AmazonCognitoUnAuthedIdentitiesSessionPolicy) both allow: their access is CAN_ACCESS from the Public node, with no FEDERATES_TO edge; the basic flow adds no scope-down.',
  derive(authorizer) {
    const nodes = new NodeSet();
    const edges: DerivedEdge[] = [];
    const findings: AnalysisFinding[] = [];
    const pools = authorizer.resources('cognito-identity-pool');
    if (pools.length === 0) return { edges, nodes: [], findings };
    const userPools = new Map(
      authorizer.resources('cognito-user-pool').map((p) => [providerName(p), p] as const),
    );
    const scoped = new ScopedAccess(authorizer);
    for (const account of authorizer.environment.accounts) {
      for (const role of account.roles) {
        if (!trustsCognito(role)) continue;
        for (const pool of pools) {
          for (const access of publicAccess(pool, userPools)) {
            const flow = flowOf(pool, role, access.kind);
            if (!flow) continue;
            const decision = authorizer.evaluate(
              `external:${COGNITO_IDENTITY}`,
              WEB_IDENTITY,
              role.arn,
              access.context,
            );
            if (!isGranted(decision)) continue;
            nodes.add(publicNode());
            const how = howAnyone(role, pool, access, decision, flow);
            const roleEdges = flow.scopedDown ? scoped.edges(role) : undefined;
            if (roleEdges) {
              for (const e of roleEdges) edges.push(scopedEdge(e, decision, how));
              findings.push(finding(role, pool, access, decision, how, true));
              continue;
            }
            const e = publicEdge(role, decision, how);
            edges.push(e);
            findings.push(finding(role, pool, access, decision, e.evidence, false));
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

interface Flow {
  /** How the pool gives the role, for the evidence. */
  text: string;
  /** The credentials carry Cognito's scope-down session policy. */
  scopedDown: boolean;
}

/**
 * How the pool gives identities of this kind the role, if it does: the basic flow (any role whose
 * trust admits the pool, unscoped) when the pool allows it, else the enhanced flow when the pool
 * names the role for them (https://docs.aws.amazon.com/cognito/latest/developerguide/authentication-flow.html).
 */
function flowOf(pool: AwsResourceData, role: AwsRoleData, kind: PublicAccess['kind']): Flow | undefined {
  const a = pool.attributes ?? {};
  if (a.allowClassicFlow === true)
    return {
      text: `allows the basic (classic) flow, in which its ${kind} identities get an OpenID token (GetOpenIdToken) and assume any role whose trust admits the pool with sts:AssumeRoleWithWebIdentity, with no scope-down policy`,
      scopedDown: false,
    };
  const named =
    kind === 'unauthenticated'
      ? a.unauthenticatedRole === role.arn
      : a.authenticatedRole === role.arn || strings(a.ruleRoles).includes(role.arn);
  if (!named) return undefined;
  return kind === 'unauthenticated'
    ? {
        text: `gives its unauthenticated identities role ${role.name} in the enhanced flow, scoped down by the session policy ${UNAUTHENTICATED_SCOPE_DOWN.name}`,
        scopedDown: true,
      }
    : { text: `gives its authenticated identities role ${role.name}`, scopedDown: false };
}

/** The role's CAN_ACCESS edges with Cognito's scope-down session policy applied, derived once per role. */
class ScopedAccess {
  private readonly byRole = new Map<string, DerivedEdge[] | undefined>();
  constructor(private readonly authorizer: Authorizer) {}

  /** Undefined when the authorizer cannot decide with a session policy (then the role is given unscoped). */
  edges(role: AwsRoleData): DerivedEdge[] | undefined {
    if (this.byRole.has(role.arn)) return this.byRole.get(role.arn);
    const base = this.authorizer as Partial<WhatIfBase>;
    let found: DerivedEdge[] | undefined;
    if (
      base.evaluateWith &&
      base.decisionKeyWith &&
      base.isAdminWith &&
      base.resourceDecisionKeyWith &&
      base.sharesResourceDecision &&
      this.authorizer.principal(role.arn)
    ) {
      const view = new WhatIfView(base as WhatIfBase, role.arn, (set) => ({
        ...set,
        sessionPolicies: [...(set.sessionPolicies ?? []), UNAUTHENTICATED_SCOPE_DOWN],
      }));
      found = canAccess.derive(view).edges.filter((e) => e.from === role.arn);
    }
    this.byRole.set(role.arn, found);
    return found;
  }
}

/** Who can get the role's credentials, how: the role's trust, the pool, the user pool anyone joins. */
function howAnyone(
  role: AwsRoleData,
  pool: AwsResourceData,
  access: PublicAccess,
  decision: Decision,
  flow: Flow,
): Evidence[] {
  const describe = (m: StatementMatch) =>
    `trust policy of role ${role.name} (statement ${m.statement}) admits ${access.kind} identities of Cognito identity pool ${pool.name}`;
  const evidence: Evidence[] = [
    ...evidenceFrom(decision, describe),
    {
      source: 'iam-binding',
      ref: pool.arn,
      reason: `Cognito identity pool ${pool.name} ${flow.text}; ${access.kind} identities: ${access.who}`,
    },
  ];
  if (access.userPool)
    evidence.push({
      source: 'iam-binding',
      ref: access.userPool.arn,
      reason: `user pool ${access.userPool.name} lets users sign themselves up (AllowAdminCreateUserOnly is false)`,
    });
  if (flow.scopedDown)
    evidence.push({
      source: 'session-policy',
      ref: UNAUTHENTICATED_SCOPE_DOWN.id,
      reason: `Cognito scopes unauthenticated identities' credentials down with ${UNAUTHENTICATED_SCOPE_DOWN.name}: only what it and role ${role.name}'s policies both allow`,
    });
  return evidence;
}

function publicEdge(role: AwsRoleData, decision: Decision, evidence: Evidence[]): DerivedEdge {
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

/** The scoped role's access as anyone's: conditional when either the trust or the access is. */
function scopedEdge(roleEdge: DerivedEdge, trust: Decision, how: Evidence[]): DerivedEdge {
  const viaTrust = conditionalProperties([trust]);
  const conditions = [
    ...new Set([
      ...((viaTrust.conditions as string[] | undefined) ?? []),
      ...((roleEdge.properties.conditions as string[] | undefined) ?? []),
    ]),
  ];
  const { conditional: _c, conditions: _k, ...properties } = roleEdge.properties;
  return {
    ...roleEdge,
    from: PUBLIC_AWS,
    fromKind: 'Public',
    properties: {
      ...properties,
      ...(viaTrust.conditional || roleEdge.properties.conditional ? { conditional: true, conditions } : {}),
    },
    evidence: [...how, ...roleEdge.evidence],
  };
}

function finding(
  role: AwsRoleData,
  pool: AwsResourceData,
  access: PublicAccess,
  decision: Decision,
  evidence: Evidence[],
  scopedDown: boolean,
): AnalysisFinding {
  return {
    rule: 'aws-role-public-through-cognito',
    severity: decision.outcome === 'allow' && !scopedDown ? 'high' : 'medium',
    subject: role.arn,
    message: `role ${role.name}: ${access.who} can obtain its credentials through Cognito identity pool ${pool.name} (${access.kind} identities)${
      scopedDown ? `, scoped down to what ${UNAUTHENTICATED_SCOPE_DOWN.name} allows` : ''
    }${decision.outcome === 'conditional' ? ' under conditions that cannot be checked offline' : ''}`,
    evidence,
  };
}
