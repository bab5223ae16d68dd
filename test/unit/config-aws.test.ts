import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/load-config.js';

describe('AWS settings', () => {
  it('default to the credential chain and no account map', () => {
    expect(loadConfig({ env: {} }).aws).toEqual({ roleArns: [], accountEnvironments: {} });
  });

  it('read comma-separated lists and maps from the environment', () => {
    const { aws } = loadConfig({
      env: {
        REACHGRAPH_AWS_ROLE_ARNS:
          'arn:aws:iam::111111111111:role/audit, arn:aws:iam::222222222222:role/audit',
        REACHGRAPH_AWS_ACCOUNT_ENVIRONMENTS: '111111111111=development,222222222222=production',
        REACHGRAPH_AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      },
    });
    expect(aws.roleArns).toEqual([
      'arn:aws:iam::111111111111:role/audit',
      'arn:aws:iam::222222222222:role/audit',
    ]);
    expect(aws.accountEnvironments).toEqual({ '111111111111': 'development', '222222222222': 'production' });
    expect(aws.endpointUrl).toBe('http://127.0.0.1:5000');
  });

  it('read the live collection concurrency, a whole number from 1 to 64', () => {
    expect(loadConfig({ env: { REACHGRAPH_AWS_CONCURRENCY: '16' } }).aws.concurrency).toBe(16);
    for (const bad of ['0', '65', '2.5', 'many'])
      expect(() => loadConfig({ env: { REACHGRAPH_AWS_CONCURRENCY: bad } })).toThrow(
        /aws\.concurrency \(from environment variable REACHGRAPH_AWS_CONCURRENCY\)/,
      );
  });

  it('name the key and the variable a bad value came from', () => {
    expect(() => loadConfig({ env: { REACHGRAPH_AWS_ACCOUNT_ENVIRONMENTS: '1234=production' } })).toThrow(
      /aws\.accountEnvironments\.1234 \(from environment variable REACHGRAPH_AWS_ACCOUNT_ENVIRONMENTS\)/,
    );
    expect(() =>
      loadConfig({ env: { REACHGRAPH_AWS_ROLE_ARNS: 'arn:aws:iam::111111111111:user/x' } }),
    ).toThrow(
      /aws\.roleArns\.0 \(from environment variable REACHGRAPH_AWS_ROLE_ARNS\): expected IAM role ARNs/,
    );
  });
});
