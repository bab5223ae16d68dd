import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import { validateInventory } from '../../../src/model/validate.js';
import { publishInventory } from '../../../src/pipeline/publish.js';
import { buildAwsInventory } from '../../../src/providers/aws/inventory.js';
import { runFindings } from '../../../src/reports/findings.js';
import { fingerprint } from '../../../src/reports/fingerprint.js';
import { effectiveRules } from '../../../src/reports/rules/config.js';
import { loadRules } from '../../../src/reports/rules/registry.js';
import type { Finding } from '../../../src/reports/types.js';
import {
  account,
  allow,
  doc,
  environment,
  resource,
  role,
  roleArn,
  trusts,
  user,
} from '../../helpers/aws-environment.js';
import { syncAws } from '../../helpers/aws-sync.js';
import { testExecutor, wipe } from '../../helpers/graph.js';
import { MULTI_ACCOUNT } from '../../unit/aws-fixture/expected.js';

// Every shipped rule against a real Neo4j: the hand-checked multi-account fixture (its README
// explains each edge), then a small environment for what the fixture does not hold (a role trusting
// "*", cross-account trust with and without an external id, users with two keys or console + key).
// Each rule is checked for the findings it must report (subject, target, evidence) and for the
// near misses it must not.

const executor = testExecutor();
const rules = loadRules();
const NOW = new Date('2024-06-10T00:00:00Z');
const TOOLING = '111111111111';
const PROD = '222222222222';
const arn = (account: string, kind: string, name: string) => `arn:aws:iam::${account}:${kind}/${name}`;

afterAll(() => executor.close());

const of = (findings: Finding[], ruleId: string) => findings.filter((f) => f.ruleId === ruleId);
const pair = (f: Finding) => [f.subject.id, f.target?.id ?? null];
function one(findings: Finding[], ruleId: string, subject: string, target?: string): Finding {
  const found = of(findings, ruleId).filter(
    (f) => f.subject.id === subject && (!target || f.target?.id === target),
  );
  expect(found, `${ruleId} ${subject} ${target ?? ''}`).toHaveLength(1);
  return found[0] as Finding;
}

describe('on the multi-account fixture', () => {
  let findings: Finding[];
  const gha = (name: string) => arn(TOOLING, 'role', `ci/${name}`);
  const payments = `arn:aws:dynamodb:eu-west-1:${PROD}:table/payments`;
  const customerData = 'arn:aws:s3:::acme-prod-customer-data';
  const publicAssets = 'arn:aws:s3:::acme-prod-public-assets';

  beforeAll(async () => {
    await wipe(executor);
    const sync = await syncAws(executor, { snapshotDir: MULTI_ACCOUNT }, { summary: true });
    expect(sync.load.status).toBe('succeeded');
    findings = await runFindings(executor, rules, { now: NOW });
  });

  it('sorts most severe first and gives each finding its fingerprint from the rule and ids', () => {
    const ranks = findings.map((f) => ['critical', 'high', 'medium', 'low', 'info'].indexOf(f.severity));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    const reach = one(findings, 'nhi-reaches-production-data', gha('gha-deploy'), payments);
    expect(reach.fingerprint).toBe(fingerprint('nhi-reaches-production-data', [gha('gha-deploy'), payments]));
    expect(new Set(findings.map((f) => f.fingerprint)).size).toBe(findings.length);
  });

  it('nhi-reaches-production-data: the strongest unconditional level, the route and its evidence', () => {
    const f = one(findings, 'nhi-reaches-production-data', gha('gha-deploy'), payments);
    // prod-deployer escalates to prod-ops-automation (lambda-001), whose AdministratorAccess covers the table.
    expect(f.severity).toBe('critical');
    expect(f.facts).toMatchObject({ level: 'permissions', hops: 2, sensitivity: 'high' });
    expect(f.path.map((h) => [h.type, h.to.name])).toEqual([
      ['CAN_ASSUME', 'prod-deployer'],
      ['CAN_ESCALATE', 'prod-ops-automation'],
      ['CAN_ACCESS', 'payments'],
    ]);
    expect(f.path[0]?.evidence.map((e) => e.statement)).toEqual(['AssumeProdDeployer', 'ToolingDeployRole']);
    expect(f.path[1]?.technique).toBe('lambda-001');
    expect(f.path[2]?.levels).toContain('permissions');
    expect(f.conditional).toBe(false);
    expect(f.message).toMatch(
      /^gha-deploy can change permissions of payments .* via prod-deployer → prod-ops-automation$/,
    );

    // gha-infra only reads the customer data bucket directly (infra-plan ReadCustomerData): medium.
    const read = one(findings, 'nhi-reaches-production-data', gha('gha-infra'), customerData);
    expect(read.severity).toBe('medium');
    expect(read.facts.level).toBe('read');
    expect(read.path).toHaveLength(1);
    expect(read.path[0]?.evidence.some((e) => e.statement === 'ReadCustomerData')).toBe(true);
  });

  it('nhi-reaches-production-data: no people, no non-production data, no conditional hop', () => {
    const reach = of(findings, 'nhi-reaches-production-data');
    expect(reach.some((f) => f.subject.id === arn(TOOLING, 'user', 'people/alice'))).toBe(false);
    expect(reach.some((f) => f.target?.id === 'arn:aws:s3:::acme-dev-scratch')).toBe(false);
    expect(reach.every((f) => f.path.every((h) => !h.conditional))).toBe(true);
    expect(
      reach.every((f) => f.path.at(-1)?.to.id === f.target?.id && f.path[0]?.from.id === f.subject.id),
    ).toBe(true);
  });

  it('nhi-reaches-production-data-conditionally: listed apart, with the undecided condition', () => {
    const f = one(
      findings,
      'nhi-reaches-production-data-conditionally',
      arn(PROD, 'user', 'ci/functions-ci'),
      publicAssets,
    );
    expect(f.conditional).toBe(true);
    expect(f.severity).toBe('low');
    expect(f.facts).toMatchObject({ level: 'read', conditions: 'aws:SourceIp', unconditionalLevel: null });
    expect(
      f.path.some((h) => h.conditional && h.evidence.some((e) => e.conditions?.includes('aws:SourceIp'))),
    ).toBe(true);
    // A pair reached unconditionally at its strongest level is not repeated here.
    const conditionalPairs = of(findings, 'nhi-reaches-production-data-conditionally').map(pair);
    expect(conditionalPairs).not.toContainEqual([gha('gha-deploy'), payments]);
    const unconditional = new Set(
      of(findings, 'nhi-reaches-production-data').map(
        (x) => `${x.subject.id} ${x.target?.id} ${x.facts.level}`,
      ),
    );
    for (const c of of(findings, 'nhi-reaches-production-data-conditionally'))
      expect(unconditional.has(`${c.subject.id} ${c.target?.id} ${c.facts.level}`)).toBe(false);
  });

  it('nhi-can-escalate-to-admin: key-rotator creates a key for break-glass-admin; admins and people are not listed', () => {
    const f = one(
      findings,
      'nhi-can-escalate-to-admin',
      arn(TOOLING, 'user', 'ci/key-rotator'),
      `aws:account:${TOOLING}`,
    );
    expect(f.path[0]).toMatchObject({ type: 'CAN_ESCALATE', technique: 'iam-002' });
    expect(f.path[0]?.to.name).toBe('break-glass-admin');
    expect(f.path[0]?.evidence.some((e) => e.statement === 'RotateAdminKeys')).toBe(true);
    expect(f.path.at(-1)?.type).toBe('ADMINISTERS');
    const subjects = of(findings, 'nhi-can-escalate-to-admin').map((x) => x.subject.id);
    expect(subjects).not.toContain(arn(PROD, 'role', 'prod-ops-automation'));
    expect(subjects).not.toContain(arn(TOOLING, 'user', 'people/alice'));
    // ops-bot has the same statement but break-glass-admin already holds two keys (near miss N1).
    expect(subjects).not.toContain(arn(TOOLING, 'user', 'ci/ops-bot'));
  });

  it('nhi-administrator: administrator roles with the granting policy; people and account roots are not', () => {
    const f = one(
      findings,
      'nhi-administrator',
      arn(PROD, 'role', 'prod-ops-automation'),
      `aws:account:${PROD}`,
    );
    expect(f.path).toHaveLength(1);
    expect(f.path[0]?.type).toBe('ADMINISTERS');
    expect(f.path[0]?.evidence[0]?.ref).toBe('arn:aws:iam::aws:policy/AdministratorAccess');
    const subjects = of(findings, 'nhi-administrator').map((x) => x.subject.id);
    expect(subjects).toContain(arn(TOOLING, 'role', 'tooling-automation'));
    expect(subjects).not.toContain(arn(TOOLING, 'user', 'admins/break-glass-admin'));
    expect(subjects).not.toContain(arn(TOOLING, 'user', 'people/alice'));
    expect(subjects.some((s) => s.endsWith(':root'))).toBe(false);
  });

  it('federated-trust-any-subject: the OIDC trust without a sub condition, with its statement', () => {
    const f = one(findings, 'federated-trust-any-subject', gha('gha-legacy-builds'));
    expect(f.severity).toBe('high');
    expect(f.facts.flag).toBe('aws-oidc-trust-any-subject');
    expect(f.evidence?.[0]).toMatchObject({ source: 'trust-policy', statement: 'GitHubLegacyBuilds' });
    const subjects = of(findings, 'federated-trust-any-subject').map((x) => x.subject.id);
    expect(subjects).not.toContain(gha('gha-deploy'));
    expect(subjects).not.toContain(gha('gha-infra'));
  });

  it('cross-account-trust-without-external-id: the vendor account outside the organisation', () => {
    const f = one(findings, 'cross-account-trust-without-external-id', arn(PROD, 'role', 'prod-data-reader'));
    expect(f.message).toMatch(/999999999999/);
    expect(f.evidence?.some((e) => e.statement === 'AnalyticsVendor')).toBe(true);
    // prod-readonly trusts the tooling account, which is in the organisation.
    const subjects = of(findings, 'cross-account-trust-without-external-id').map((x) => x.subject.id);
    expect(subjects).not.toContain(arn(PROD, 'role', 'prod-readonly'));
  });

  it('access keys: age and unused thresholds from $now and the parameters', async () => {
    const strict = effectiveRules(rules, {
      rules: {
        'access-key-not-rotated': { parameters: { maxAgeDays: 365 } },
        'access-key-unused': { parameters: { maxUnusedDays: 120 } },
      },
    }).filter((r) => r.id.startsWith('access-key-'));
    const found = await runFindings(executor, strict, { now: NOW });
    // key-rotator's key was created 2023-02-10, iam-helper's 2022-09-01; the others in January 2024.
    expect(
      of(found, 'access-key-not-rotated')
        .map((f) => f.subject.name)
        .sort(),
    ).toEqual(['iam-helper', 'key-rotator']);
    const rotator = one(found, 'access-key-not-rotated', arn(TOOLING, 'user', 'ci/key-rotator'));
    expect(rotator.target?.id).toBe('aws:key:AKIAKEYROTATOREXAMP3');
    expect(rotator.facts.ageDays).toBe(485);
    // artifact-bot never used its key (counted from creation); iam-helper last used it 2023-12-20.
    expect(of(found, 'access-key-unused').map((f) => [f.subject.name, f.facts.neverUsed])).toEqual([
      ['artifact-bot', true],
      ['iam-helper', false],
    ]);
    // With the default 90 days, every key created in January counts as old.
    expect(one(findings, 'access-key-not-rotated', arn(TOOLING, 'user', 'ci/ci-builder')).facts.ageDays).toBe(
      146,
    );
    expect(of(findings, 'access-key-unused').map((f) => f.subject.name)).not.toContain('ci-builder');
  });

  it('role-unused and user-unused: RoleLastUsed, key use and sign-ins', () => {
    const roles = of(findings, 'role-unused').map((f) => f.subject.id);
    expect(roles).toContain(arn(PROD, 'role', 'prod-data-reader'));
    // Used on 2024-06-03.
    expect(roles).not.toContain(gha('gha-deploy'));
    expect(roles).not.toContain(arn(PROD, 'role', 'prod-deployer'));
    const users = of(findings, 'user-unused').map((f) => f.subject.name);
    expect(users).toContain('artifact-bot');
    expect(users).not.toContain('ci-builder');
    expect(users).not.toContain('alice');
  });

  it('the fixture has no public trust, double keys or console users with keys', () => {
    expect(of(findings, 'role-trusts-anyone')).toEqual([]);
    expect(of(findings, 'user-multiple-active-keys')).toEqual([]);
    expect(of(findings, 'user-console-and-keys')).toEqual([]);
  });
});

describe('on a small environment', () => {
  const A = '444444444444';
  const VENDOR = '999988887777';
  const REPOSITORY = `arn:aws:ecr:us-east-1:${A}:repository/site-images`;
  const TOPIC = `arn:aws:sns:us-east-1:${A}:alerts`;
  const ACL_BUCKET = 'arn:aws:s3:::public-listing';
  const HELD_BACK = 'arn:aws:s3:::held-back';
  let findings: Finding[];
  const key = (accessKeyId: string, createDate = '2024-05-01T00:00:00Z') => ({
    accessKeyId,
    status: 'Active' as const,
    createDate,
    lastUsedDate: '2024-06-01T00:00:00Z',
  });

  beforeAll(async () => {
    await wipe(executor);
    const env = environment(
      account(A, {
        roles: [
          role(A, 'open-to-anyone', trusts({ AWS: ['*'] })),
          role(
            A,
            'open-from-office',
            trusts({ AWS: ['*'] }, { Condition: { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } } }),
          ),
          role(A, 'vendor-access', trusts({ AWS: [`arn:aws:iam::${VENDOR}:root`] })),
          role(
            A,
            'vendor-access-with-id',
            trusts(
              { AWS: [`arn:aws:iam::${VENDOR}:root`] },
              { Condition: { StringEquals: { 'sts:ExternalId': ['f3a9'] } } },
            ),
          ),
        ],
        users: [
          user(A, 'two-keys', {
            accessKeys: [key('AKIATWOKEYSEXAMPLE01'), key('AKIATWOKEYSEXAMPLE02')],
            hasConsolePassword: false,
          }),
          user(A, 'console-bot', {
            accessKeys: [key('AKIACONSOLEBOTEXAMP1')],
            hasConsolePassword: true,
            policy: doc(allow('s3:ListAllMyBuckets')),
          }),
          user(A, 'console-only', { accessKeys: [], hasConsolePassword: true }),
          user(A, 'one-key', {
            accessKeys: [key('AKIAONEKEYEXAMPLE001'), { ...key('AKIAONEKEYEXAMPLE002'), status: 'Inactive' }],
          }),
        ],
        resources: [
          resource('ecr-repository', REPOSITORY, {
            region: 'us-east-1',
            policy: doc(
              allow(['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], REPOSITORY, { Principal: '*' }),
            ),
          }),
          // A bucket ACL anyone may list through, and one whose public policy and ACL Block Public Access voids.
          resource('s3-bucket', ACL_BUCKET, { accountId: A, attributes: { aclGrants: ['AllUsers READ'] } }),
          resource('s3-bucket', HELD_BACK, {
            accountId: A,
            policy: doc(allow('s3:GetObject', `${HELD_BACK}/*`, { Sid: 'Website', Principal: '*' })),
            attributes: {
              aclGrants: ['AuthenticatedUsers WRITE'],
              restrictPublicBuckets: true,
              ignorePublicAcls: true,
              accountIgnorePublicAcls: true,
            },
          }),
          // SNS's default topic policy: anyone, if the caller is the owner account.
          resource('sns-topic', TOPIC, {
            region: 'us-east-1',
            policy: doc(
              allow(['SNS:Publish', 'SNS:Subscribe'], TOPIC, {
                Principal: { AWS: ['*'] },
                Condition: { StringEquals: { 'AWS:SourceOwner': [A] } },
              }),
            ),
          }),
        ],
      }),
    );
    const analysis = await analyzeAws(env);
    const inventory = buildAwsInventory(env, analysis, { sourceName: 'rules test' });
    const load = await publishInventory(executor, validateInventory(inventory, 'rules test'), {
      summary: true,
    });
    expect(load.status).toBe('succeeded');
    findings = await runFindings(executor, rules, { now: NOW });
  });

  it('role-trusts-anyone: critical without conditions, high with an undecided one, with the trust edge', () => {
    const open = one(findings, 'role-trusts-anyone', roleArn(A, 'open-to-anyone'));
    expect(open.severity).toBe('critical');
    expect(open.conditional).toBe(false);
    expect(open.path).toHaveLength(1);
    expect(open.path[0]).toMatchObject({ type: 'CAN_ASSUME', conditional: false });
    expect(open.path[0]?.from.kind).toBe('Public');
    expect(open.path[0]?.evidence[0]).toMatchObject({
      source: 'trust-policy',
      ref: `${roleArn(A, 'open-to-anyone')}#trust`,
    });
    expect(open.evidence?.[0]?.ref).toBe(`${roleArn(A, 'open-to-anyone')}#trust`);
    const office = one(findings, 'role-trusts-anyone', roleArn(A, 'open-from-office'));
    expect(office.severity).toBe('high');
    expect(office.conditional).toBe(true);
    expect(office.facts.conditions).toBe('aws:SourceIp');
    expect(of(findings, 'role-trusts-anyone').map((f) => f.subject.id)).not.toContain(
      roleArn(A, 'vendor-access'),
    );
  });

  it('resource-public: the repository anyone may pull from, not the topic with SNS’s default policy', () => {
    const repository = one(findings, 'resource-public', REPOSITORY);
    expect(repository).toMatchObject({ severity: 'high', conditional: false });
    expect(repository.message).toBe(
      'site-images: its resource policy lets anyone read (ecr:BatchGetImage, ecr:GetDownloadUrlForLayer)',
    );
    expect(repository.evidence?.[0]).toMatchObject({
      source: 'resource-policy',
      ref: `${REPOSITORY}#policy`,
    });
    const acl = one(findings, 'resource-public', ACL_BUCKET);
    expect(acl).toMatchObject({ severity: 'high', conditional: false });
    expect(acl.message).toBe(
      'public-listing: its ACL lets anyone list (READ: s3:ListBucket, s3:ListBucketVersions, s3:ListBucketMultipartUploads)',
    );
    expect(acl.evidence?.[0]).toMatchObject({ source: 'bucket-acl', ref: `${ACL_BUCKET}#acl` });
    expect(
      of(findings, 'resource-public')
        .map((f) => f.subject.id)
        .sort(),
    ).toEqual([REPOSITORY, ACL_BUCKET]);
  });

  it('resource-public-blocked: the bucket Block Public Access keeps closed, once per voided policy and ACL', () => {
    const held = of(findings, 'resource-public-blocked');
    expect(held.map((f) => [f.subject.id, f.severity])).toEqual([
      [HELD_BACK, 'low'],
      [HELD_BACK, 'low'],
    ]);
    expect(held.map((f) => f.message).sort()).toEqual([
      'held-back: its ACL is public (AuthenticatedUsers WRITE) but IgnorePublicAcls on the account makes S3 ignore it; turning that off would open the bucket',
      "held-back: its bucket policy is public (statement Website) but RestrictPublicBuckets on the bucket limits it to the bucket owner's account and AWS services; turning that off would open the bucket",
    ]);
  });

  it('cross-account-trust-without-external-id: only the trust without sts:ExternalId', () => {
    const subjects = of(findings, 'cross-account-trust-without-external-id').map((f) => f.subject.id);
    expect(subjects).toContain(roleArn(A, 'vendor-access'));
    expect(subjects).not.toContain(roleArn(A, 'vendor-access-with-id'));
  });

  it('user-multiple-active-keys and user-console-and-keys', () => {
    const two = one(findings, 'user-multiple-active-keys', `arn:aws:iam::${A}:user/two-keys`);
    expect(two.facts).toMatchObject({
      activeKeys: 2,
      accessKeyIds: 'AKIATWOKEYSEXAMPLE01, AKIATWOKEYSEXAMPLE02',
    });
    // An inactive second key does not count.
    expect(of(findings, 'user-multiple-active-keys').map((f) => f.subject.name)).toEqual(['two-keys']);
    const console = one(findings, 'user-console-and-keys', `arn:aws:iam::${A}:user/console-bot`);
    expect(console.facts.accessKeyIds).toBe('AKIACONSOLEBOTEXAMP1');
    expect(of(findings, 'user-console-and-keys').map((f) => f.subject.name)).toEqual(['console-bot']);
  });

  it('a severity fixed by configuration wins over the row severity', async () => {
    const fixed = effectiveRules(rules, { rules: { 'role-trusts-anyone': { severity: 'medium' } } }).filter(
      (r) => r.id === 'role-trusts-anyone',
    );
    const found = await runFindings(executor, fixed, { now: NOW });
    expect(found.map((f) => f.severity)).toEqual(['medium', 'medium']);
  });
});
