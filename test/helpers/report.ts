import type { Evidence } from '../../src/model/evidence.js';
import { fingerprint } from '../../src/reports/fingerprint.js';
import { summarize } from '../../src/reports/summary.js';
import {
  type Finding,
  type FindingHop,
  type NodeRef,
  REPORT_SCHEMA_VERSION,
  type Report,
  type RuleDeclaration,
} from '../../src/reports/types.js';

/**
 * A realistic Report for tests of everything that consumes one (formats, alerts, CLI): several rules
 * and severities, a three-hop path from a CI role to production data with evidence on every hop, a
 * conditional path, path-less findings with facts, a suppressed finding, an expired suppression, and
 * a diff against the previous day with new, resolved and changed paths. Every call returns a fresh
 * object, so a test may change it freely.
 */

export const PROD = '222222222222';
export const TOOLING = '111111111111';

export function nodeRef(kind: string, name: string, scope: string | null = PROD, id?: string): NodeRef {
  const ids: Record<string, () => string> = {
    AwsRole: () => `arn:aws:iam::${scope}:role/${name}`,
    AwsUser: () => `arn:aws:iam::${scope}:user/${name}`,
    AwsS3Bucket: () => `arn:aws:s3:::${name}`,
    AwsDynamoDbTable: () => `arn:aws:dynamodb:eu-west-1:${scope}:table/${name}`,
    AwsAccount: () => `aws:account:${scope}`,
    AwsAccessKey: () => `aws:access-key:${name}`,
  };
  return { id: id ?? ids[kind]?.() ?? `${kind}:${name}`, kind, name, scope };
}

export function evidence(
  source: Evidence['source'],
  ref: string,
  statement: string,
  reason: string,
  conditions?: string[],
): Evidence {
  return conditions ? { source, ref, statement, reason, conditions } : { source, ref, statement, reason };
}

export function hop(
  from: NodeRef,
  to: NodeRef,
  type: string,
  items: Evidence[],
  extra: { technique?: string; levels?: string[] } = {},
): FindingHop {
  const conditional = items.some((e) => (e.conditions ?? []).length > 0);
  return {
    from,
    to,
    type,
    technique: extra.technique ?? null,
    levels: extra.levels ?? [],
    reason: items.map((e) => e.reason).join('; '),
    evidence: items,
    conditional,
  };
}

export function rule(id: string, overrides: Partial<RuleDeclaration> = {}): RuleDeclaration {
  return {
    id,
    title: id.replace(/-/g, ' '),
    category: 'reach',
    severity: 'high',
    description: `Description of ${id}.`,
    recommendation: `Fix ${id}.`,
    compliance: { soc2: ['CC6.1'], iso27001: ['A.5.15'] },
    query: id,
    parameters: {},
    references: [],
    ...overrides,
  };
}

/** A finding; the fingerprint is derived from the rule and the ids unless given. */
export function finding(
  ruleId: string,
  subject: NodeRef,
  target: NodeRef | null,
  overrides: Partial<Finding> = {},
): Finding {
  const path = overrides.path ?? [];
  const base: Finding = {
    fingerprint: fingerprint(ruleId, [subject.id, target?.id ?? '']),
    ruleId,
    title: ruleId.replace(/-/g, ' '),
    category: 'reach',
    severity: 'high',
    subject,
    target,
    message: `${subject.name} ${ruleId.replace(/-/g, ' ')}${target ? ` ${target.name}` : ''}`,
    path,
    conditional: path.some((h) => h.conditional),
    facts: {},
    firstSeen: '2026-11-24T06:00:00.000Z',
    lastSeen: '2026-11-24T06:00:00.000Z',
  };
  return { ...base, ...overrides };
}

export const RULE_IDS = {
  reach: 'nhi-reaches-production-data',
  escalation: 'nhi-can-escalate-to-admin',
  admin: 'nhi-is-administrator',
  oidc: 'oidc-trust-any-subject',
  keyAge: 'access-key-too-old',
  unused: 'role-unused',
  console: 'user-console-and-keys',
} as const;

export function sampleRules(): RuleDeclaration[] {
  return [
    rule(RULE_IDS.reach, {
      title: 'Non-human identity can reach production data',
      severity: 'high',
      description: 'A non-human identity reaches a production data store, directly or through role hops.',
      recommendation:
        'Remove the hop that is not needed (usually a broad `sts:AssumeRole`), or scope the final policy to the actions the workload uses.',
      compliance: { soc2: ['CC6.1', 'CC6.3'], iso27001: ['A.5.15', 'A.8.2'] },
      references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html'],
      parameters: { minLevel: 'read' },
    }),
    rule(RULE_IDS.escalation, {
      title: 'Non-human identity can escalate to administrator',
      category: 'escalation',
      severity: 'critical',
      description: 'A non-human identity can become an administrator of an account it does not administer.',
      recommendation:
        'Remove `iam:PassRole` on administrative roles, or restrict it with `iam:PassedToService`.',
      compliance: { soc2: ['CC6.1', 'CC6.2'], iso27001: ['A.8.2'] },
    }),
    rule(RULE_IDS.admin, {
      title: 'Non-human administrator',
      category: 'admin',
      severity: 'high',
      description: 'A non-human identity has full control of an account.',
      recommendation: 'Replace AdministratorAccess with the permissions the pipeline uses.',
      compliance: { soc2: ['CC6.3'], iso27001: ['A.8.2'], cisAws: ['1.16'] },
    }),
    rule(RULE_IDS.oidc, {
      title: 'OIDC trust admits any subject',
      category: 'trust',
      severity: 'high',
      description: 'A role trusts an OIDC provider without pinning the subject to one repository.',
      recommendation: 'Add a `StringEquals` condition on `token.actions.githubusercontent.com:sub`.',
      compliance: { soc2: ['CC6.1'], iso27001: ['A.5.18'] },
    }),
    rule(RULE_IDS.keyAge, {
      title: 'Access key older than the limit',
      category: 'credentials',
      severity: 'medium',
      description: 'An active access key is older than the configured number of days.',
      recommendation: 'Rotate the key, or replace it with a role.',
      compliance: { soc2: ['CC6.1'], iso27001: ['A.5.18'], cisAws: ['1.14'] },
      parameters: { maxAgeDays: 90 },
    }),
    rule(RULE_IDS.unused, {
      title: 'Role unused',
      category: 'hygiene',
      severity: 'low',
      description: 'A role has not been used for the configured number of days.',
      recommendation: 'Delete the role, or record why it must stay.',
      compliance: { soc2: ['CC6.2'], iso27001: ['A.5.18'] },
      parameters: { unusedDays: 90 },
    }),
    rule(RULE_IDS.console, {
      title: 'User with console password and access keys',
      category: 'credentials',
      severity: 'info',
      description: 'A user has both a console password and active access keys.',
      recommendation: 'Split the human and the machine use into two principals.',
      compliance: { cisAws: ['1.11'] },
    }),
  ];
}

/** The nodes of the sample, so tests can look for their names. */
export function sampleNodes() {
  return {
    ciDeploy: nodeRef('AwsRole', 'ci-deploy', TOOLING),
    toolingAdmin: nodeRef('AwsRole', 'tooling-admin', TOOLING),
    prodDeploy: nodeRef('AwsRole', 'prod-deploy'),
    paymentsBucket: nodeRef('AwsS3Bucket', 'prod-payments-bucket'),
    ghaInfra: nodeRef('AwsRole', 'gha-infra', TOOLING),
    opsAutomation: nodeRef('AwsRole', 'prod-ops-automation'),
    prodAccount: nodeRef('AwsAccount', PROD),
    etlRunner: nodeRef('AwsRole', 'etl-runner'),
    analyticsReader: nodeRef('AwsRole', 'analytics-reader'),
    analyticsWriter: nodeRef('AwsRole', 'analytics-writer'),
    customerTable: nodeRef('AwsDynamoDbTable', 'customer-profiles'),
    backupAgent: nodeRef('AwsRole', 'backup-agent'),
    ledgerBucket: nodeRef('AwsS3Bucket', 'prod-ledger'),
    legacyUser: nodeRef('AwsUser', 'legacy-backup'),
    oldKey: nodeRef('AwsAccessKey', 'AKIAIOSFODNN7EXAMPLE'),
    ghaAny: nodeRef('AwsRole', 'gha-any-repo', TOOLING),
    githubOidc: nodeRef(
      'AwsOidcProvider',
      'token.actions.githubusercontent.com',
      TOOLING,
      `arn:aws:iam::${TOOLING}:oidc-provider/token.actions.githubusercontent.com`,
    ),
    staleRole: nodeRef('AwsRole', 'old-migration'),
    opsUser: nodeRef('AwsUser', 'ops-oncall'),
  };
}

const trust = (role: NodeRef) => `${role.id}#trust`;
const policy = (account: string, name: string) => `arn:aws:iam::${account}:policy/${name}`;

export const SAMPLE_GENERATED_AT = '2026-11-24T06:00:00.000Z';
export const SAMPLE_PREVIOUS_AT = '2026-11-23T06:00:00.000Z';

export function sampleReport(): Report {
  const n = sampleNodes();
  const R = RULE_IDS;

  // The headline: a CI role reaches the payments bucket through two role hops (new since yesterday).
  const paymentsPath = [
    hop(n.ciDeploy, n.toolingAdmin, 'CAN_ASSUME', [
      evidence(
        'identity-policy',
        policy(TOOLING, 'ci-assume-tooling'),
        'AssumeToolingAdmin',
        'ci-deploy may call sts:AssumeRole on role/tooling-admin',
      ),
      evidence(
        'trust-policy',
        trust(n.toolingAdmin),
        '0',
        'trust policy of tooling-admin admits role ci-deploy',
      ),
    ]),
    hop(n.toolingAdmin, n.prodDeploy, 'CAN_ASSUME', [
      evidence(
        'trust-policy',
        trust(n.prodDeploy),
        'FromTooling',
        'trust policy of prod-deploy admits account 111111111111',
      ),
    ]),
    hop(
      n.prodDeploy,
      n.paymentsBucket,
      'CAN_ACCESS',
      [
        evidence(
          'identity-policy',
          policy(PROD, 'deploy-artifacts'),
          'WriteArtifacts',
          'allows s3:PutObject and s3:GetObject on arn:aws:s3:::prod-*',
        ),
      ],
      { levels: ['list', 'read', 'write'] },
    ),
  ];
  const payments = finding(R.reach, n.ciDeploy, n.paymentsBucket, {
    title: 'Non-human identity can reach production data',
    severity: 'critical',
    message: 'ci-deploy can write prod-payments-bucket (production, high sensitivity) in 3 hops',
    path: paymentsPath,
    facts: { hops: 3, environment: 'production', sensitivity: 'high' },
  });

  const escalation = finding(R.escalation, n.ghaInfra, n.prodAccount, {
    title: 'Non-human identity can escalate to administrator',
    category: 'escalation',
    severity: 'critical',
    message: 'gha-infra can become administrator of 222222222222 by passing a role to Lambda',
    path: [
      hop(
        n.ghaInfra,
        n.opsAutomation,
        'CAN_ESCALATE',
        [
          evidence(
            'identity-policy',
            policy(TOOLING, 'infra-deploy'),
            'LambdaDeploy',
            'allows iam:PassRole on role/prod-ops-automation and lambda:CreateFunction, lambda:InvokeFunction',
          ),
        ],
        { technique: 'lambda-001' },
      ),
      hop(n.opsAutomation, n.prodAccount, 'ADMINISTERS', [
        evidence(
          'identity-policy',
          'arn:aws:iam::aws:policy/AdministratorAccess',
          '0',
          'AdministratorAccess allows * on *',
        ),
      ]),
    ],
    facts: { hops: 2, technique: 'lambda-001' },
    firstSeen: '2026-10-02T06:00:00.000Z',
  });

  const admin = finding(R.admin, n.opsAutomation, n.prodAccount, {
    title: 'Non-human administrator',
    category: 'admin',
    severity: 'high',
    message: 'prod-ops-automation administers 222222222222 through AdministratorAccess',
    path: [
      hop(n.opsAutomation, n.prodAccount, 'ADMINISTERS', [
        evidence(
          'identity-policy',
          'arn:aws:iam::aws:policy/AdministratorAccess',
          '0',
          'AdministratorAccess allows * on *',
        ),
      ]),
    ],
    firstSeen: '2026-09-14T06:00:00.000Z',
  });

  // Holds only if the caller's source IP matches: could not be decided offline.
  const analyticsAfter = finding(R.reach, n.etlRunner, n.customerTable, {
    title: 'Non-human identity can reach production data',
    severity: 'high',
    message: 'etl-runner can read customer-profiles (production) under an undecided condition',
    path: [
      hop(n.etlRunner, n.analyticsReader, 'CAN_ASSUME', [
        evidence(
          'trust-policy',
          trust(n.analyticsReader),
          'EtlOnly',
          'trust policy of analytics-reader admits role etl-runner when aws:SourceIp matches',
          ['aws:SourceIp'],
        ),
      ]),
      hop(
        n.analyticsReader,
        n.customerTable,
        'CAN_ACCESS',
        [
          evidence(
            'identity-policy',
            policy(PROD, 'analytics-read'),
            'ReadProfiles',
            'allows dynamodb:GetItem and dynamodb:Query on table/customer-profiles',
          ),
        ],
        { levels: ['read'] },
      ),
    ],
    facts: { hops: 2, environment: 'production' },
    firstSeen: '2026-11-02T06:00:00.000Z',
  });
  const analyticsBefore: Finding = {
    ...analyticsAfter,
    message: 'etl-runner can write customer-profiles (production)',
    conditional: false,
    path: [
      hop(n.etlRunner, n.analyticsWriter, 'CAN_ASSUME', [
        evidence(
          'trust-policy',
          trust(n.analyticsWriter),
          '0',
          'trust policy of analytics-writer admits role etl-runner',
        ),
      ]),
      hop(
        n.analyticsWriter,
        n.customerTable,
        'CAN_ACCESS',
        [evidence('identity-policy', policy(PROD, 'analytics-write'), 'Write', 'allows dynamodb:PutItem')],
        { levels: ['read', 'write'] },
      ),
    ],
    lastSeen: SAMPLE_PREVIOUS_AT,
  };

  const oidc = finding(R.oidc, n.ghaAny, n.githubOidc, {
    title: 'OIDC trust admits any subject',
    category: 'trust',
    severity: 'high',
    message: 'gha-any-repo trusts token.actions.githubusercontent.com for any repository (sub: repo:*)',
    facts: { subjectPattern: 'repo:*', audience: 'sts.amazonaws.com' },
    evidence: [
      evidence(
        'trust-policy',
        trust(n.ghaAny),
        'GitHubActions',
        'StringLike token.actions.githubusercontent.com:sub "repo:*" admits every repository on GitHub',
      ),
    ],
    firstSeen: '2026-08-30T06:00:00.000Z',
  });

  const oldKey = finding(R.keyAge, n.legacyUser, n.oldKey, {
    title: 'Access key older than the limit',
    category: 'credentials',
    severity: 'medium',
    message: 'legacy-backup has an active access key 412 days old',
    facts: { ageDays: 412, accessKeyId: 'AKIAIOSFODNN7EXAMPLE', lastUsedDays: 3 },
    firstSeen: '2026-01-10T06:00:00.000Z',
  });

  const unused = finding(R.unused, n.staleRole, null, {
    title: 'Role unused',
    category: 'hygiene',
    severity: 'low',
    message: 'old-migration has not been used for 190 days',
    facts: { unusedDays: 190, lastUsed: '2026-05-18' },
    firstSeen: '2026-08-16T06:00:00.000Z',
  });

  const consoleAndKeys: Finding = {
    ...finding(R.console, n.opsUser, null, {
      title: 'User with console password and access keys',
      category: 'credentials',
      severity: 'info',
      message: 'ops-oncall has a console password and 1 active access key',
      facts: { activeKeys: 1, passwordEnabled: true },
      firstSeen: '2026-07-01T06:00:00.000Z',
    }),
    suppression: { reason: 'Break-glass user, reviewed quarterly (SEC-142)', expires: '2027-03-31' },
  };

  // Gone since yesterday: the backup agent lost write access to the ledger.
  const ledger = finding(R.reach, n.backupAgent, n.ledgerBucket, {
    title: 'Non-human identity can reach production data',
    severity: 'critical',
    message: 'backup-agent can write prod-ledger (production, high sensitivity)',
    path: [
      hop(n.backupAgent, n.toolingAdmin, 'CAN_ASSUME', [
        evidence(
          'trust-policy',
          trust(n.toolingAdmin),
          '1',
          'trust policy of tooling-admin admits role backup-agent',
        ),
      ]),
      hop(
        n.toolingAdmin,
        n.ledgerBucket,
        'CAN_ACCESS',
        [
          evidence(
            'resource-policy',
            `${n.ledgerBucket.id}#policy`,
            'ToolingWrite',
            'bucket policy allows s3:PutObject',
          ),
        ],
        { levels: ['read', 'write'] },
      ),
    ],
    firstSeen: '2026-10-20T06:00:00.000Z',
    lastSeen: SAMPLE_PREVIOUS_AT,
    resolvedAt: SAMPLE_GENERATED_AT,
  });

  const findings = [payments, escalation, admin, analyticsAfter, oidc, oldKey, unused];
  const suppressed = [consoleAndKeys];
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    id: 'rpt-20261124-060000-4f2a',
    generatedAt: SAMPLE_GENERATED_AT,
    job: 'nightly',
    graphRun: {
      id: 'run-20261124-054512-9c1e',
      finishedAt: '2026-11-24T05:52:40.000Z',
      asOf: '2026-11-24T05:45:12.000Z',
    },
    rules: sampleRules(),
    summary: summarize(findings, suppressed),
    diff: {
      previousReportId: 'rpt-20261123-060000-77b0',
      previousGeneratedAt: SAMPLE_PREVIOUS_AT,
      newFindings: [payments],
      resolvedFindings: [ledger],
      unchangedCount: findings.length - 1,
      newPaths: [payments],
      removedPaths: [ledger],
      changedPaths: [{ before: analyticsBefore, after: analyticsAfter }],
    },
    findings,
    suppressed,
    expiredSuppressions: [
      {
        fingerprint: oldKey.fingerprint,
        reason: 'Vendor integration, key rotation planned',
        expires: '2026-11-01',
      },
    ],
  };
}
