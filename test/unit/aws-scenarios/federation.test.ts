// Web identity trusts: GitHub Actions OIDC and EKS IAM roles for service accounts.
// https://docs.github.com/en/actions/security-for-github-actions/security-hardening-your-deployments/configuring-openid-connect-in-amazon-web-services
// https://docs.aws.amazon.com/eks/latest/userguide/associate-service-account-role.html
// https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-single-vs-multi-valued-context-keys.html
import { describe, expect, it } from 'vitest';
import type { ConditionBlock } from '../../../src/model/aws/policy.js';
import { account, doc, environment, role, roleArn } from '../../helpers/aws-environment.js';
import { analyzeAws, lines } from './harness.js';

const A = '111111111111';
const GH = 'token.actions.githubusercontent.com';
const GH_PROVIDER = `arn:aws:iam::${A}:oidc-provider/${GH}`;
const EKS = 'oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE';
const EKS_PROVIDER = `arn:aws:iam::${A}:oidc-provider/${EKS}`;

const webIdentity = (provider: string, Condition: ConditionBlock) =>
  doc({
    Effect: 'Allow',
    Principal: { Federated: [provider] },
    Action: 'sts:AssumeRoleWithWebIdentity',
    Condition,
  });

async function analyze(name: string, trust: ReturnType<typeof doc>) {
  return analyzeAws(
    environment(
      account(A, {
        roles: [role(A, name, trust)],
        oidcProviders: [
          { arn: GH_PROVIDER, url: GH, clientIds: ['sts.amazonaws.com'] },
          { arn: EKS_PROVIDER, url: EKS, clientIds: ['sts.amazonaws.com'] },
        ],
      }),
    ),
  );
}
const findings = (out: Awaited<ReturnType<typeof analyzeAws>>) =>
  out.findings.map((f) => `${f.rule} ${f.subject}`).sort();

describe('GitHub Actions OIDC', () => {
  it('sub = repo:acme/* (any repository of the organization) is one wildcard subject', async () => {
    const out = await analyze(
      'org-wide',
      webIdentity(GH_PROVIDER, {
        StringEquals: { [`${GH}:aud`]: ['sts.amazonaws.com'] },
        StringLike: { [`${GH}:sub`]: ['repo:acme/*'] },
      }),
    );
    expect(lines(out, 'FEDERATES_TO')).toEqual([
      `FEDERATES_TO oidc:${GH}:repo:acme/* -> ${roleArn(A, 'org-wide')}`,
    ]);
  });

  it('StringLike repo:acme/app:* admits every ref of one repository, unconditionally', async () => {
    const out = await analyze(
      'app',
      webIdentity(GH_PROVIDER, {
        StringEquals: { [`${GH}:aud`]: ['sts.amazonaws.com'] },
        StringLike: { [`${GH}:sub`]: ['repo:acme/app:*'] },
      }),
    );
    expect(lines(out, 'FEDERATES_TO')).toEqual([
      `FEDERATES_TO oidc:${GH}:repo:acme/app:* -> ${roleArn(A, 'app')}`,
    ]);
    expect(findings(out)).toEqual([]);
  });

  it('without an aud condition the subject still federates (the provider’s client ids bound aud)', async () => {
    const out = await analyze(
      'no-aud',
      webIdentity(GH_PROVIDER, { StringEquals: { [`${GH}:sub`]: ['repo:acme/app:ref:refs/heads/main'] } }),
    );
    expect(lines(out, 'FEDERATES_TO')).toEqual([
      `FEDERATES_TO oidc:${GH}:repo:acme/app:ref:refs/heads/main -> ${roleArn(A, 'no-aud')}`,
    ]);
  });

  it('ForAnyValue:StringLike on the single-valued sub acts as StringLike: one subject, no any-subject finding', async () => {
    const out = await analyze(
      'any-value',
      webIdentity(GH_PROVIDER, {
        StringEquals: { [`${GH}:aud`]: ['sts.amazonaws.com'] },
        'ForAnyValue:StringLike': { [`${GH}:sub`]: ['repo:acme/app:*'] },
      }),
    );
    expect(lines(out, 'FEDERATES_TO')).toEqual([
      `FEDERATES_TO oidc:${GH}:repo:acme/app:* -> ${roleArn(A, 'any-value')}`,
    ]);
    expect(findings(out).filter((f) => f.startsWith('aws-oidc-trust-any-subject'))).toEqual([]);
  });

  it('sub repo:* admits any repository: wildcard subject and a finding', async () => {
    const out = await analyze(
      'anyone',
      webIdentity(GH_PROVIDER, { StringLike: { [`${GH}:sub`]: ['repo:*'] } }),
    );
    expect(lines(out, 'FEDERATES_TO')).toEqual([`FEDERATES_TO oidc:${GH}:repo:* -> ${roleArn(A, 'anyone')}`]);
    expect(findings(out)).toContain(`aws-oidc-trust-any-subject ${roleArn(A, 'anyone')}`);
  });
});

describe('EKS IRSA', () => {
  it('system:serviceaccount:payments:* admits every service account of one namespace', async () => {
    const out = await analyze(
      'payments',
      webIdentity(EKS_PROVIDER, {
        StringEquals: { [`${EKS}:aud`]: ['sts.amazonaws.com'] },
        StringLike: { [`${EKS}:sub`]: ['system:serviceaccount:payments:*'] },
      }),
    );
    expect(lines(out, 'FEDERATES_TO')).toEqual([
      `FEDERATES_TO oidc:${EKS}:system:serviceaccount:payments:* -> ${roleArn(A, 'payments')}`,
    ]);
    expect(findings(out)).toEqual([]);
  });

  it('a trust for another cluster’s provider ARN gives no edge from this cluster’s subjects', async () => {
    const other = `arn:aws:iam::${A}:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/OTHERCLUSTER`;
    const out = await analyze(
      'elsewhere',
      doc({
        Effect: 'Allow',
        Principal: { Federated: [other] },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: { StringEquals: { [`${EKS}:sub`]: ['system:serviceaccount:payments:api'] } },
      }),
    );
    expect(lines(out, 'FEDERATES_TO').filter((l) => l.includes(`oidc:${EKS}:`))).toEqual([]);
  });
});
