import { describe, expect, it } from 'vitest';
import {
  ANY_NODE,
  filterOf,
  matchesFilter,
  parseNodeSelector as parseNodeFilter,
} from '../../../src/answers/filters.js';

describe('node filters of query reach', () => {
  it('reads key=value terms: type is a label, account the accountId, true/false booleans', () => {
    expect(parseNodeFilter('nonHuman=true,account=111111111111,type=AwsRole', '--from')).toEqual({
      ...ANY_NODE,
      kinds: ['AwsRole'],
      nonHuman: true,
      properties: [{ key: 'accountId', value: '111111111111' }],
    });
  });

  it('takes anything that does not start with key= as one id, even with = in it', () => {
    expect(parseNodeFilter('arn:aws:iam::111111111111:role/a=b', '--from')).toEqual({
      ...ANY_NODE,
      ids: ['arn:aws:iam::111111111111:role/a=b'],
    });
    expect(parseNodeFilter('id=arn:aws:s3:::b', '--to').ids).toEqual(['arn:aws:s3:::b']);
  });

  it('rejects malformed filters, naming the option', () => {
    expect(() => parseNodeFilter('', '--to')).toThrow(/--to: expected a node id/);
    expect(() => parseNodeFilter('environment=production,=x', '--to')).toThrow(
      /--to: expected key=value terms.*"=x"/,
    );
    expect(() => parseNodeFilter('environment=', '--to')).toThrow(/--to: expected key=value/);
  });

  it('matches every term', () => {
    const node = { id: 'x', labels: ['AwsS3Bucket', 'Resource'], properties: { environment: 'production' } };
    expect(matchesFilter(node, parseNodeFilter('environment=production,type=Resource', '--to'))).toBe(true);
    expect(matchesFilter(node, parseNodeFilter('environment=production,type=AwsKmsKey', '--to'))).toBe(false);
    expect(matchesFilter(node, parseNodeFilter('environment=staging', '--to'))).toBe(false);
  });

  it('is the same filter object the GraphQL inputs make', () => {
    expect(parseNodeFilter('environment=production,sensitivity=high,provider=aws,name=Pay', '--to')).toEqual(
      filterOf({
        environment: ['production'],
        sensitivity: ['high'],
        provider: ['aws'],
        nameContains: 'pay',
      }),
    );
    const unknown = { id: 'y', labels: ['AwsS3Bucket', 'Resource'], properties: {} };
    expect(matchesFilter(unknown, filterOf({ environment: ['unknown'] }))).toBe(true);
    expect(matchesFilter(unknown, filterOf({ kind: ['AwsKmsKey', 'AwsS3Bucket'] }))).toBe(true);
  });
});
