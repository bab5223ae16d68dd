import { describe, expect, it } from 'vitest';
import { denyPrincipalCovers, GroupMemberships } from '../../../src/analyzers/gcp-iam/principals.js';
import { transformGcp } from '../../../src/collectors/gcp/transform.js';
import type { GcpGroupMembership } from '../../../src/model/gcp/environment.js';
import { shippedPredefinedRoles } from '../../../src/model/gcp/roles.js';

const listing = (
  email: string,
  members: string[],
  extra: Partial<GcpGroupMembership> = {},
): [string, GcpGroupMembership] => [
  email,
  { email, source: `groups/${email}.json`, members, transitive: false, complete: true, ...extra },
];

describe('Cloud Identity group membership', () => {
  const groups = new GroupMemberships(
    new Map([
      listing('eng@x.example', ['user:ann@x.example', 'group:ops@x.example', 'group:vendors@x.example']),
      listing('ops@x.example', ['serviceAccount:ci@p.iam.gserviceaccount.com']),
      listing('all@x.example', ['user:zed@x.example'], { transitive: true }),
      listing('partial@x.example', ['user:amy@x.example'], { complete: false }),
    ]),
  );

  it('follows nested groups and names the chain', () => {
    expect(groups.membersOf('eng@x.example')).toEqual(
      expect.arrayContaining([
        { member: 'user:ann@x.example', via: ['eng@x.example'] },
        { member: 'serviceAccount:ci@p.iam.gserviceaccount.com', via: ['eng@x.example', 'ops@x.example'] },
      ]),
    );
    expect(groups.membersOf('unknown@x.example')).toEqual([]);
  });

  it('decides membership when every group it passes through is collected, else leaves it undecided', () => {
    expect(groups.covers('eng@x.example', 'serviceAccount:ci@p.iam.gserviceaccount.com')).toBe(true);
    // vendors@ is nested in eng@ but not collected: bob may be in it
    expect(groups.covers('eng@x.example', 'user:bob@x.example')).toBe('undecided');
    expect(groups.covers('ops@x.example', 'user:bob@x.example')).toBe(false);
    // a transitive listing holds every member: no one else is in it
    expect(groups.covers('all@x.example', 'user:bob@x.example')).toBe(false);
    // a member that could not be named (a customer) leaves the others unknown
    expect(groups.covers('partial@x.example', 'user:bob@x.example')).toBe('undecided');
    expect(groups.covers('nobody@x.example', 'user:bob@x.example')).toBe('undecided');
  });

  it('decides a deny rule naming a group for its members, and keeps it undecided without membership', () => {
    const denied = 'principalSet://goog/group/ops@x.example';
    expect(denyPrincipalCovers(denied, 'serviceAccount:ci@p.iam.gserviceaccount.com', groups)).toBe(true);
    expect(denyPrincipalCovers(denied, 'user:ann@x.example', groups)).toBe(false);
    expect(denyPrincipalCovers(denied, 'user:ann@x.example')).toBe('undecided');
    expect(denyPrincipalCovers(denied, 'group:ops@x.example')).toBe(true);
  });
});

describe('group membership files', () => {
  const transform = (groups: Record<string, unknown>) =>
    transformGcp(
      {
        levels: [],
        issues: [],
        groups: Object.fromEntries(
          Object.entries(groups).map(([email, value]) => [
            email,
            { source: `gcp/organization/groups/${email}.json`, value },
          ]),
        ),
      },
      { dataset: shippedPredefinedRoles() },
    );

  it('reads memberships list and search-transitive-memberships output', () => {
    const environment = transform({
      'Eng@x.example': [
        { preferredMemberKey: { id: 'Ann@x.example' }, type: 'USER' },
        { preferredMemberKey: { id: 'ops@x.example' }, type: 'GROUP' },
      ],
      'all@x.example': [
        { member: 'users/1', preferredMemberKey: [{ id: 'ann@x.example' }], relationType: 'DIRECT' },
        {
          member: 'users/2',
          preferredMemberKey: [{ id: 'ci@p.iam.gserviceaccount.com' }],
          relationType: 'INDIRECT',
        },
      ],
    });
    expect(environment.groups?.get('eng@x.example')).toMatchObject({
      members: ['user:ann@x.example', 'group:ops@x.example'],
      transitive: false,
      complete: true,
    });
    expect(environment.groups?.get('all@x.example')).toMatchObject({
      members: ['user:ann@x.example', 'serviceAccount:ci@p.iam.gserviceaccount.com'],
      transitive: true,
    });
  });

  it('names the file and member it cannot read; the group stays with what is known', () => {
    const environment = transform({
      'not-an-email': [],
      'eng@x.example': [
        { preferredMemberKey: { id: 'ann@x.example' }, type: 'USER' },
        { preferredMemberKey: { id: 'C0123' }, type: 'CUSTOMER' },
      ],
      'bad@x.example': { unexpected: true },
    });
    expect(environment.groups?.get('eng@x.example')).toMatchObject({
      members: ['user:ann@x.example'],
      complete: false,
    });
    expect(environment.groups?.has('bad@x.example')).toBe(false);
    expect(environment.issues.map((i) => `${i.severity} ${i.source} ${i.object}`)).toEqual([
      'error gcp/organization/groups/not-an-email.json group not-an-email',
      'info gcp/organization/groups/eng@x.example.json group eng@x.example [1]',
      'error gcp/organization/groups/bad@x.example.json group bad@x.example',
    ]);
  });
});
