import { describe, expect, it } from 'vitest';
import {
  ageDays,
  classificationOptions,
  classifyEnvironment,
  classifySensitivity,
  classifyUser,
  words,
} from '../../../src/collectors/aws/classification.js';
import { user } from '../../helpers/aws-environment.js';

const A = '111122223333';
const defaults = classificationOptions();
const key = (status: 'Active' | 'Inactive' = 'Active') => ({ accessKeyId: 'AKIAEXAMPLEKEY000001', status });

describe('classifyUser', () => {
  it('a user with an active key and no console password is an API key', () => {
    expect(
      classifyUser(user(A, 'reporting', { accessKeys: [key()], hasConsolePassword: false }), defaults),
    ).toEqual({
      nonHuman: true,
      nhiType: 'api-key',
      rule: 'active access keys, no console password',
    });
  });

  it('a user with a console password is a person, even with keys', () => {
    const result = classifyUser(
      user(A, 'alice', { accessKeys: [key()], hasConsolePassword: true }),
      defaults,
    );
    expect(result.nonHuman).toBe(false);
    expect(result.nhiType).toBeUndefined();
  });

  it('only active keys count; the credential report count stands in for an uncollected key list', () => {
    expect(classifyUser(user(A, 'old', { accessKeys: [key('Inactive')] }), defaults).nonHuman).toBe(false);
    expect(classifyUser(user(A, 'old', { activeAccessKeyCount: 2 }), defaults).nhiType).toBe('api-key');
  });

  it('name rules tell CI pipelines and bots apart, unless the user signs in to the console', () => {
    expect(classifyUser(user(A, 'github-actions'), defaults).nhiType).toBe('ci-pipeline');
    expect(classifyUser(user(A, 'terraform_ci'), defaults).nhiType).toBe('ci-pipeline');
    expect(classifyUser(user(A, 'svc-reporting'), defaults).nhiType).toBe('bot');
    expect(classifyUser(user(A, 'cicero'), defaults).nonHuman).toBe(false);
    expect(classifyUser(user(A, 'deploy', { hasConsolePassword: true }), defaults).nonHuman).toBe(false);
  });

  it('a type tag wins over every other rule, including human', () => {
    expect(
      classifyUser(user(A, 'alice', { tags: { 'nhi-type': 'bot' }, hasConsolePassword: true }), defaults),
    ).toMatchObject({
      nonHuman: true,
      nhiType: 'bot',
    });
    expect(classifyUser(user(A, 'github-ci', { tags: { 'NHI-Type': 'human' } }), defaults).nonHuman).toBe(
      false,
    );
  });

  it('rules are configurable', () => {
    const options = classificationOptions({ userNameRules: [{ pattern: '^robo-', nhiType: 'device' }] });
    expect(classifyUser(user(A, 'robo-42'), options).nhiType).toBe('device');
    expect(classifyUser(user(A, 'github-actions'), options).nonHuman).toBe(false);
  });
});

describe('classifyEnvironment', () => {
  const node = (name: string, tags: Record<string, string> = {}, accountId = A) => ({
    name,
    tags,
    accountId,
  });

  it('takes the environment tag first, then the account map, then the name, then the account alias', () => {
    const options = classificationOptions({ accountEnvironments: { [A]: 'staging' } });
    expect(classifyEnvironment(node('dev-orders', { Environment: 'Production' }), undefined, options)).toBe(
      'production',
    );
    expect(classifyEnvironment(node('dev-orders'), undefined, options)).toBe('staging');
    expect(classifyEnvironment(node('dev-orders', {}, '999999999999'), undefined, options)).toBe(
      'development',
    );
    expect(classifyEnvironment(node('orders', {}, '999999999999'), 'acme-prod', options)).toBe('production');
    expect(classifyEnvironment(node('orders', {}, '999999999999'), undefined, options)).toBe('unknown');
  });

  it('matches whole words, not substrings', () => {
    expect(classifyEnvironment(node('product-catalog'), undefined, defaults)).toBe('unknown');
    expect(classifyEnvironment(node('ProdOrders'), undefined, defaults)).toBe('production');
    expect(classifyEnvironment(node('orders', { stage: 'uat' }), undefined, defaults)).toBe('staging');
  });

  it('an unrecognised tag value falls through to the other rules', () => {
    expect(classifyEnvironment(node('orders-prod', { env: 'blue' }), undefined, defaults)).toBe('production');
  });
});

describe('classifySensitivity', () => {
  const resource = (
    name: string,
    type: 's3-bucket' | 'secret' | 'dynamodb-table',
    tags: Record<string, string> = {},
  ) => ({
    name,
    type,
    tags,
  });

  it('takes the classification tag first', () => {
    expect(
      classifySensitivity(
        resource('build-logs', 's3-bucket', { 'data-classification': 'Confidential' }),
        defaults,
      ),
    ).toBe('high');
    expect(classifySensitivity(resource('customers', 's3-bucket', { sensitivity: 'public' }), defaults)).toBe(
      'low',
    );
  });

  it('then words in the name, then the type', () => {
    expect(classifySensitivity(resource('prod-customer-data', 's3-bucket'), defaults)).toBe('high');
    expect(classifySensitivity(resource('build-logs', 's3-bucket'), defaults)).toBe('low');
    expect(classifySensitivity(resource('widgets', 's3-bucket'), defaults)).toBe('unknown');
    expect(classifySensitivity(resource('widgets', 'secret'), defaults)).toBe('high');
    expect(classifySensitivity(resource('widgets', 'dynamodb-table'), defaults)).toBe('medium');
  });

  it('type defaults are configurable', () => {
    const options = classificationOptions({ sensitivityByType: { 's3-bucket': 'medium' } });
    expect(classifySensitivity(resource('widgets', 's3-bucket'), options)).toBe('medium');
  });
});

describe('helpers', () => {
  it('splits names into words', () => {
    expect(words('prod-orders_v2')).toEqual(['prod', 'orders', 'v2']);
    expect(words('GitHubCI.deploy')).toEqual(['git', 'hub', 'ci', 'deploy']);
  });

  it('counts whole days and ignores what is not a date', () => {
    const now = new Date('2024-07-01T00:00:00Z');
    expect(ageDays('2024-06-01T12:00:00+00:00', now)).toBe(29);
    expect(ageDays('2030-01-01T00:00:00Z', now)).toBe(0);
    expect(ageDays('N/A', now)).toBeUndefined();
    expect(ageDays(undefined, now)).toBeUndefined();
  });
});
