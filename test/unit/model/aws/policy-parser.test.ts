import { describe, expect, it } from 'vitest';
import { PolicyParseError, parsePolicyDocument } from '../../../../src/model/aws/policy-parser.js';

const plain = {
  Version: '2012-10-17',
  Statement: {
    Sid: 'ReadBucket',
    Effect: 'Allow',
    Action: 's3:GetObject',
    Resource: ['arn:aws:s3:::b/*'],
    Condition: { Bool: { 'aws:SecureTransport': true }, NumericLessThan: { 's3:max-keys': [10, '20'] } },
  },
};

describe('parsePolicyDocument: accepted inputs', () => {
  it('normalizes a single statement object into an indexed array with string lists', () => {
    const doc = parsePolicyDocument(plain, 'test');
    expect(doc.Version).toBe('2012-10-17');
    expect(doc.Statement).toEqual([
      {
        Sid: 'ReadBucket',
        index: 0,
        Effect: 'Allow',
        Action: ['s3:GetObject'],
        Resource: ['arn:aws:s3:::b/*'],
        Condition: {
          Bool: { 'aws:SecureTransport': ['true'] },
          NumericLessThan: { 's3:max-keys': ['10', '20'] },
        },
      },
    ]);
  });

  it('parses plain JSON text and URL-encoded JSON text (as the IAM API returns it) identically', () => {
    const text = JSON.stringify(plain);
    const encoded = encodeURIComponent(text);
    expect(encoded.startsWith('%7B%22Version')).toBe(true);
    expect(parsePolicyDocument(encoded, 'api')).toEqual(parsePolicyDocument(text, 'cli'));
    expect(parsePolicyDocument(`  ${text}\n`, 'cli')).toEqual(parsePolicyDocument(plain, 'obj'));
  });

  it('keeps percent signs inside plain JSON values untouched', () => {
    const doc = parsePolicyDocument(
      '{"Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"arn:aws:s3:::b/100%25"}]}',
      'x',
    );
    expect(doc.Statement[0]?.Resource).toEqual(['arn:aws:s3:::b/100%25']);
  });

  it('indexes several statements in order and keeps Sid only when present', () => {
    const doc = parsePolicyDocument(
      {
        Statement: [
          { Effect: 'Deny', NotAction: ['iam:*'], NotResource: 'arn:aws:iam::*:role/x' },
          { Sid: 'Two', Effect: 'Allow', Action: '*', Resource: '*' },
        ],
      },
      'x',
    );
    expect(doc.Statement.map((s) => [s.index, s.Sid])).toEqual([
      [0, undefined],
      [1, 'Two'],
    ]);
    expect('Sid' in (doc.Statement[0] ?? {})).toBe(false);
    expect(doc.Statement[0]?.NotAction).toEqual(['iam:*']);
    expect(doc.Statement[0]?.NotResource).toEqual(['arn:aws:iam::*:role/x']);
  });

  it.each([
    ['"*"', '*', '*'],
    ['AWS string', { AWS: 'arn:aws:iam::111122223333:root' }, { AWS: ['arn:aws:iam::111122223333:root'] }],
    ['AWS account id', { AWS: '111122223333' }, { AWS: ['111122223333'] }],
    [
      'several types',
      { Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'], Federated: 'cognito-identity.amazonaws.com' },
      {
        Service: ['ec2.amazonaws.com', 'lambda.amazonaws.com'],
        Federated: ['cognito-identity.amazonaws.com'],
      },
    ],
    ['AWS "*"', { AWS: '*' }, { AWS: ['*'] }],
    ['CanonicalUser', { CanonicalUser: 'abc' }, { CanonicalUser: ['abc'] }],
  ])('normalizes Principal (%s)', (_name, principal, expected) => {
    const doc = parsePolicyDocument(
      {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: principal, Action: 'sts:AssumeRole' }],
      },
      'trust',
      'trust',
    );
    expect(doc.Statement[0]?.Principal).toEqual(expected);
  });

  it('accepts a trust policy without Resource and an SCP without Resource', () => {
    expect(() =>
      parsePolicyDocument(
        {
          Statement: [
            { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' },
          ],
        },
        'x',
        'trust',
      ),
    ).not.toThrow();
    expect(() =>
      parsePolicyDocument({ Statement: [{ Effect: 'Deny', Action: 'iam:*' }] }, 'x', 'scp'),
    ).not.toThrow();
  });

  it('accepts NotPrincipal with Deny in a resource policy and with Allow in a resource policy', () => {
    const deny = {
      Effect: 'Deny',
      NotPrincipal: { AWS: 'arn:aws:iam::1:root' },
      Action: 's3:*',
      Resource: '*',
    };
    expect(parsePolicyDocument({ Statement: [deny] }, 'x', 'resource').Statement[0]?.NotPrincipal).toEqual({
      AWS: ['arn:aws:iam::1:root'],
    });
    expect(() =>
      parsePolicyDocument({ Statement: [{ ...deny, Effect: 'Allow' }] }, 'x', 'resource'),
    ).not.toThrow();
  });
});

function parseError(raw: unknown, kind?: Parameters<typeof parsePolicyDocument>[2]): PolicyParseError {
  try {
    parsePolicyDocument(raw, 'aws/111/file.json: role ci, policy deploy', kind);
  } catch (error) {
    expect(error).toBeInstanceOf(PolicyParseError);
    return error as PolicyParseError;
  }
  throw new Error('expected a PolicyParseError');
}

const stmt = (extra: Record<string, unknown>) => ({
  Statement: [{ Sid: 'S1', Effect: 'Allow', Action: 's3:*', Resource: '*', ...extra }],
});

describe('parsePolicyDocument: errors name the origin, the statement and the element', () => {
  it.each([
    [
      'misspelled Actions',
      { Statement: [{ Effect: 'Allow', Actions: 's3:*', Resource: '*' }] },
      '#0',
      'Actions',
      /did you mean "Action"/,
    ],
    [
      'misspelled Efect',
      { Statement: [{ Sid: 'X', Efect: 'Allow', Action: 's3:*', Resource: '*' }] },
      'X',
      'Efect',
      /did you mean "Effect"/,
    ],
    [
      'lowercase resource',
      stmt({ Resource: undefined, resource: '*' }),
      'S1',
      'resource',
      /did you mean "Resource"/,
    ],
    ['misspelled Condtion', stmt({ Condtion: {} }), 'S1', 'Condtion', /did you mean "Condition"/],
    [
      'unrelated element',
      stmt({ Frobnicate: 1 }),
      'S1',
      'Frobnicate',
      /unknown element "Frobnicate"; expected one of/,
    ],
    ['missing Effect', { Statement: [{ Action: 's3:*', Resource: '*' }] }, '#0', 'Effect', /no Effect/],
    ['Effect with wrong value', stmt({ Effect: 'Alow' }), 'S1', 'Effect', /did you mean "Allow"/],
    ['Effect wrong type', stmt({ Effect: true }), 'S1', 'Effect', /must be "Allow" or "Deny"/],
    [
      'both Action and NotAction',
      stmt({ NotAction: 'iam:*' }),
      'S1',
      'NotAction',
      /both Action and NotAction/,
    ],
    [
      'neither Action nor NotAction',
      stmt({ Action: undefined }),
      'S1',
      'Action',
      /neither Action nor NotAction/,
    ],
    [
      'both Resource and NotResource',
      stmt({ NotResource: 'x' }),
      'S1',
      'NotResource',
      /both Resource and NotResource/,
    ],
    [
      'object where a string belongs',
      stmt({ Action: { s3: 'GetObject' } }),
      'S1',
      'Action',
      /string or an array of strings, found an object/,
    ],
    ['number inside Resource', stmt({ Resource: ['arn:aws:s3:::b', 5] }), 'S1', 'Resource', /found number 5/],
    ['empty Action array', stmt({ Action: [] }), 'S1', 'Action', /empty array/],
    [
      'Sid not a string',
      { Statement: [{ Sid: 3, Effect: 'Allow', Action: 's3:*', Resource: '*' }] },
      '#0',
      'Sid',
      /Sid must be a string/,
    ],
    [
      'Principal as a plain ARN string',
      stmt({ Principal: 'arn:aws:iam::1:root' }),
      'S1',
      'Principal',
      /must be "\*" or an object/,
    ],
    [
      'unknown principal type',
      stmt({ Principal: { Aws: '1' } }),
      'S1',
      'Principal.Aws',
      /did you mean "AWS"/,
    ],
    [
      'principal value object',
      stmt({ Principal: { AWS: { arn: 'x' } } }),
      'S1',
      'Principal.AWS',
      /found an object/,
    ],
    ['Condition not an object', stmt({ Condition: ['x'] }), 'S1', 'Condition', /Condition must be an object/],
    [
      'condition operator value not an object',
      stmt({ Condition: { StringEquals: 'x' } }),
      'S1',
      'Condition.StringEquals',
      /must map to an object/,
    ],
    [
      'condition value object',
      stmt({ Condition: { StringEquals: { 'aws:username': { a: 1 } } } }),
      'S1',
      'Condition.StringEquals.aws:username',
      /found an object/,
    ],
    [
      'condition value null',
      stmt({ Condition: { StringEquals: { 'aws:username': null } } }),
      'S1',
      'Condition.StringEquals.aws:username',
      /found null/,
    ],
    ['statement not an object', { Statement: ['Allow'] }, '#0', undefined, /statement must be an object/],
  ])('%s', (_name, raw, statement, element, message) => {
    const error = parseError(raw);
    expect(error.where).toBe('aws/111/file.json: role ci, policy deploy');
    expect(error.statement).toBe(statement);
    expect(error.element).toBe(element);
    expect(error.message).toMatch(message);
    expect(error.message.startsWith('aws/111/file.json: role ci, policy deploy: ')).toBe(true);
  });

  it.each([
    [
      'unknown top-level element',
      { Version: '2012-10-17', Statements: [] },
      'Statements',
      /did you mean "Statement"/,
    ],
    ['missing Statement', { Version: '2012-10-17' }, 'Statement', /no Statement/],
    ['bad Version', { Version: '2012-10-18', Statement: [] }, 'Version', /Version must be one of/],
    ['Id not a string', { Id: 1, Statement: [] }, 'Id', /Id must be a string/],
  ])('document level: %s', (_name, raw, element, message) => {
    const error = parseError(raw);
    expect(error.statement).toBeUndefined();
    expect(error.element).toBe(element);
    expect(error.message).toMatch(message);
  });

  it.each([
    ['an array', [], /must be a JSON object, got an array/],
    ['null', null, /must be a JSON object, got null/],
    ['a number', 42, /got number 42/],
  ])('rejects a document that is %s', (_name, raw, message) => {
    expect(parseError(raw).message).toMatch(message);
  });

  it('reports invalid JSON with its position, line and column', () => {
    const error = parseError('{\n  "Statement": [\n    {"Effect": "Allow",}\n  ]\n}');
    expect(error.message).toMatch(/invalid JSON/);
    expect(error.message).toMatch(/line 3, column \d+/);
  });

  it('reports a truncated document', () => {
    expect(parseError('{"Version":"2012-10-17","Statement":[').message).toMatch(/invalid JSON/);
  });

  it('reports text that is neither JSON nor URL-encoded JSON', () => {
    expect(parseError('%E0%A4%A').message).toMatch(/neither JSON nor valid URL-encoded JSON/);
    expect(parseError('hello').message).toMatch(/invalid JSON/);
  });

  it('rejects NotPrincipal with Allow in trust and identity policies (invalid per AWS)', () => {
    const raw = {
      Statement: [{ Sid: 'T', Effect: 'Allow', NotPrincipal: { AWS: '1' }, Action: 'sts:AssumeRole' }],
    };
    const error = parseError(raw, 'trust');
    expect(error.element).toBe('NotPrincipal');
    expect(error.message).toMatch(/NotPrincipal with "Effect": "Allow" is invalid in a role trust policy/);
  });

  it.each(['identity', 'boundary', 'scp'] as const)('rejects Principal in a %s policy', (kind) => {
    const error = parseError(stmt({ Principal: '*' }), kind);
    expect(error.element).toBe('Principal');
    expect(error.message).toMatch(/Principal is not allowed/);
  });

  it.each(['trust', 'resource', 'rcp'] as const)(
    'requires Principal or NotPrincipal in a %s policy',
    (kind) => {
      const error = parseError(stmt({}), kind);
      expect(error.element).toBe('Principal');
      expect(error.message).toMatch(/neither Principal nor NotPrincipal/);
    },
  );

  it('requires Resource in an identity policy', () => {
    const error = parseError(stmt({ Resource: undefined }), 'identity');
    expect(error.element).toBe('Resource');
  });

  it('does not apply kind rules when no kind is given', () => {
    expect(() => parsePolicyDocument(stmt({ Principal: '*' }), 'x')).not.toThrow();
    expect(() => parsePolicyDocument(stmt({ Resource: undefined }), 'x')).not.toThrow();
  });
});
