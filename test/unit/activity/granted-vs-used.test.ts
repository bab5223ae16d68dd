import { describe, expect, it } from 'vitest';
import { compareGrantedUsed, delegationHops, withinResource } from '../../../src/activity/granted-vs-used.js';

const call = (
  action: string,
  resource: string | null,
  outcome = 'success',
  count = 1,
  lastTime = '2026-11-02T00:00:00Z',
) => ({
  action,
  resource,
  outcome,
  count,
  lastTime,
});

describe('granted vs used', () => {
  it('an S3 object is inside its bucket, nothing else is', () => {
    expect(withinResource('arn:aws:s3:::data/a/b', 'arn:aws:s3:::data')).toBe(true);
    expect(withinResource('arn:aws:s3:::data', 'arn:aws:s3:::data')).toBe(true);
    expect(withinResource('arn:aws:s3:::data-2/a', 'arn:aws:s3:::data')).toBe(false);
  });

  it('marks access used by successful calls on the resource, assumptions by the role assumed', () => {
    const answer = compareGrantedUsed(
      [
        {
          type: 'CAN_ACCESS',
          target: 'arn:aws:s3:::data',
          levels: ['read'],
          actions: null,
          environment: 'production',
        },
        {
          type: 'CAN_ACCESS',
          target: 'arn:aws:s3:::logs',
          levels: ['read'],
          actions: null,
          environment: null,
        },
        {
          type: 'CAN_ASSUME',
          target: 'arn:aws:iam::1:role/a',
          levels: null,
          actions: null,
          environment: null,
        },
      ],
      [
        call('s3:GetObject', 'arn:aws:s3:::data/k', 'success', 3, '2026-11-03T00:00:00Z'),
        call('s3:ListObjects', 'arn:aws:s3:::data', 'success', 1, '2026-11-01T00:00:00Z'),
        call('s3:GetObject', 'arn:aws:s3:::logs/k', 'denied'),
        call('sts:AssumeRole', 'arn:aws:iam::1:role/a'),
        call('sts:AssumeRole', 'arn:aws:iam::1:role/b'),
      ],
    );
    expect(answer.granted.map((g) => [g.target, g.used, g.useCount, g.lastUsed, g.actionsUsed])).toEqual([
      ['arn:aws:s3:::data', true, 4, '2026-11-03T00:00:00Z', ['s3:GetObject', 's3:ListObjects']],
      ['arn:aws:s3:::logs', false, 0, null, []],
      ['arn:aws:iam::1:role/a', true, 1, '2026-11-02T00:00:00Z', ['sts:AssumeRole']],
    ]);
    expect(answer.unpredicted.map((u) => u.resource)).toEqual(['arn:aws:iam::1:role/b']);
    expect(answer.denied.map((d) => d.resource)).toEqual(['arn:aws:s3:::logs/k']);
  });

  it('reads the impersonation hops of a GCP delegation chain and of a Kubernetes impersonation', () => {
    expect(
      delegationHops(
        'gcp:user:a@x.com > gcp:sa:b@p.iam.gserviceaccount.com',
        'gcp:sa:b@p.iam.gserviceaccount.com',
      ),
    ).toEqual([['gcp:user:a@x.com', 'gcp:sa:b@p.iam.gserviceaccount.com']]);
    expect(delegationHops('gcp:user:a@x.com > gcp:sa:b@p > gcp:sa:c@p', 'gcp:sa:c@p')).toEqual([
      ['gcp:user:a@x.com', 'gcp:sa:b@p'],
      ['gcp:sa:b@p', 'gcp:sa:c@p'],
    ]);
    expect(delegationHops('k8s:c:user:alice', 'k8s:c:ns:sa:deployer')).toEqual([
      ['k8s:c:user:alice', 'k8s:c:ns:sa:deployer'],
    ]);
  });

  it('marks an impersonation edge used by the chains that take its hop, and lists hops no edge predicted', () => {
    const sa = (n: string) => `gcp:sa:${n}@p.iam.gserviceaccount.com`;
    const answer = compareGrantedUsed(
      [
        { type: 'CAN_IMPERSONATE', target: sa('b'), levels: null, actions: null, environment: null },
        { type: 'CAN_IMPERSONATE', target: sa('d'), levels: null, actions: null, environment: null },
      ],
      [],
      [
        { origin: `${sa('a')} > ${sa('b')}`, identity: sa('b'), count: 2, lastTime: '2026-11-02T00:00:00Z' },
        {
          origin: `${sa('a')} > ${sa('b')} > ${sa('c')}`,
          identity: sa('c'),
          count: 1,
          lastTime: '2026-11-03T00:00:00Z',
        },
        { origin: `${sa('a')} > ${sa('e')}`, identity: sa('e'), count: 1, lastTime: '2026-11-01T00:00:00Z' },
      ],
      sa('a'),
    );
    expect(answer.granted.map((g) => [g.target, g.used, g.useCount, g.lastUsed])).toEqual([
      [sa('b'), true, 3, '2026-11-03T00:00:00Z'],
      [sa('d'), false, 0, null],
    ]);
    expect(answer.unpredictedImpersonations.map((d) => d.identity)).toEqual([sa('e')]);
  });
});
