import { describe, expect, it } from 'vitest';
import type { AwsAnalysis } from '../../../../src/analyzers/aws-iam/analyze.js';
import type { CollectionIssue } from '../../../../src/model/aws/environment.js';
import { validateInventory } from '../../../../src/model/validate.js';
import { buildAwsInventory } from '../../../../src/providers/aws/inventory.js';
import { awsSourceFlags, awsSourceOf } from '../../../../src/providers/aws/source.js';
import { account, allow, doc, environment, role, roleArn, trusts } from '../../../helpers/aws-environment.js';

const A = '111111111111';
const B = '222222222222';
const deploy = roleArn(A, 'deploy');
const app = roleArn(B, 'app');

function analysis(parts: Partial<AwsAnalysis> = {}): AwsAnalysis {
  return {
    nodes: [],
    edges: [
      {
        type: 'CAN_ASSUME',
        from: deploy,
        to: app,
        properties: {},
        evidence: [
          {
            source: 'trust-policy',
            ref: `${app}#trust`,
            statement: '#0',
            reason: 'trust policy of app admits deploy',
          },
        ],
      },
    ],
    findings: [],
    issues: [],
    stats: { principals: 2, resources: 0, evaluations: 1, durationMs: {} },
    ...parts,
  };
}

const env = () =>
  environment(
    account(A, {
      roles: [
        role(A, 'deploy', trusts({ Service: ['lambda.amazonaws.com'] }), {
          policy: doc(allow('sts:AssumeRole', app)),
        }),
      ],
    }),
    account(B, { roles: [role(B, 'app', trusts({ AWS: [deploy] }))] }),
  );

describe('buildAwsInventory', () => {
  it('merges collector nodes and derived edges into one valid inventory, one scope per account', () => {
    const inventory = buildAwsInventory(env(), analysis(), { sourceName: 'test' });
    const valid = validateInventory(inventory, 'test');
    expect(valid.inventory.scopes.map((s) => [s.id, s.complete])).toEqual([
      [`aws:${A}`, true],
      [`aws:${B}`, true],
    ]);
    const edge = valid.relationships.find((r) => r.type === 'CAN_ASSUME');
    expect(edge).toMatchObject({ from: deploy, to: app, scope: `aws:${A}` });
    expect(edge?.evidence?.[0]?.ref).toBe(`${app}#trust`);
  });

  it('keeps a node both sides emit once, as the collector describes it', () => {
    const duplicate = {
      id: deploy,
      kind: 'AwsRole',
      scope: `aws:${A}`,
      properties: { name: 'other name', nonHuman: true, nhiType: 'role' },
    };
    const oidc = {
      id: 'oidc:token.actions.githubusercontent.com:repo:acme/app:ref:refs/heads/main',
      kind: 'OidcSubject',
      properties: { name: 'acme/app@main', nonHuman: true, nhiType: 'ci-pipeline' },
    };
    const inventory = buildAwsInventory(env(), analysis({ nodes: [duplicate, oidc] }), {
      sourceName: 'test',
    });
    expect(inventory.nodes.filter((n) => n.id === deploy)).toHaveLength(1);
    expect(inventory.nodes.find((n) => n.id === deploy)?.properties.name).toBe('deploy');
    expect(inventory.nodes.some((n) => n.id === oidc.id)).toBe(true);
    expect(() => validateInventory(inventory, 'test')).not.toThrow();
  });

  it('marks an account incomplete when its collection or its analysis had an error', () => {
    const broken = env();
    const prod = broken.accounts[1] as { issues: CollectionIssue[] };
    prod.issues.push({
      severity: 'error',
      source: `aws/${B}/iam-get-account-authorization-details.json`,
      message: 'malformed JSON',
    });
    const collected = buildAwsInventory(broken, analysis(), { sourceName: 'test' });
    expect(collected.scopes.map((s) => [s.id, s.complete])).toEqual([
      [`aws:${A}`, true],
      [`aws:${B}`, false],
    ]);

    const engine = analysis({
      issues: [
        { severity: 'error', source: 'policy-engine', object: deploy, message: 'could not be evaluated' },
      ],
    });
    const analyzed = buildAwsInventory(env(), engine, { sourceName: 'test' });
    expect(analyzed.scopes.map((s) => [s.id, s.complete])).toEqual([
      [`aws:${A}`, false],
      [`aws:${B}`, true],
    ]);
    expect(analyzed.scopes[0]?.errors?.join()).toContain('could not be evaluated');

    const family = analysis({
      issues: [{ severity: 'error', source: 'analyzer:can-access', message: 'failed' }],
    });
    expect(buildAwsInventory(env(), family, { sourceName: 'test' }).scopes.every((s) => !s.complete)).toBe(
      true,
    );
    const warning = analysis({
      issues: [{ severity: 'warning', source: 'policy-engine', object: deploy, message: 'unknown action' }],
    });
    expect(buildAwsInventory(env(), warning, { sourceName: 'test' }).scopes.every((s) => s.complete)).toBe(
      true,
    );
  });
});

describe('buildAwsInventory: analysis findings become flags', () => {
  const trustEvidence = (statement: string) => ({
    source: 'trust-policy' as const,
    ref: `${app}#trust`,
    statement,
    reason: `trust policy of role app (statement ${statement}) admits account 999999999999`,
  });
  const finding = (
    message: string,
    statement = 'Vendor',
    severity: AwsAnalysis['findings'][number]['severity'] = 'medium',
  ) => ({
    rule: 'aws-cross-account-trust-without-external-id',
    severity,
    subject: app,
    message,
    evidence: [trustEvidence(statement)],
  });

  it('stores each finding as an AnalysisFlag in its subject’s scope, with HAS_FLAG from the subject', () => {
    const issues: CollectionIssue[] = [];
    const inventory = buildAwsInventory(env(), analysis({ findings: [finding('app trusts 999999999999')] }), {
      sourceName: 'test',
      onIssue: (issue) => issues.push(issue),
    });
    const valid = validateInventory(inventory, 'test');
    const flags = valid.nodes.filter((n) => n.kind === 'AnalysisFlag');
    expect(flags).toHaveLength(1);
    const [flag] = flags;
    expect(flag?.id).toMatch(
      /^flag:aws-cross-account-trust-without-external-id:arn:aws:iam::222222222222:role\/app:[0-9a-f]{12}$/,
    );
    expect(flag?.labels).toEqual(['AnalysisFlag', 'Entity']);
    expect(flag?.scope).toBe(`aws:${B}`);
    expect(flag?.properties).toMatchObject({
      rule: 'aws-cross-account-trust-without-external-id',
      severity: 'medium',
      message: 'app trusts 999999999999',
      subject: app,
      provider: 'aws',
      evidenceRefs: [`${app}#trust`],
    });
    expect(JSON.parse(flag?.properties.evidence as string)).toEqual([trustEvidence('Vendor')]);
    const hasFlag = valid.relationships.filter((r) => r.type === 'HAS_FLAG');
    expect(hasFlag).toEqual([
      expect.objectContaining({
        from: app,
        to: flag?.id,
        fromKind: 'AwsRole',
        toKind: 'AnalysisFlag',
        scope: `aws:${B}`,
      }),
    ]);
    expect(issues).toEqual([]);
  });

  it('gives the same fact the same id on every build, and another message another id', () => {
    const ids = (message: string) =>
      buildAwsInventory(env(), analysis({ findings: [finding(message)] }), { sourceName: 'test' })
        .nodes.filter((n) => n.kind === 'AnalysisFlag')
        .map((n) => n.id);
    expect(ids('app trusts 999999999999')).toEqual(ids('app trusts 999999999999'));
    expect(ids('app trusts 888888888888')).not.toEqual(ids('app trusts 999999999999'));
  });

  it('merges a fact found twice into one flag with all the evidence and the higher severity', () => {
    const inventory = buildAwsInventory(
      env(),
      analysis({ findings: [finding('same', 'First'), finding('same', 'Second', 'high')] }),
      { sourceName: 'test' },
    );
    const flags = validateInventory(inventory, 'test').nodes.filter((n) => n.kind === 'AnalysisFlag');
    expect(flags).toHaveLength(1);
    expect(flags[0]?.properties.severity).toBe('high');
    expect(
      JSON.parse(flags[0]?.properties.evidence as string).map((e: { statement: string }) => e.statement),
    ).toEqual(['First', 'Second']);
  });

  it('attaches nothing for a subject that is not in the inventory, and reports a warning naming it', () => {
    const ghost = 'arn:aws:iam::222222222222:role/deleted';
    const issues: CollectionIssue[] = [];
    const inventory = buildAwsInventory(
      env(),
      analysis({ findings: [{ ...finding('ghost trusts 999999999999'), subject: ghost }] }),
      { sourceName: 'test', onIssue: (issue) => issues.push(issue) },
    );
    expect(inventory.nodes.some((n) => n.kind === 'AnalysisFlag')).toBe(false);
    expect(inventory.relationships.some((r) => r.type === 'HAS_FLAG')).toBe(false);
    expect(issues).toEqual([
      expect.objectContaining({
        severity: 'warning',
        object: ghost,
        source: 'analysis-flag:aws-cross-account-trust-without-external-id',
      }),
    ]);
    expect(issues[0]?.message).toContain('not a node of the inventory');
  });
});

describe('awsSourceOf', () => {
  const config = { roleArns: [], accountEnvironments: {} };

  it('reads a snapshot, or the live API with flags over the configuration', () => {
    expect(awsSourceOf({ snapshot: 'snap' }, config)).toEqual({ snapshotDir: 'snap' });
    expect(
      awsSourceOf(
        { profile: 'audit', endpointUrl: 'http://127.0.0.1:5000' },
        { ...config, region: 'eu-west-1', roleArns: [app] },
      ),
    ).toEqual({
      live: { profile: 'audit', region: 'eu-west-1', endpoint: 'http://127.0.0.1:5000', roleArns: [app] },
    });
  });

  it('takes --concurrency over the configured one, for live collection only', () => {
    expect(awsSourceOf({}, { ...config, concurrency: 4 })).toEqual({ live: { concurrency: 4 } });
    expect(awsSourceOf(awsSourceFlags({ concurrency: '16' }), { ...config, concurrency: 4 })).toEqual({
      live: { concurrency: 16 },
    });
    expect(() => awsSourceFlags({ concurrency: '0' })).toThrow(
      '--concurrency takes a whole number from 1 to 64, got "0"',
    );
    expect(() => awsSourceOf({ snapshot: 'snap', concurrency: 2 }, config)).toThrow(
      '--snapshot reads a directory: --concurrency only apply to live collection',
    );
  });

  it('refuses live options next to a snapshot', () => {
    expect(() =>
      awsSourceOf({ snapshot: 'snap', roleArn: [app], endpointUrl: 'http://127.0.0.1:5000' }, config),
    ).toThrow('--snapshot reads a directory: --role-arn, --endpoint-url only apply to live collection');
  });

  it('gives a snapshot --region, the configured home region and the file size limit', () => {
    expect(
      awsSourceOf(
        { snapshot: 'snap', region: 'eu-west-1' },
        { ...config, region: 'us-east-2', snapshotMaxFileBytes: 1024 },
      ),
    ).toEqual({ snapshotDir: 'snap', region: 'eu-west-1', homeRegion: 'us-east-2', maxFileBytes: 1024 });
  });
});
