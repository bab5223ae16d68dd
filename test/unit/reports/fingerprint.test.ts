import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { fingerprint } from '../../../src/reports/fingerprint.js';

describe('fingerprint', () => {
  const role = 'arn:aws:iam::111111111111:role/ci/gha-deploy';
  const table = 'arn:aws:dynamodb:eu-west-1:222222222222:table/payments';

  it('is 32 hex digits of the SHA-256 of the rule id and the ids, stable across calls', () => {
    const value = fingerprint('nhi-reaches-production-data', [role, table]);
    expect(value).toMatch(/^[0-9a-f]{32}$/);
    expect(fingerprint('nhi-reaches-production-data', [role, table])).toBe(value);
    const expected = createHash('sha256')
      .update(JSON.stringify(['nhi-reaches-production-data', role, table]))
      .digest('hex')
      .slice(0, 32);
    expect(value).toBe(expected);
  });

  it('changes with the rule, the ids and their order', () => {
    const base = fingerprint('r', ['a', 'b']);
    expect(fingerprint('s', ['a', 'b'])).not.toBe(base);
    expect(fingerprint('r', ['b', 'a'])).not.toBe(base);
    expect(fingerprint('r', ['a', 'c'])).not.toBe(base);
  });

  it('does not confuse ids that contain separators', () => {
    expect(fingerprint('r', ['a|b', 'c'])).not.toBe(fingerprint('r', ['a', 'b|c']));
    expect(fingerprint('r', ['ab'])).not.toBe(fingerprint('r', ['a', 'b']));
  });
});
