import { describe, expect, it } from 'vitest';
import { CONDITION_KEYS, conditionKey } from '../../../../src/analyzers/aws-iam/engine/condition-keys.js';
import {
  type ContextValues,
  evaluate,
  type PolicySet,
  type Request,
  RequestContext,
  type RequestPrincipal,
} from '../../../../src/analyzers/aws-iam/engine/index.js';
import type { ConditionBlock } from '../../../../src/model/aws/policy.js';
import { allow, deny, doc, type StatementInput } from '../../../helpers/aws-environment.js';

/**
 * Which condition keys the engine decides offline, and how: time from the analysis time, keys the
 * collection fixes, keys the caller chooses (satisfiable), keys that stay conditional. Examples
 * follow the AWS documentation:
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_condition_operators.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_examples_aws-dates.html
 */

const A = '111122223333';
const alice: RequestPrincipal = {
  arn: `arn:aws:iam::${A}:user/alice`,
  kind: 'user',
  accountId: A,
  username: 'alice',
  userId: 'AIDAALICE',
  tags: { team: 'payments' },
  orgId: 'o-abc',
  orgPaths: ['o-abc/r-1/ou-1/'],
};
const deploy: RequestPrincipal = {
  arn: `arn:aws:iam::${A}:role/deploy`,
  kind: 'role',
  accountId: A,
  tags: {},
  maxSessionSeconds: 3600,
};
const INSTANCE = `arn:aws:ec2:eu-west-1:${A}:instance/i-0123`;
const QUEUE = `arn:aws:sqs:us-east-1:${A}:orders`;
const BUCKET = 'arn:aws:s3:::orders';
const AS_OF = new Date('2026-06-15T12:00:00Z');

function identity(...statements: StatementInput[]): PolicySet {
  return { identityPolicies: [{ id: 'p', name: 'policy', kind: 'inline', document: doc(...statements) }] };
}

function ask(
  policies: PolicySet,
  options: {
    principal?: RequestPrincipal;
    resource?: string;
    asOf?: Date;
    context?: ContextValues;
    tags?: Record<string, string>;
  } = {},
) {
  const request: Request = {
    principal: options.principal ?? alice,
    action: 'ec2:StartInstances',
    resource: {
      arn: options.resource ?? INSTANCE,
      ...(options.tags ? { tags: options.tags } : {}),
    },
    ...(options.context ? { context: options.context } : {}),
    ...(options.asOf === undefined ? { asOf: AS_OF } : { asOf: options.asOf }),
  };
  return evaluate(request, policies);
}

const when = (Condition: ConditionBlock) => allow('ec2:StartInstances', '*', { Condition });
const denyWhen = (Condition: ConditionBlock) => deny('ec2:StartInstances', '*', { Condition });
const everything = allow('ec2:StartInstances');

describe('time: aws:CurrentTime and aws:EpochTime from the analysis time', () => {
  // The documentation's example: "Allows access within specific dates".
  const window = (from: string, to: string) =>
    when({ DateGreaterThan: { 'aws:CurrentTime': [from] }, DateLessThan: { 'aws:CurrentTime': [to] } });

  it('grants inside the window', () => {
    const d = ask(identity(window('2026-04-01T00:00:00Z', '2026-06-30T23:59:59Z')));
    expect(d.outcome).toBe('allow');
  });

  it('a window that has ended is no grant, not even a conditional one', () => {
    const d = ask(identity(window('2020-04-01T00:00:00Z', '2020-06-30T23:59:59Z')));
    expect(d.outcome).toBe('implicit-deny');
    expect(d.notBefore).toBeUndefined();
    expect(d.conditions).toEqual([]);
  });

  it('a window that starts later is "not yet, from DATE"', () => {
    const d = ask(identity(window('2027-01-01T00:00:00Z', '2027-12-31T00:00:00Z')));
    expect(d.outcome).toBe('implicit-deny');
    expect(d.notBefore).toBe('2027-01-01T00:00:00.001Z');
    expect(d.reason).toMatch(/^not yet: from 2027-01-01T00:00:00.001Z, allowed by policy/);
  });

  it('DateGreaterThanEquals starts exactly at its date', () => {
    const d = ask(identity(when({ DateGreaterThanEquals: { 'aws:CurrentTime': ['2027-01-01T00:00:00Z'] } })));
    expect(d.notBefore).toBe('2027-01-01T00:00:00.000Z');
  });

  it('a later window behind a Deny in force by then is not reported as "not yet"', () => {
    const d = ask(
      identity(
        window('2027-01-01T00:00:00Z', '2027-12-31T00:00:00Z'),
        denyWhen({ DateGreaterThan: { 'aws:CurrentTime': ['2026-12-01T00:00:00Z'] } }),
      ),
    );
    expect(d.outcome).toBe('implicit-deny');
    expect(d.notBefore).toBeUndefined();
  });

  it('--as-of changes the answer reproducibly', () => {
    const policies = identity(window('2026-04-01T00:00:00Z', '2026-06-30T23:59:59Z'));
    expect(ask(policies, { asOf: new Date('2026-05-01T00:00:00Z') }).outcome).toBe('allow');
    expect(ask(policies, { asOf: new Date('2026-07-01T00:00:00Z') }).outcome).toBe('implicit-deny');
    expect(ask(policies, { asOf: new Date('2026-03-01T00:00:00Z') }).notBefore).toBe(
      '2026-04-01T00:00:00.001Z',
    );
  });

  it('without an analysis time the keys stay undecided', () => {
    const request: Request = {
      principal: alice,
      action: 'ec2:StartInstances',
      resource: { arn: INSTANCE },
    };
    const d = evaluate(request, identity(window('2020-04-01T00:00:00Z', '2020-06-30T23:59:59Z')));
    expect(d.outcome).toBe('conditional');
  });

  it('Numeric operators on aws:EpochTime (seconds)', () => {
    const epoch = AS_OF.getTime() / 1000;
    expect(ask(identity(when({ NumericLessThan: { 'aws:EpochTime': [String(epoch + 60)] } }))).outcome).toBe(
      'allow',
    );
    expect(ask(identity(when({ NumericLessThan: { 'aws:EpochTime': [String(epoch - 60)] } }))).outcome).toBe(
      'implicit-deny',
    );
    // Date operators accept epoch seconds too.
    const later = ask(identity(when({ DateGreaterThan: { 'aws:EpochTime': [String(epoch + 60)] } })));
    expect(later.notBefore).toBe(new Date((epoch + 61) * 1000).toISOString());
  });

  it('a Deny certainly in force applies, one certainly out of force does not', () => {
    const inForce = denyWhen({ DateGreaterThan: { 'aws:CurrentTime': ['2026-01-01T00:00:00Z'] } });
    const ended = denyWhen({ DateLessThan: { 'aws:CurrentTime': ['2026-01-01T00:00:00Z'] } });
    expect(ask(identity(everything, inForce)).outcome).toBe('explicit-deny');
    const d = ask(identity(everything, ended));
    expect(d.outcome).toBe('allow');
    expect(d.deniedBy).toEqual([]);
  });
});

describe('time: aws:TokenIssueTime within the sessions usable at the analysis time', () => {
  // The documentation's "revoke older sessions" policy: deny sessions issued before a date.
  const revokedBefore = (date: string) => denyWhen({ DateLessThan: { 'aws:TokenIssueTime': [date] } });

  it('a role session is at most MaxSessionDuration old: a revocation older than that denies nothing', () => {
    const d = ask(identity(everything, revokedBefore('2026-06-15T10:00:00Z')), { principal: deploy });
    expect(d.outcome).toBe('allow');
  });

  it('a revocation at or after the analysis time denies every session', () => {
    const d = ask(identity(everything, revokedBefore('2026-06-15T12:00:01Z')), { principal: deploy });
    expect(d.outcome).toBe('explicit-deny');
  });

  it('a revocation inside the interval leaves it conditional', () => {
    const d = ask(identity(everything, revokedBefore('2026-06-15T11:30:00Z')), { principal: deploy });
    expect(d.outcome).toBe('conditional');
    expect(d.conditions).toEqual([
      { operator: 'DateLessThan', key: 'aws:TokenIssueTime', values: ['2026-06-15T11:30:00Z'] },
    ]);
  });

  it('a user may call with long-term keys (no aws:TokenIssueTime), which such a Deny does not match', () => {
    const d = ask(identity(everything, revokedBefore('2026-06-15T12:00:01Z')));
    expect(d.outcome).toBe('conditional');
  });

  it('a user: a Null check demanding the key decides against long-term keys only conditionally', () => {
    const d = ask(identity(when({ Null: { 'aws:TokenIssueTime': ['false'] } })));
    expect(d.outcome).toBe('conditional');
  });

  it('a role session always has the key', () => {
    const d = ask(identity(when({ Null: { 'aws:TokenIssueTime': ['false'] } })), { principal: deploy });
    expect(d.outcome).toBe('allow');
  });
});

describe('keys the caller chooses are satisfiable, not conditional', () => {
  it('aws:SecureTransport: the documentation’s Deny of plain HTTP is avoided by using HTTPS', () => {
    const d = ask(identity(everything, denyWhen({ Bool: { 'aws:SecureTransport': ['false'] } })));
    expect(d.outcome).toBe('allow');
    expect(d.chosen).toEqual({ 'aws:SecureTransport': ['true'] });
    expect(d.reason).toContain('the caller sends aws:SecureTransport = ["true"]');
  });

  it('aws:RequestTag: an Allow needing a tag value holds with that value', () => {
    const d = ask(identity(when({ StringEquals: { 'aws:RequestTag/team': ['payments'] } })));
    expect(d.outcome).toBe('allow');
    expect(d.chosen).toEqual({ 'aws:RequestTag/team': ['payments'] });
  });

  it('a Null check demanding absence is satisfied by leaving the key out', () => {
    const d = ask(identity(when({ Null: { 'aws:RequestTag/owner': ['true'] } })));
    expect(d.outcome).toBe('allow');
    expect(d.chosen).toEqual({ 'aws:RequestTag/owner': null });
  });

  it('aws:TagKeys with ForAllValues (the documentation’s example) holds', () => {
    const d = ask(
      identity(when({ 'ForAllValues:StringEquals': { 'aws:TagKeys': ['environment', 'cost-center'] } })),
    );
    expect(d.outcome).toBe('allow');
  });

  it('contradictory conditions in one statement grant nothing', () => {
    const d = ask(
      identity(
        when({
          StringEquals: { 'aws:RequestTag/team': ['payments'] },
          StringLike: { 'aws:RequestTag/team': ['ops-*'] },
        }),
      ),
    );
    expect(d.outcome).toBe('implicit-deny');
    expect(d.reason).toContain('whatever the caller sends');
  });

  it('one request for every statement: a value the Allow needs and the Deny forbids grants nothing', () => {
    const d = ask(
      identity(
        when({ StringEquals: { 'aws:RequestTag/team': ['payments'] } }),
        denyWhen({ StringEquals: { 'aws:RequestTag/team': ['payments'] } }),
      ),
    );
    expect(d.outcome).not.toBe('allow');
    expect(d.outcome).not.toBe('conditional');
  });

  it('a caller-chosen key next to an undecidable one leaves only the undecidable one', () => {
    const d = ask(
      identity(
        when({
          StringEquals: { 'aws:RequestTag/team': ['payments'] },
          IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] },
        }),
      ),
    );
    expect(d.outcome).toBe('conditional');
    expect(d.conditions.map((c) => c.key)).toEqual(['aws:SourceIp']);
  });

  it('a value the analysis passes is kept, not chosen', () => {
    const d = ask(identity(when({ StringEquals: { 'aws:RequestTag/team': ['payments'] } })), {
      context: { 'aws:RequestTag/team': ['ops'] },
    });
    expect(d.outcome).toBe('implicit-deny');
  });
});

describe('keys the collection decides', () => {
  it('aws:RequestedRegion of a regional resource is its ARN’s region', () => {
    const inRegion = identity(when({ StringEquals: { 'aws:RequestedRegion': ['eu-west-1'] } }));
    expect(ask(inRegion).outcome).toBe('allow');
    expect(ask(inRegion, { resource: QUEUE }).outcome).toBe('implicit-deny');
    // S3 bucket ARNs carry no region: the request may go to any endpoint.
    expect(ask(inRegion, { resource: BUCKET }).outcome).toBe('conditional');
  });

  it('a service’s own resource-tag key (ec2:ResourceTag) reads the collected tags', () => {
    const policies = identity(when({ StringEquals: { 'ec2:ResourceTag/env': ['dev'] } }));
    expect(ask(policies, { tags: { env: 'dev' } }).outcome).toBe('allow');
    expect(ask(policies, { tags: { env: 'prod' } }).outcome).toBe('implicit-deny');
    expect(ask(policies).outcome).toBe('conditional');
  });

  it('aws:SourceArn is absent when an IAM principal calls directly', () => {
    const confusedDeputy = denyWhen({ StringNotEquals: { 'aws:SourceAccount': [A] } });
    expect(ask(identity(everything, confusedDeputy)).outcome).toBe('explicit-deny');
    // The documented pattern limits the Deny to requests that carry the key.
    const onlyServices = denyWhen({
      StringNotEquals: { 'aws:SourceAccount': [A] },
      Null: { 'aws:SourceAccount': ['false'] },
    });
    expect(ask(identity(everything, onlyServices)).outcome).toBe('allow');
  });
});

describe('keys that stay conditional', () => {
  it.each([
    ['IpAddress', 'aws:SourceIp', '203.0.113.0/24'],
    ['Bool', 'aws:MultiFactorAuthPresent', 'true'],
    ['StringEquals', 'aws:SourceVpce', 'vpce-1a2b3c4d'],
    ['StringEquals', 'sts:ExternalId', 'Example Corp'],
  ])('%s %s', (operator, key, value) => {
    const d = ask(identity(when({ [operator]: { [key]: [value] } })));
    expect(d.outcome).toBe('conditional');
    expect(d.conditions).toEqual([{ operator, key, values: [value] }]);
  });
});

describe('the condition-key table', () => {
  it('names each key once', () => {
    const keys = CONDITION_KEYS.map((k) => k.key.toLowerCase());
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('cites an AWS documentation page for each key', () => {
    for (const entry of CONDITION_KEYS)
      expect(entry.doc, entry.key).toMatch(/^https:\/\/docs\.aws\.amazon\.com\//);
  });

  it('finds keys case-insensitively, by prefix, and any service’s resource-tag key', () => {
    expect(conditionKey('AWS:SECURETRANSPORT')?.decision).toBe('attacker-chosen');
    expect(conditionKey('aws:RequestTag/CostCenter')?.decision).toBe('attacker-chosen');
    expect(conditionKey('secretsmanager:ResourceTag/env')?.decision).toBe('known');
    expect(conditionKey('aws:SourceIp')?.decision).toBe('undecidable');
    expect(conditionKey('example:Unlisted')).toBeUndefined();
  });

  it('every key it calls known is derived by the engine for an IAM user', () => {
    const context = new RequestContext({
      principal: alice,
      action: 'ec2:StartInstances',
      resource: { arn: INSTANCE, accountId: A, tags: { env: 'dev' } },
      asOf: AS_OF,
    });
    for (const entry of CONDITION_KEYS.filter((k) => k.decision === 'known' && !k.perRequest)) {
      const key = entry.key.replace('<service>', 'ec2').replace(/[/:]$/, (end) => `${end}env`);
      const decided = context.get(key) !== undefined || context.timeRange(key) !== undefined;
      expect(decided, key).toBe(true);
    }
  });
});

describe('IAM’s own keys', () => {
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_iam-condition-keys.html
  const ADMIN = 'arn:aws:iam::aws:policy/AdministratorAccess';
  const READ_ONLY = 'arn:aws:iam::aws:policy/ReadOnlyAccess';
  const attachOnly = when({ ArnEquals: { 'iam:PolicyARN': [READ_ONLY] } });

  it('iam:PolicyARN: the caller picks the policy, so an Allow limited to one policy holds for that one', () => {
    const d = ask(identity(attachOnly));
    expect(d.outcome).toBe('allow');
    expect(d.chosen).toEqual({ 'iam:PolicyARN': [READ_ONLY] });
  });

  it('iam:PolicyARN passed by a technique (AdministratorAccess) is kept: the limited Allow does not hold', () => {
    expect(ask(identity(attachOnly), { context: { 'iam:PolicyARN': [ADMIN] } }).outcome).toBe(
      'implicit-deny',
    );
  });

  it('iam:PermissionsBoundary: the documentation’s "create users only with this boundary" holds with it', () => {
    const boundary = `arn:aws:iam::${A}:policy/DeveloperBoundary`;
    const d = ask(identity(when({ StringEquals: { 'iam:PermissionsBoundary': [boundary] } })));
    expect(d.outcome).toBe('allow');
    expect(d.chosen).toEqual({ 'iam:PermissionsBoundary': [boundary] });
  });

  it('iam:PassedToService is decided where the analysis passes it, conditional elsewhere', () => {
    const ec2Only = identity(when({ StringEquals: { 'iam:PassedToService': ['ec2.amazonaws.com'] } }));
    expect(ask(ec2Only, { context: { 'iam:PassedToService': ['ec2.amazonaws.com'] } }).outcome).toBe('allow');
    expect(ask(ec2Only, { context: { 'iam:PassedToService': ['lambda.amazonaws.com'] } }).outcome).toBe(
      'implicit-deny',
    );
    expect(ask(ec2Only).outcome).toBe('conditional');
  });

  it('iam:AssociatedResourceArn stays conditional: a new resource’s ARN is assigned when it is created', () => {
    const d = ask(
      identity(when({ ArnLike: { 'iam:AssociatedResourceArn': [`arn:aws:ec2:us-east-1:${A}:instance/*`] } })),
    );
    expect(d.outcome).toBe('conditional');
  });

  it('the table decides each IAM key the escalation techniques test', () => {
    expect(
      Object.fromEntries(
        [
          'iam:PassedToService',
          'iam:PolicyARN',
          'iam:PermissionsBoundary',
          'iam:AssociatedResourceArn',
          'iam:OrganizationsPolicyId',
          'iam:AWSServiceName',
        ].map((k) => [k, conditionKey(k)?.decision]),
      ),
    ).toEqual({
      'iam:PassedToService': 'known',
      'iam:PolicyARN': 'attacker-chosen',
      'iam:PermissionsBoundary': 'attacker-chosen',
      'iam:AssociatedResourceArn': 'undecidable',
      'iam:OrganizationsPolicyId': 'attacker-chosen',
      'iam:AWSServiceName': 'attacker-chosen',
    });
  });
});
