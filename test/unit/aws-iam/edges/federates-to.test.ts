import { beforeAll, describe, expect, it } from 'vitest';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { admitsAnySubject, federatesTo } from '../../../../src/analyzers/aws-iam/edges/federates-to.js';
import type { ConditionBlock } from '../../../../src/model/aws/policy.js';
import { account, doc, environment, role, roleArn } from '../../../helpers/aws-environment.js';

const A = '111111111111';
const GH = 'token.actions.githubusercontent.com';
const GH_PROVIDER = `arn:aws:iam::${A}:oidc-provider/${GH}`;
const EKS = 'oidc.eks.us-east-1.amazonaws.com/id/ABCDEF0123456789';
const EKS_PROVIDER = `arn:aws:iam::${A}:oidc-provider/${EKS}`;
const SAML_PROVIDER = `arn:aws:iam::${A}:saml-provider/Okta`;

beforeAll(() => loadCatalog());

const webIdentity = (provider: string, condition?: ConditionBlock) =>
  doc({
    Effect: 'Allow',
    Principal: { Federated: [provider] },
    Action: 'sts:AssumeRoleWithWebIdentity',
    ...(condition ? { Condition: condition } : {}),
  });

function derive(...roles: ReturnType<typeof role>[]) {
  const env = environment(
    account(A, {
      roles,
      oidcProviders: [
        { arn: GH_PROVIDER, url: GH, clientIds: ['sts.amazonaws.com'] },
        { arn: EKS_PROVIDER, url: EKS, clientIds: ['sts.amazonaws.com'] },
      ],
      samlProviders: [{ arn: SAML_PROVIDER, name: 'Okta' }],
    }),
  );
  return federatesTo.derive(createAuthorizer(env));
}

describe('FEDERATES_TO', () => {
  it('one OidcSubject per GitHub subject pattern, decided with the token claims', () => {
    const out = derive(
      role(
        A,
        'deploy',
        webIdentity(GH_PROVIDER, {
          StringEquals: { [`${GH}:aud`]: ['sts.amazonaws.com'] },
          StringLike: {
            [`${GH}:sub`]: ['repo:acme/app:ref:refs/heads/main', 'repo:acme/app:environment:prod'],
          },
        }),
      ),
    );
    expect(out.edges.map((e) => `${e.from} -> ${e.to}`).sort()).toEqual([
      `oidc:${GH}:repo:acme/app:environment:prod -> ${roleArn(A, 'deploy')}`,
      `oidc:${GH}:repo:acme/app:ref:refs/heads/main -> ${roleArn(A, 'deploy')}`,
    ]);
    expect(out.edges.every((e) => e.properties.conditional === undefined)).toBe(true);
    expect(out.nodes?.map((n) => n.properties.nhiType)).toEqual(['ci-pipeline', 'ci-pipeline']);
    expect(out.edges[0]?.evidence[0]).toMatchObject({
      source: 'trust-policy',
      ref: `${roleArn(A, 'deploy')}#trust`,
    });
    expect(out.findings).toEqual([]);
  });

  it('claims the subject does not determine stay undecided: the edge is conditional and names them', () => {
    const out = derive(
      role(
        A,
        'release',
        webIdentity(GH_PROVIDER, {
          StringEquals: {
            [`${GH}:sub`]: ['repo:acme/app:environment:prod'],
            [`${GH}:job_workflow_ref`]: ['acme/workflows/.github/workflows/release.yml@refs/heads/main'],
            // Implied by the subject: decided.
            [`${GH}:environment`]: ['prod'],
          },
        }),
      ),
    );
    const [edge] = out.edges;
    expect(edge?.properties).toMatchObject({ conditional: true, conditions: [`${GH}:job_workflow_ref`] });
    expect(edge?.evidence[0]?.reason).toContain('release.yml@refs/heads/main');
  });

  it('a subject the trust does not admit has no edge; an EKS service account does', () => {
    const out = derive(
      role(
        A,
        'payments-api',
        webIdentity(EKS_PROVIDER, {
          StringEquals: {
            [`${EKS}:sub`]: ['system:serviceaccount:payments:api'],
            [`${EKS}:aud`]: ['sts.amazonaws.com'],
          },
          StringNotEquals: { [`${EKS}:sub`]: ['system:serviceaccount:payments:api'] },
        }),
      ),
      role(
        A,
        'orders',
        webIdentity(EKS_PROVIDER, {
          StringEquals: { [`${EKS}:sub`]: ['system:serviceaccount:orders:worker'] },
        }),
      ),
    );
    expect(out.edges.map((e) => e.from)).toEqual([`oidc:${EKS}:system:serviceaccount:orders:worker`]);
    expect(out.nodes?.[0]?.properties.nhiType).toBe('service-account');
  });

  it('a trust without a sub condition, with repo:* or checking sub only with ForAllValues admits anyone: wildcard subject and finding', () => {
    const out = derive(
      role(A, 'any', webIdentity(GH_PROVIDER, { StringEquals: { [`${GH}:aud`]: ['sts.amazonaws.com'] } })),
      role(A, 'any-repo', webIdentity(GH_PROVIDER, { StringLike: { [`${GH}:sub`]: ['repo:*'] } })),
      role(
        A,
        'for-all',
        webIdentity(GH_PROVIDER, { 'ForAllValues:StringLike': { [`${GH}:sub`]: ['repo:acme/*'] } }),
      ),
    );
    expect((out.findings ?? []).map((f) => `${f.rule} ${f.subject} ${f.severity}`).sort()).toEqual(
      [
        `aws-oidc-trust-any-subject ${roleArn(A, 'any')} high`,
        `aws-oidc-trust-any-subject ${roleArn(A, 'any-repo')} high`,
        `aws-oidc-trust-any-subject ${roleArn(A, 'for-all')} high`,
        `aws-oidc-trust-forallvalues ${roleArn(A, 'for-all')} high`,
      ].sort(),
    );
    expect(out.edges.find((e) => e.to === roleArn(A, 'any'))?.from).toBe(`oidc:${GH}:*`);
    expect(out.edges.find((e) => e.to === roleArn(A, 'any-repo'))?.from).toBe(`oidc:${GH}:repo:*`);
  });

  it('knows which patterns admit any repository or service account', () => {
    expect(admitsAnySubject(GH, 'repo:acme/*')).toBeUndefined();
    expect(admitsAnySubject(GH, 'repo:*/app:*')).toBeDefined();
    expect(admitsAnySubject(GH, '*')).toBe('any subject');
    expect(admitsAnySubject(EKS, 'system:serviceaccount:*:default')).toBeDefined();
    expect(admitsAnySubject(EKS, 'system:serviceaccount:payments:*')).toBeUndefined();
  });

  it('SAML: the provider’s users federate to the role, under the SAML:aud condition', () => {
    const out = derive(
      role(
        A,
        'sso-admin',
        doc({
          Effect: 'Allow',
          Principal: { Federated: [SAML_PROVIDER] },
          Action: 'sts:AssumeRoleWithSAML',
          Condition: { StringEquals: { 'SAML:aud': ['https://signin.aws.amazon.com/saml'] } },
        }),
      ),
    );
    expect(out.edges.map((e) => `${e.from} ${e.fromKind}`)).toEqual([
      `external:${SAML_PROVIDER} ExternalPrincipal`,
    ]);
    expect(out.edges[0]?.properties.conditions).toEqual(['SAML:aud']);
  });
});
