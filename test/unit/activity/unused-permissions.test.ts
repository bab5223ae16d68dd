import { describe, expect, it } from 'vitest';
import { compareGrantedUsed, type GrantedEdge } from '../../../src/activity/granted-vs-used.js';
import { grantedActionUsed, serviceOf, usedActionName } from '../../../src/activity/permission-names.js';
import { routeUse, unusedPermissionsOf } from '../../../src/activity/unused-permissions.js';

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
const COVERAGE = [
  {
    source: 'aws-cloudtrail',
    account: '111111111111',
    firstEvent: '2026-10-01T00:00:00Z',
    lastEvent: '2026-10-30T00:00:00Z',
    days: 30,
    events: 10,
  },
];
const access = (
  target: string,
  actions: string[],
  environment: string | null = 'production',
): GrantedEdge => ({
  type: 'CAN_ACCESS',
  target,
  levels: ['read'],
  actions,
  environment,
});

describe('permission names across providers', () => {
  it('compares AWS actions without case, GCP methods as their permission, Kubernetes write verbs as write', () => {
    expect(grantedActionUsed('s3:GetObject', new Set([usedActionName('S3:getobject')]))).toBe(true);
    expect(
      grantedActionUsed(
        'secretmanager.versions.access',
        new Set([usedActionName('google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion')]),
      ),
    ).toBe(true);
    expect(grantedActionUsed('storage.objects.get', new Set([usedActionName('storage.objects.get')]))).toBe(
      true,
    );
    expect(grantedActionUsed('write secrets', new Set(['patch secrets']))).toBe(true);
    expect(grantedActionUsed('write secrets', new Set(['get secrets']))).toBe(false);
    expect(grantedActionUsed('list secrets', new Set(['get secrets']))).toBe(true);
    expect(grantedActionUsed('get secrets', new Set(['list secrets']))).toBe(false);
  });

  it('names the service of an action', () => {
    expect(serviceOf('s3:GetObject')).toBe('s3');
    expect(serviceOf('storage.objects.get')).toBe('storage');
    expect(serviceOf('google.iam.credentials.v1.IAMCredentials.GenerateAccessToken')).toBe('iam');
    expect(serviceOf('google.cloud.run.v2.Services.GetService')).toBe('run');
    expect(serviceOf('get secrets')).toBe('secrets');
  });
});

describe('unused permissions', () => {
  const granted = [
    access('arn:aws:s3:::data', ['s3:GetObject', 's3:PutObject', 's3:ListBucket']),
    access('arn:aws:dynamodb:us-east-1:111111111111:table/t', ['dynamodb:GetItem']),
    {
      type: 'CAN_ASSUME' as const,
      target: 'arn:aws:iam::111111111111:role/a',
      levels: null,
      actions: null,
      environment: null,
    },
  ];
  const calls = [
    call('s3:GetObject', 'arn:aws:s3:::data/k', 'success', 5, '2026-10-20T00:00:00Z'),
    call('s3:PutObject', 'arn:aws:s3:::data/k', 'denied'),
  ];

  it('lists, per resource and overall, the actions and services granted and never used over the window', () => {
    const answer = { identity: 'x', coverage: COVERAGE, ...compareGrantedUsed(granted, calls) };
    const u = unusedPermissionsOf(answer, calls);
    expect(u.window).toEqual({ start: '2026-10-01T00:00:00Z', end: '2026-10-30T00:00:00Z' });
    expect(u.resources.map((r) => [r.resource, r.unused])).toEqual([
      ['arn:aws:s3:::data', ['s3:ListBucket', 's3:PutObject']],
      ['arn:aws:dynamodb:us-east-1:111111111111:table/t', ['dynamodb:GetItem']],
    ]);
    expect(u.actions.unused).toEqual(['dynamodb:GetItem', 's3:ListBucket', 's3:PutObject']);
    expect(u.services).toEqual({ granted: ['dynamodb', 's3'], used: ['s3'], unused: ['dynamodb'] });
    expect(u.hops.map((h) => [h.target, h.used])).toEqual([['arn:aws:iam::111111111111:role/a', false]]);
  });

  it('claims nothing unused without coverage', () => {
    const answer = { identity: 'x', coverage: [], ...compareGrantedUsed(granted, calls) };
    const u = unusedPermissionsOf(answer, calls);
    expect(u.window).toBeNull();
    expect(u.actions.unused).toEqual([]);
    expect(u.services.unused).toEqual([]);
    expect(u.resources.every((r) => r.unused.length === 0)).toBe(true);
  });

  it('marks each hop of a route used by its own source’s calls', () => {
    const role = 'arn:aws:iam::111111111111:role/deploy';
    const activity = (p: string) =>
      p === 'ci'
        ? { calls: [call('sts:AssumeRole', role, 'success', 2, '2026-10-03T00:00:00Z')], delegated: [] }
        : p === role
          ? {
              calls: [call('s3:GetObject', 'arn:aws:s3:::data/x', 'success', 1, '2026-10-04T00:00:00Z')],
              delegated: [],
            }
          : { calls: [], delegated: [] };
    const path = [
      { from: 'ci', to: role, type: 'CAN_ASSUME' },
      { from: role, to: 'arn:aws:s3:::data', type: 'CAN_ACCESS' },
    ];
    expect(routeUse('arn:aws:s3:::data', ['read'], path, activity)).toEqual({
      resource: 'arn:aws:s3:::data',
      levels: ['read'],
      exercised: true,
      hops: [
        { ...path[0], used: true, lastUsed: '2026-10-03T00:00:00Z' },
        { ...path[1], used: true, lastUsed: '2026-10-04T00:00:00Z' },
      ],
    });
    const other = [{ from: role, to: 'arn:aws:s3:::other', type: 'CAN_ACCESS' }];
    expect(
      routeUse('arn:aws:s3:::other', ['read'], [path[0] as (typeof path)[0], ...other], activity).exercised,
    ).toBe(false);
    // A workload's hop is used when the identity it runs as made calls; an escalation never is.
    const pod = [
      { from: 'k8s:c:ns:pod:p', to: role, type: 'RUNS_AS' },
      { from: role, to: 'arn:aws:s3:::data', type: 'CAN_ACCESS' },
    ];
    expect(routeUse('arn:aws:s3:::data', ['read'], pod, activity).exercised).toBe(true);
    expect(
      routeUse('arn:aws:s3:::data', ['read'], [{ from: 'ci', to: role, type: 'CAN_ESCALATE' }], activity)
        .exercised,
    ).toBe(false);
  });
});
