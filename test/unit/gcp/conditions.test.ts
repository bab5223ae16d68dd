import { describe, expect, it } from 'vitest';
import { decideCondition, MalformedCondition } from '../../../src/analyzers/gcp-iam/conditions.js';
import {
  denyPrincipalCovers,
  memberNode,
  v2PermissionMatcher,
} from '../../../src/analyzers/gcp-iam/principals.js';

const asOf = new Date('2026-06-01T00:00:00Z');
const bucket = {
  name: 'projects/_/buckets/prod-data',
  type: 'storage.googleapis.com/Bucket',
  service: 'storage.googleapis.com',
};

describe('IAM conditions, decided offline where the facts are known', () => {
  it.each([
    ['request.time < timestamp("2027-01-01T00:00:00Z")', true],
    ['request.time < timestamp("2020-01-01T00:00:00Z")', false],
    ['resource.name.startsWith("projects/_/buckets/prod-")', true],
    ['resource.name.startsWith("projects/_/buckets/dev-")', false],
    [
      'resource.type == "storage.googleapis.com/Bucket" && resource.service == "storage.googleapis.com"',
      true,
    ],
    ['resource.type != "storage.googleapis.com/Bucket"', false],
    ['resource.name in ["projects/_/buckets/prod-data", "x"]', true],
    // CEL's logic: false && unknown is false, true || unknown is true
    ['resource.matchTag("123/env", "prod") && resource.name.startsWith("projects/_/buckets/dev-")', false],
    ['resource.matchTag("123/env", "prod") || request.time > timestamp("2020-01-01T00:00:00Z")', true],
  ])('%s is %s', (expression, value) => {
    expect(decideCondition(expression, { asOf, resource: bucket })).toBe(value);
  });

  it.each([
    'resource.matchTag("123/env", "prod")',
    'request.time.getHours("Europe/Berlin") < 18',
    'api.getAttribute("iam.googleapis.com/modifiedGrantsByRole", []).hasOnly(["roles/viewer"])',
    'resource.name.extract("/buckets/{name}/") == "x"',
    'request.auth.claims.x == "y"',
  ])('%s is undecided', (expression) => {
    expect(decideCondition(expression, { asOf, resource: bucket })).toBe('undecided');
  });

  it('a resource attribute is undecided when the resource is not known', () => {
    expect(decideCondition('resource.name.startsWith("projects/_/buckets/prod-")', { asOf })).toBe(
      'undecided',
    );
  });

  it('a malformed expression or time is an error', () => {
    expect(() => decideCondition('request.time < (', { asOf })).toThrow(MalformedCondition);
    expect(() => decideCondition('request.time < timestamp("yesterday")', { asOf })).toThrow(/RFC 3339/);
  });
});

describe('members and deny principals', () => {
  it('names each kind of member as its node (a GKE workload as its pool subject), none for deleted members', () => {
    expect(memberNode('user:Alice@Example.com')).toMatchObject({
      id: 'gcp:user:alice@example.com',
      kind: 'GcpUser',
    });
    expect(memberNode('domain:example.com')).toMatchObject({
      id: 'gcp:domain:example.com',
      kind: 'GcpDomain',
    });
    expect(memberNode('allUsers')).toMatchObject({ id: 'public:gcp:allUsers', kind: 'Public' });
    expect(
      memberNode('principalSet://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/p/*'),
    ).toMatchObject({
      kind: 'GcpPrincipalSet',
    });
    expect(memberNode('deleted:serviceAccount:x@p.iam.gserviceaccount.com?uid=1')).toBe('deleted');
    expect(memberNode('serviceAccount:p.svc.id.goog[ns/ksa]')).toMatchObject({
      id: 'gcp:principalset:serviceAccount:p.svc.id.goog[ns/ksa]',
      kind: 'GcpPrincipalSet',
    });
    expect(memberNode('serviceAccount:p.svc.id.goog[ns]')).toBeUndefined();
  });

  it('decides which deny principals cover a member, undecided for group and customer membership', () => {
    expect(denyPrincipalCovers('principalSet://goog/public:all', 'user:a@example.com')).toBe(true);
    expect(denyPrincipalCovers('principal://goog/subject/a@example.com', 'user:a@example.com')).toBe(true);
    expect(denyPrincipalCovers('principal://goog/subject/a@example.com', 'user:b@example.com')).toBe(false);
    expect(
      denyPrincipalCovers(
        'principal://iam.googleapis.com/projects/-/serviceAccounts/s@p.iam.gserviceaccount.com',
        'serviceAccount:s@p.iam.gserviceaccount.com',
      ),
    ).toBe(true);
    expect(denyPrincipalCovers('principalSet://goog/group/g@example.com', 'group:g@example.com')).toBe(true);
    expect(denyPrincipalCovers('principalSet://goog/group/g@example.com', 'user:a@example.com')).toBe(
      'undecided',
    );
    expect(denyPrincipalCovers('principalSet://goog/group/g@example.com', 'allUsers')).toBe(false);
    const pool = 'iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/gh';
    expect(
      denyPrincipalCovers(`principalSet://${pool}/*`, `principalSet://${pool}/attribute.repository/o/r`),
    ).toBe(true);
  });

  it('maps v2 permission names and their wildcards to v1 names', () => {
    expect(v2PermissionMatcher('iam.googleapis.com/roles.create')('iam.roles.create')).toBe(true);
    expect(v2PermissionMatcher('iam.googleapis.com/roles.create')('iam.roles.delete')).toBe(false);
    expect(v2PermissionMatcher('storage.googleapis.com/objects.*')('storage.objects.delete')).toBe(true);
    expect(v2PermissionMatcher('storage.googleapis.com/*.delete')('storage.buckets.delete')).toBe(true);
    expect(v2PermissionMatcher('storage.googleapis.com/*')('storage.buckets.get')).toBe(true);
    expect(v2PermissionMatcher('storage.googleapis.com/*')('iam.roles.get')).toBe(false);
  });
});
