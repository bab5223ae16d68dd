import { describe, expect, it } from 'vitest';
import { matchesFilter, parseNodeFilter } from '../../../src/queries/paths/filter.js';

describe('node filters of query reach', () => {
  it('reads key=value terms: type is a label, account the accountId, true/false booleans', () => {
    expect(parseNodeFilter('nonHuman=true,account=111111111111,type=AwsRole', '--from')).toEqual({
      id: null,
      labels: ['AwsRole'],
      properties: [
        { key: 'nonHuman', value: true },
        { key: 'accountId', value: '111111111111' },
      ],
    });
  });

  it('takes anything that does not start with key= as one id, even with = in it', () => {
    expect(parseNodeFilter('arn:aws:iam::111111111111:role/a=b', '--from')).toEqual({
      id: 'arn:aws:iam::111111111111:role/a=b',
      labels: [],
      properties: [],
    });
    expect(parseNodeFilter('id=arn:aws:s3:::b', '--to').id).toBe('arn:aws:s3:::b');
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
});
