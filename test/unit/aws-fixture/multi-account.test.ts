import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import type { DerivedEdge } from '../../../src/analyzers/aws-iam/types.js';
import { collectAws } from '../../../src/collectors/aws/collect.js';
import { allIssues } from '../../../src/collectors/aws/transform.js';
import type { AwsEnvironment } from '../../../src/model/aws/environment.js';
import {
  conditionKeys,
  describeEdge,
  edgesBetween,
  hopsToAdmin,
  isConditional,
  MULTI_ACCOUNT,
  prop,
  readExpected,
} from './expected.js';

// The whole AWS analysis held to the hand-checked answers of test/fixtures/aws/multi-account
// (expected.json; the reasoning behind every entry is in the fixture's README.md).

const expected = readExpected();
let env: AwsEnvironment;
let analysis: Awaited<ReturnType<typeof analyzeAws>>;
let edges: DerivedEdge[];

beforeAll(async () => {
  env = await collectAws({ snapshotDir: MULTI_ACCOUNT });
  analysis = await analyzeAws(env);
  edges = analysis.edges;
}, 120_000);

const account = (id: string) => {
  const found = env.accounts.find((a) => a.accountId === id);
  if (!found) throw new Error(`account ${id} was not collected`);
  return found;
};

describe('the multi-account snapshot is collected as written', () => {
  it('reads three accounts and the organization without an error', () => {
    expect(env.accounts.map((a) => a.accountId).sort()).toEqual([
      '111111111111',
      '222222222222',
      '333333333333',
    ]);
    expect(allIssues(env).filter((i) => i.severity === 'error')).toEqual([]);
    // The dev account's snapshot is partial on purpose: what is missing is reported, not assumed empty.
    expect(account('333333333333').collected['secretsmanager-list-secrets']).toBe(false);
    expect(account('222222222222').collected['secretsmanager-list-secrets']).toBe(true);
  });

  it('accepts URL-encoded (API) and decoded (CLI) policy documents alike', () => {
    const releaseBot = account('111111111111').users.find((u) => u.name === 'release-bot');
    const selfService = releaseBot?.inlinePolicies.find((p) => p.name === 'self-service');
    expect(selfService?.document.Statement.map((s) => s.Sid)).toEqual(['ManageOwnPolicies', 'Releases']);
    expect(selfService?.document.Statement[0]?.Resource).toEqual([
      // biome-ignore lint/suspicious/noTemplateCurlyInString: an IAM policy variable, kept unresolved in the document
      'arn:aws:iam::111111111111:user/ci/${aws:username}',
    ]);
    const ciBuilder = account('111111111111').managedPolicies.find(
      (p) => p.policy.name === 'ci-builder-policy',
    );
    expect(ciBuilder?.defaultVersionId).toBe('v2');
    expect(ciBuilder?.policy.document.Statement.map((s) => s.Sid)).toEqual([
      'PushArtifacts',
      'MaintainOwnPolicy',
    ]);
    expect(ciBuilder?.otherVersions.map((v) => v.versionId)).toEqual(['v1']);
  });

  it('tells CI users (access key, no console password) from people (console password, MFA)', () => {
    const users = new Map(account('111111111111').users.map((u) => [u.name, u]));
    for (const name of ['ci-builder', 'release-bot', 'key-rotator', 'ops-bot', 'artifact-bot']) {
      expect(users.get(name)?.hasConsolePassword, name).toBe(false);
      expect(
        users.get(name)?.accessKeys.map((k) => k.status),
        name,
      ).toEqual(['Active']);
    }
    expect(users.get('alice')).toMatchObject({ hasConsolePassword: true, mfaActive: true, accessKeys: [] });
  });

  it('reads the organization tree, its SCPs and RCPs', () => {
    const org = env.organization;
    expect(org?.id).toBe('o-acme12345');
    expect(org?.accounts.find((a) => a.id === '222222222222')?.parentId).toBe('ou-ac12-prod2222');
    expect(org?.serviceControlPolicies.map((p) => p.policy.name).sort()).toEqual([
      'DenyLeaveOrganization',
      'FullAWSAccess',
      'ProdDataProtection',
      'ProtectSecurityRoles',
    ]);
    expect(org?.resourceControlPolicies.map((p) => p.policy.name).sort()).toEqual([
      'RCPFullAWSAccess',
      'SecretsStayInTheOrganization',
    ]);
  });

  it('reads data stores with their tags and resource policies, and workloads with their roles', () => {
    const resources = new Map(account('222222222222').resources.map((r) => [r.arn, r]));
    const bucket = resources.get('arn:aws:s3:::acme-prod-customer-data');
    expect(bucket?.tags).toEqual({ env: 'prod', 'data-classification': 'confidential' });
    expect(bucket?.policy?.document.Statement.map((s) => s.Sid)).toEqual(['ToolingInfraRead']);
    const key = resources.get('arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab');
    expect(key?.policy?.document.Statement.map((s) => s.Sid)).toEqual([
      'Enable IAM User Permissions',
      'AllowPaymentsDecrypt',
    ]);
    const secret = resources.get(
      'arn:aws:secretsmanager:eu-west-1:222222222222:secret:prod/payments/db-AbCdEf',
    );
    expect(secret?.policy?.document.Statement.map((s) => s.Sid)).toEqual([
      'PaymentsApi',
      'PartnerReconciliation',
    ]);
    expect(
      resources.get('arn:aws:ec2:eu-west-1:222222222222:instance/i-0b5e7c1d2a3f40001')?.roleArns,
    ).toEqual(['arn:aws:iam::222222222222:role/prod-batch-worker']);
  });
});

describe('the analysis gives the hand-checked answers', () => {
  it.each(expected.edges)('$label $type $from → $to', (want) => {
    const candidates = edgesBetween(edges, want.type, want.from, want.to).filter(
      (e) => want.technique === undefined || prop(e, 'technique') === want.technique,
    );
    expect(
      candidates.map((e) => describeEdge(e, prop(e, 'technique'))),
      'edge missing',
    ).not.toEqual([]);
    if (want.self !== undefined) expect(candidates.some((e) => prop(e, 'self') === want.self)).toBe(true);
    for (const record of want.evidence ?? []) {
      const cited = candidates.flatMap((e) => e.evidence).map((r) => `${r.ref} ${r.statement}`);
      expect(cited).toContain(`${record.ref} ${record.statement}`);
    }
    if (want.conditional === false) {
      expect(
        candidates.some((e) => !isConditional(e)),
        'expected an unconditional edge',
      ).toBe(true);
    }
    if (want.conditional === true) {
      expect(candidates.every(isConditional), 'expected the edge to be conditional').toBe(true);
      for (const key of want.conditions ?? []) {
        expect(
          candidates.every((e) => conditionKeys(e).includes(key)),
          `condition ${key}`,
        ).toBe(true);
      }
    }
  });

  it.each(expected.canAccess)('$label CAN_ACCESS $from → $to', (want) => {
    const [edge, ...more] = edgesBetween(edges, 'CAN_ACCESS', want.from, want.to);
    expect(edge, 'edge missing').toBeDefined();
    expect(more, 'one CAN_ACCESS edge per principal and resource').toEqual([]);
    if (!edge) return;
    const levels = prop<string[]>(edge, 'levels') ?? [];
    if (want.levels) expect([...levels].sort()).toEqual([...want.levels].sort());
    if (want.levelsInclude) expect(levels).toEqual(expect.arrayContaining(want.levelsInclude));
    const actions = (prop<string[]>(edge, 'actions') ?? []).map((a) => a.toLowerCase());
    for (const action of want.actionsExclude ?? []) expect(actions).not.toContain(action.toLowerCase());
    if (want.conditional !== undefined) expect(isConditional(edge)).toBe(want.conditional);
    for (const key of want.conditions ?? []) expect(conditionKeys(edge)).toContain(key);
  });

  it('names exactly the administrators', () => {
    const admins = edges
      .filter((e) => e.type === 'ADMINISTERS')
      .map((e) => `${e.from} → ${e.to}`)
      .sort();
    expect(admins).toEqual(expected.admins.map((a) => `${a.principal} → ${a.account}`).sort());
  });

  it.each(expected.escalations)('$label $principal becomes administrator in $hops hop(s)', (want) => {
    expect(hopsToAdmin(edges, want.principal)).toBe(want.hops);
  });

  it.each(expected.notEscalations)('$label $principal cannot become administrator', (want) => {
    expect(hopsToAdmin(edges, want.principal)).toBeUndefined();
  });

  it.each(expected.mustNotExist)('$label no $type $from → $to', (unwanted) => {
    const found = edgesBetween(edges, unwanted.type, unwanted.from, unwanted.to).filter(
      (e) => unwanted.technique === undefined || prop(e, 'technique') === unwanted.technique,
    );
    expect(found.map((e) => describeEdge(e, prop(e, 'technique')))).toEqual([]);
  });

  it.each(expected.findings)('$label finding about $subject', (want) => {
    const about = new RegExp(want.about, 'i');
    const found = analysis.findings.filter(
      (f) => f.subject === want.subject && about.test(`${f.rule} ${f.message}`),
    );
    expect(
      found,
      `findings on ${want.subject}: ${JSON.stringify(analysis.findings.map((f) => f.subject))}`,
    ).not.toEqual([]);
    expect(found.some((f) => want.severity.includes(f.severity))).toBe(true);
    expect(found.every((f) => f.evidence.length > 0)).toBe(true);
  });

  it.each(expected.noFindings)('$label no such finding about $subject', (unwanted) => {
    const about = new RegExp(unwanted.about, 'i');
    const found = analysis.findings.filter(
      (f) => f.subject === unwanted.subject && about.test(`${f.rule} ${f.message}`),
    );
    expect(found.map((f) => `${f.rule}: ${f.message}`)).toEqual([]);
  });

  it('gives every derived edge evidence: a document, a statement and a reason', () => {
    expect(edges.length).toBeGreaterThan(0);
    const without = edges
      .filter(
        (e) =>
          e.evidence.length === 0 ||
          e.evidence.some((r) => r.ref.trim() === '' || r.reason.trim() === '' || r.statement?.trim() === ''),
      )
      .map((e) => describeEdge(e));
    expect(without).toEqual([]);
    const conditionalWithoutKeys = edges.filter((e) => isConditional(e) && conditionKeys(e).length === 0);
    expect(conditionalWithoutKeys.map((e) => describeEdge(e))).toEqual([]);
  });

  it('reports no analysis error on a well-formed snapshot', () => {
    expect(analysis.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
