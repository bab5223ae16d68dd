import { beforeAll, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../../src/analyzers/aws-iam/analyze.js';
import { createAuthorizer } from '../../../../src/analyzers/aws-iam/authorizer/environment-authorizer.js';
import { loadCatalog } from '../../../../src/analyzers/aws-iam/catalog.js';
import { aclActions, s3PublicAccess } from '../../../../src/analyzers/aws-iam/edges/s3-public-access.js';
import type { AwsResourceData } from '../../../../src/model/aws/environment.js';
import type { PolicyDocument } from '../../../../src/model/aws/policy.js';
import { type ACL_PERMISSIONS, formatAclGrant, parseAclGrant } from '../../../../src/model/aws/s3-acl.js';
import { account, allow, doc, environment, resource } from '../../../helpers/aws-environment.js';

// Bucket ACL permissions and grantees: https://docs.aws.amazon.com/AmazonS3/latest/userguide/acl-overview.html
// Block Public Access and ACLs: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html

beforeAll(() => loadCatalog());

const OWNER = '222222222222';
const BUCKET = 'arn:aws:s3:::prod-orders';

function bucket(
  grants: string[],
  attributes: Record<string, boolean | string> = {},
  policy?: PolicyDocument,
): AwsResourceData {
  return resource('s3-bucket', BUCKET, {
    accountId: OWNER,
    attributes: { aclGrants: grants, ...attributes },
    ...(policy ? { policy } : {}),
  });
}

function run(b: AwsResourceData) {
  const out = s3PublicAccess.derive(createAuthorizer(environment(account(OWNER, { resources: [b] }))));
  return { edges: out.edges, findings: out.findings ?? [], nodes: out.nodes ?? [] };
}

describe('bucket ACL grants: the grammar and the levels of each permission', () => {
  it('formats and parses every grantee and permission alike', () => {
    for (const text of [
      'AllUsers READ',
      'AuthenticatedUsers WRITE_ACP',
      'LogDelivery WRITE',
      'owner FULL_CONTROL',
      'canonical-user:79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be READ_ACP',
      'email READ',
      'group:http://acs.amazonaws.com/groups/other WRITE',
    ]) {
      const grant = parseAclGrant(text);
      expect(grant, text).toBeDefined();
      expect(formatAclGrant(grant as NonNullable<typeof grant>)).toBe(text);
    }
    expect(parseAclGrant('AllUsers READ_EVERYTHING')).toBeUndefined();
    expect(parseAclGrant('Someone READ')).toBeUndefined();
    expect(parseAclGrant('READ')).toBeUndefined();
  });

  it.each([
    ['READ', ['s3:ListBucket', 's3:ListBucketVersions', 's3:ListBucketMultipartUploads'], ['list']],
    ['WRITE', ['s3:PutObject', 's3:DeleteObject'], ['write']],
    ['READ_ACP', ['s3:GetBucketAcl'], ['list']],
    ['WRITE_ACP', ['s3:PutBucketAcl'], ['permissions']],
    [
      'FULL_CONTROL',
      [
        's3:ListBucket',
        's3:ListBucketVersions',
        's3:ListBucketMultipartUploads',
        's3:PutObject',
        's3:DeleteObject',
        's3:GetBucketAcl',
        's3:PutBucketAcl',
      ],
      ['list', 'write', 'permissions'],
    ],
  ])('AllUsers %s gives anyone %j at levels %j', (permission, actions, levels) => {
    expect(aclActions(permission as (typeof ACL_PERMISSIONS)[number])).toEqual(actions);
    const { edges, nodes } = run(bucket([`AllUsers ${permission}`]));
    expect(edges).toHaveLength(1);
    expect(edges[0]).toMatchObject({
      type: 'CAN_ACCESS',
      from: 'public:aws',
      fromKind: 'Public',
      to: BUCKET,
      properties: { levels, actions: [...actions].sort() },
    });
    expect(edges[0]?.properties.conditional).toBeUndefined();
    expect(edges[0]?.evidence).toEqual([
      {
        source: 'bucket-acl',
        ref: `${BUCKET}#acl`,
        statement: `AllUsers ${permission}`,
        reason: `bucket ACL of prod-orders grants AllUsers ${permission} (anyone): ${actions.join(', ')} on prod-orders`,
      },
    ]);
    expect(nodes.map((n) => n.id)).toEqual(['public:aws']);
  });
});

describe('public ACL grants on CAN_ACCESS and the public-resource finding', () => {
  it('AllUsers READ: anyone lists the objects; a high finding says the ACL lets anyone list', () => {
    const { findings } = run(bucket(['owner FULL_CONTROL', 'AllUsers READ']));
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'aws-resource-public',
        severity: 'high',
        subject: BUCKET,
        message:
          'prod-orders: its ACL lets anyone list (READ: s3:ListBucket, s3:ListBucketVersions, s3:ListBucketMultipartUploads)',
      }),
    ]);
  });

  it('AuthenticatedUsers is public too: any AWS account’s principal writes', () => {
    const { edges, findings } = run(bucket(['AuthenticatedUsers WRITE']));
    expect(edges[0]?.properties.levels).toEqual(['write']);
    expect(findings[0]?.message).toBe(
      "prod-orders: its ACL lets any AWS account's principal write (WRITE: s3:PutObject, s3:DeleteObject)",
    );
  });

  it('grants to the owner, another canonical user, an e-mail address or LogDelivery are not public', () => {
    const { edges, findings } = run(
      bucket([
        'owner FULL_CONTROL',
        'canonical-user:79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be READ',
        'email WRITE',
        'LogDelivery WRITE',
      ]),
    );
    expect(edges).toEqual([]);
    expect(findings).toEqual([]);
  });

  it('an ACL that was not collected gives nothing', () => {
    const b = resource('s3-bucket', BUCKET, { accountId: OWNER });
    expect(run(b).edges).toEqual([]);
  });

  it('IgnorePublicAcls on the bucket: no edge, a low finding naming the bucket’s setting', () => {
    const { edges, findings } = run(bucket(['AllUsers READ'], { ignorePublicAcls: true }));
    expect(edges).toEqual([]);
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'aws-resource-public-blocked',
        severity: 'low',
        message:
          'prod-orders: its ACL is public (AllUsers READ) but IgnorePublicAcls on the bucket makes S3 ignore it; turning that off would open the bucket',
        evidence: [expect.objectContaining({ source: 'bucket-acl', statement: 'AllUsers READ' })],
      }),
    ]);
  });

  it('IgnorePublicAcls on the account: no edge, and the finding names the account’s setting', () => {
    const { edges, findings } = run(
      bucket(['AuthenticatedUsers FULL_CONTROL'], { ignorePublicAcls: true, accountIgnorePublicAcls: true }),
    );
    expect(edges).toEqual([]);
    expect(findings.map((f) => f.message)).toEqual([
      expect.stringContaining('IgnorePublicAcls on the account makes S3 ignore it'),
    ]);
  });

  it('BlockPublicAcls alone leaves the ACL in force, and the finding says so', () => {
    const { edges, findings } = run(
      bucket(['AllUsers READ'], { blockPublicAcls: true, ignorePublicAcls: false }),
    );
    expect(edges).toHaveLength(1);
    expect(findings[0]?.message).toContain(
      'BlockPublicAcls is on but only rejects new public ACLs, IgnorePublicAcls is off',
    );
  });

  it('Object Ownership BucketOwnerEnforced disables ACLs: no edge and no finding', () => {
    const { edges, findings } = run(
      bucket(['AllUsers FULL_CONTROL'], { objectOwnership: 'BucketOwnerEnforced' }),
    );
    expect(edges).toEqual([]);
    expect(findings).toEqual([]);
    expect(run(bucket(['AllUsers READ'], { objectOwnership: 'BucketOwnerPreferred' })).edges).toHaveLength(1);
  });

  it('an explicit Deny of the bucket policy overrides the ACL; a conditional Deny makes it conditional', () => {
    const denyPut = {
      Effect: 'Deny' as const,
      Principal: '*' as const,
      Action: 's3:PutObject',
      Resource: `${BUCKET}/*`,
    };
    const { edges } = run(bucket(['AllUsers WRITE'], {}, doc(denyPut)));
    expect(edges[0]?.properties.actions).toEqual(['s3:DeleteObject']);

    const denyAll = { ...denyPut, Action: 's3:*', Resource: [BUCKET, `${BUCKET}/*`] };
    expect(run(bucket(['AllUsers READ'], {}, doc(denyAll))).edges).toEqual([]);

    const outsideVpc = {
      ...denyAll,
      Condition: { StringNotEquals: { 'aws:SourceVpce': ['vpce-1a2b3c4d'] } },
    };
    const conditional = run(bucket(['AllUsers READ'], {}, doc(outsideVpc)));
    expect(conditional.edges[0]?.properties).toMatchObject({
      conditional: true,
      conditions: ['aws:SourceVpce'],
    });
    expect(conditional.edges[0]?.evidence[0]?.reason).toContain(
      'if not (aws:SourceVpce StringNotEquals "vpce-1a2b3c4d")',
    );
    expect(conditional.findings[0]).toMatchObject({ rule: 'aws-resource-public', severity: 'medium' });
  });
});

/** A bucket policy statement letting anyone read the objects. */
const anyoneReads = (Sid: string) => allow('s3:GetObject', `${BUCKET}/*`, { Sid, Principal: '*' });

describe('a public bucket policy that RestrictPublicBuckets neutralises', () => {
  const anyone = anyoneReads('Public');

  it('is reported at low severity, naming the statement and where the setting is set', () => {
    const { findings } = run(
      bucket([], { restrictPublicBuckets: true, accountRestrictPublicBuckets: true }, doc(anyone)),
    );
    expect(findings).toEqual([
      expect.objectContaining({
        rule: 'aws-resource-public-blocked',
        severity: 'low',
        message:
          "prod-orders: its bucket policy is public (statement Public) but RestrictPublicBuckets on the account limits it to the bucket owner's account and AWS services; turning that off would open the bucket",
        evidence: [
          expect.objectContaining({
            source: 'resource-policy',
            ref: `${BUCKET}#policy`,
            statement: 'Public',
          }),
        ],
      }),
    ]);
  });

  it('is not reported when the setting is off (the bucket is public) or the policy is not public', () => {
    expect(run(bucket([], { restrictPublicBuckets: false }, doc(anyone))).findings).toEqual([]);
    const named = { ...anyone, Principal: { AWS: ['arn:aws:iam::111111111111:root'] } };
    expect(run(bucket([], { restrictPublicBuckets: true }, doc(named))).findings).toEqual([]);
  });
});

describe('the ACL and the bucket policy together', () => {
  it('give anyone one CAN_ACCESS edge with both grants as evidence and the union of levels', async () => {
    const anyoneGets = anyoneReads('PublicRead');
    const env = environment(account(OWNER, { resources: [bucket(['AllUsers READ'], {}, doc(anyoneGets))] }));
    const { edges, findings } = await analyzeAws(env);
    const open = edges.filter((e) => e.from === 'public:aws' && e.to === BUCKET);
    expect(open).toHaveLength(1);
    expect(open[0]?.properties.levels).toEqual(['list', 'read']);
    expect(open[0]?.evidence.map((e) => `${e.source} ${e.statement}`).sort()).toEqual([
      'bucket-acl AllUsers READ',
      'resource-policy PublicRead',
    ]);
    expect(findings.filter((f) => f.rule === 'aws-resource-public').map((f) => f.message)).toEqual([
      expect.stringContaining('its resource policy lets anyone read'),
      expect.stringContaining('its ACL lets anyone list'),
    ]);
  });
});
