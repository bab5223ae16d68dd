import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { analyzeAws } from '../../../src/analyzers/aws-iam/analyze.js';
import { readAwsSnapshot } from '../../../src/collectors/aws/snapshot.js';
import { transformAws } from '../../../src/collectors/aws/transform.js';
import type { AwsAccountData, AwsEnvironment } from '../../../src/model/aws/environment.js';

const FIXTURE = join(import.meta.dirname, '../../fixtures/aws-collector/basic');
const A = '111122223333';
const ACCOUNT_DIR = `aws/${A}`;
const DETAILS = `${ACCOUNT_DIR}/iam-get-account-authorization-details.json`;
const iamArn = (kind: string, name: string) => `arn:aws:iam::${A}:${kind}/${name}`;

const temporary: string[] = [];
afterEach(async () => {
  for (const dir of temporary.splice(0)) await rm(dir, { recursive: true, force: true });
});

/** A copy of the fixture, changed by `edit`, read and transformed. */
async function transformed(edit?: (dir: string) => Promise<void>): Promise<AwsEnvironment> {
  if (!edit) return transformAws(await readAwsSnapshot(FIXTURE));
  const dir = await mkdtemp(join(tmpdir(), 'reachgraph-aws-fixture-'));
  temporary.push(dir);
  await cp(FIXTURE, dir, { recursive: true });
  await edit(dir);
  return transformAws(await readAwsSnapshot(dir));
}

// biome-ignore lint/suspicious/noExplicitAny: tests edit free-form CLI JSON in place.
type CliDocument = Record<string, any>;

async function editDetails(dir: string, change: (details: CliDocument) => void): Promise<void> {
  const path = join(dir, DETAILS);
  const details = JSON.parse(await readFile(path, 'utf8'));
  change(details);
  await writeFile(path, JSON.stringify(details));
}

const account = (env: AwsEnvironment): AwsAccountData => env.accounts[0] as AwsAccountData;
const errors = (env: AwsEnvironment) => account(env).issues.filter((i) => i.severity === 'error');

describe('transformAws on a CLI-shaped snapshot', () => {
  it('reads users, groups, roles and managed policies, URL-encoded or not', async () => {
    const env = await transformed();
    const a = account(env);
    expect(a.accountId).toBe(A);
    expect(a.alias).toBe('acme-prod');
    expect(errors(env)).toEqual([]);

    const ci = a.users.find((u) => u.name === 'github-ci');
    expect(ci).toMatchObject({
      arn: iamArn('user', 'github-ci'),
      uniqueId: 'AIDAEXAMPLEGITHUBCI1',
      groupArns: [iamArn('group', 'deployers')],
      attachedPolicyArns: ['arn:aws:iam::aws:policy/ReadOnlyAccess'],
      permissionsBoundaryArn: iamArn('policy', 'ci-boundary'),
      tags: { team: 'platform' },
      hasConsolePassword: false,
      activeAccessKeyCount: 1,
    });
    // URL-encoded inline document, two statements, the second without Sid.
    const inline = ci?.inlinePolicies[0];
    expect(inline?.id).toBe(`${iamArn('user', 'github-ci')}#inline/ci-deploy`);
    expect(inline?.document.Statement.map((s) => s.Sid ?? `#${s.index}`)).toEqual(['Deploy', '#1']);
    expect(inline?.document.Statement[1]?.Action).toEqual(['s3:PutObject']);

    // A single statement object (not an array) with string values is normalized.
    expect(a.groups[0]?.inlinePolicies[0]?.document.Statement).toEqual([
      { index: 0, Effect: 'Allow', Action: ['logs:Get*'], Resource: ['*'] },
    ]);

    const deploy = a.roles.find((r) => r.name === 'deploy');
    expect(deploy?.trustPolicy.id).toBe(`${iamArn('role', 'deploy')}#trust`);
    expect(deploy?.trustPolicy.document.Statement[0]?.Condition?.StringLike).toEqual({
      'token.actions.githubusercontent.com:sub': ['repo:acme/app:*'],
    });
    expect(deploy?.lastUsedDate).toBe('2024-06-01T10:00:00.000Z');
    const web = a.roles.find((r) => r.name === 'web');
    expect(web?.trustPolicy.document.Statement[0]?.Principal).toEqual({ Service: ['ec2.amazonaws.com'] });
    expect(web?.instanceProfileArns).toEqual([iamArn('instance-profile', 'web')]);
    expect(a.roles.find((r) => r.name === 'AWSServiceRoleForSupport')?.serviceLinked).toBe(true);
    expect(deploy?.serviceLinked).toBe(false);

    const managed = a.managedPolicies.find((p) => p.arn === iamArn('policy', 'deploy-policy'));
    expect(managed?.defaultVersionId).toBe('v2');
    expect(managed?.policy.kind).toBe('customer-managed');
    expect(managed?.policy.document.Statement[0]?.Action).toEqual([
      'lambda:UpdateFunctionCode',
      'iam:PassRole',
    ]);
    expect(managed?.otherVersions).toEqual([
      {
        versionId: 'v1',
        document: {
          Version: '2012-10-17',
          Statement: [{ index: 0, Effect: 'Allow', Action: ['*'], Resource: ['*'] }],
        },
      },
    ]);
    expect(a.managedPolicies.find((p) => p.arn.endsWith(':policy/ReadOnlyAccess'))?.policy.kind).toBe(
      'aws-managed',
    );
    expect(
      a.managedPolicies.find((p) => p.arn.endsWith('ci-boundary'))?.policy.document.Statement[0]?.Action,
    ).toEqual(['lambda:*', 's3:*', 'logs:*']);
  });

  it('adds credentials from the report and the key list, and identity providers', async () => {
    const a = account(await transformed());
    const ci = a.users.find((u) => u.name === 'github-ci');
    // The key list has no last use; the report row whose rotation time is the key's creation time has.
    expect(ci?.accessKeys).toEqual([
      {
        accessKeyId: 'AKIAEXAMPLEGITHUBCI1',
        status: 'Active',
        createDate: '2024-01-10T09:05:00.000Z',
        lastUsedDate: '2024-06-30T12:00:00.000Z',
        lastUsedService: 'lambda',
      },
    ]);
    const alice = a.users.find((u) => u.name === 'alice');
    expect(alice).toMatchObject({
      hasConsolePassword: true,
      mfaActive: true,
      passwordLastUsed: '2024-06-29T08:00:00.000Z',
    });
    expect(a.oidcProviders).toEqual([
      {
        arn: iamArn('oidc-provider', 'token.actions.githubusercontent.com'),
        url: 'token.actions.githubusercontent.com',
        clientIds: ['sts.amazonaws.com'],
      },
    ]);
  });

  it('reads resources in region folders and at the account root', async () => {
    const a = account(await transformed());
    const byName = (name: string) => a.resources.find((r) => r.name === name);
    expect(byName('prod-customer-data')).toMatchObject({
      type: 's3-bucket',
      arn: 'arn:aws:s3:::prod-customer-data',
      tags: { 'data-classification': 'confidential' },
      policy: { id: 'arn:aws:s3:::prod-customer-data#policy', kind: 'resource' },
    });
    expect(byName('prod-customer-data')?.policy?.document.Statement[0]?.Principal).toEqual({
      AWS: [iamArn('role', 'web')],
    });
    // The bucket-policy command ran, and build-logs has none.
    expect(byName('build-logs')?.policy).toBeUndefined();
    expect(a.collected['s3api-get-bucket-policy']).toBe(true);

    expect(byName('orders')).toMatchObject({
      type: 'lambda-function',
      region: 'eu-west-1',
      roleArns: [iamArn('role', 'deploy')],
      attributes: { runtime: 'python3.12' },
    });
    expect(byName('orders')?.policy?.document.Statement[0]?.Condition).toEqual({
      StringEquals: { 'AWS:SourceAccount': [A] },
    });
    expect(a.resources.find((r) => r.type === 'kms-key')).toMatchObject({
      arn: `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`,
      region: 'eu-west-1',
    });
    // ec2-describe-instances at the root: region from the availability zone, role from the instance profile.
    expect(byName('web-1')).toMatchObject({
      type: 'ec2-instance',
      arn: `arn:aws:ec2:eu-west-1:${A}:instance/i-0abc123def4567890`,
      region: 'eu-west-1',
      roleArns: [iamArn('role', 'web')],
      attributes: { instanceProfileArn: iamArn('instance-profile', 'web'), state: 'running' },
    });
  });

  it('records missing optional files as not collected, with info issues only', async () => {
    const env = await transformed();
    const a = account(env);
    expect(a.collected).toMatchObject({
      'iam-get-account-authorization-details': true,
      'iam-credential-report': true,
      'lambda-list-functions': true,
      'ec2-describe-instances': true,
      'secretsmanager-list-secrets': false,
      'dynamodb-list-tables': false,
      'iam-list-saml-providers': false,
      'iam-get-access-key-last-used': false,
    });
    const info = a.issues.filter((i) => i.severity === 'info').map((i) => i.source);
    expect(info).toContain(`${ACCOUNT_DIR}/secretsmanager-list-secrets.json`);
    expect(info).toContain(`${ACCOUNT_DIR}/iam-list-saml-providers.json`);
    expect(a.issues.every((i) => i.severity === 'info')).toBe(true);
  });

  it('reads the organization tree and its SCPs', async () => {
    const org = (await transformed()).organization;
    expect(org).toMatchObject({
      id: 'o-exampleorg1',
      managementAccountId: '999999999999',
      rootId: 'r-ab12',
      organizationalUnits: [{ id: 'ou-ab12-prod0001', name: 'Production', parentId: 'r-ab12' }],
    });
    expect(org?.accounts).toEqual([
      { id: A, name: 'acme-prod', parentId: 'ou-ab12-prod0001' },
      { id: '999999999999', name: 'management', parentId: 'r-ab12' },
    ]);
    expect(org?.serviceControlPolicies).toHaveLength(1);
    expect(org?.serviceControlPolicies[0]?.targets).toEqual(['ou-ab12-prod0001']);
    expect(org?.serviceControlPolicies[0]?.policy).toMatchObject({ kind: 'scp', name: 'deny-leave' });
    expect(org?.resourceControlPolicies).toEqual([]);
  });
});

describe('S3 Block Public Access: the bucket’s and the account’s settings', () => {
  const block = (settings: Record<string, boolean>) =>
    JSON.stringify({ PublicAccessBlockConfiguration: settings });
  const bucketAttributes = (env: AwsEnvironment, name: string) =>
    account(env).resources.find((r) => r.name === name)?.attributes ?? {};

  it('applies the most restrictive combination: a setting is on when the bucket or the account has it', async () => {
    const env = await transformed(async (dir) => {
      await writeFile(
        join(dir, ACCOUNT_DIR, 's3control-get-public-access-block.json'),
        block({
          BlockPublicAcls: false,
          IgnorePublicAcls: false,
          BlockPublicPolicy: false,
          RestrictPublicBuckets: true,
        }),
      );
      const folder = join(dir, ACCOUNT_DIR, 's3api-get-public-access-block');
      await mkdir(folder, { recursive: true });
      await writeFile(
        join(folder, 'build-logs.json'),
        block({ BlockPublicPolicy: true, RestrictPublicBuckets: false }),
      );
    });
    expect(bucketAttributes(env, 'build-logs')).toMatchObject({
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
      accountRestrictPublicBuckets: true,
      blockPublicAcls: false,
    });
    expect(bucketAttributes(env, 'prod-customer-data')).toMatchObject({
      restrictPublicBuckets: true,
      blockPublicPolicy: false,
    });
    expect(errors(env)).toEqual([]);
  });

  it('without the account document, the bucket’s own settings only, and the file is reported as not collected', async () => {
    const env = await transformed();
    expect(bucketAttributes(env, 'build-logs').restrictPublicBuckets).toBeUndefined();
    expect(account(env).collected['s3control-get-public-access-block']).toBe(false);
    const malformed = await transformed((dir) =>
      writeFile(
        join(dir, ACCOUNT_DIR, 's3control-get-public-access-block.json'),
        '{"PublicAccessBlockConfiguration": 3}',
      ),
    );
    expect(errors(malformed).map((i) => i.source)).toEqual([
      expect.stringContaining('s3control-get-public-access-block.json'),
    ]);
  });
});

describe('S3 bucket ACLs and Object Ownership', () => {
  const OWNER_ID = '79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be';
  const OTHER_ID = 'be2fe74dc7e8125d8f8fcae89d90e6dfdeca9fba1e866d59e55b949009fd95a9';
  const bucketAttributes = (env: AwsEnvironment, name: string) =>
    account(env).resources.find((r) => r.name === name)?.attributes ?? {};
  async function write(dir: string, command: string, bucket: string, document: unknown): Promise<void> {
    const folder = join(dir, ACCOUNT_DIR, command);
    await mkdir(folder, { recursive: true });
    await writeFile(
      join(folder, `${bucket}.json`),
      typeof document === 'string' ? document : JSON.stringify(document),
    );
  }
  // `aws s3api get-bucket-acl --bucket B` output.
  const acl = {
    Owner: { DisplayName: 'acme', ID: OWNER_ID },
    Grants: [
      { Grantee: { DisplayName: 'acme', ID: OWNER_ID, Type: 'CanonicalUser' }, Permission: 'FULL_CONTROL' },
      {
        Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
        Permission: 'READ',
      },
      {
        Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AuthenticatedUsers' },
        Permission: 'WRITE_ACP',
      },
      {
        Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
        Permission: 'WRITE',
      },
      { Grantee: { ID: OTHER_ID, Type: 'CanonicalUser' }, Permission: 'READ_ACP' },
      { Grantee: { EmailAddress: 'someone@example.com', Type: 'AmazonCustomerByEmail' }, Permission: 'READ' },
    ],
  };

  it('records every grant with its grantee and permission, and the bucket’s Object Ownership', async () => {
    const env = await transformed(async (dir) => {
      await write(dir, 's3api-get-bucket-acl', 'prod-customer-data', acl);
      await write(dir, 's3api-get-bucket-ownership-controls', 'prod-customer-data', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    });
    expect(bucketAttributes(env, 'prod-customer-data')).toMatchObject({
      aclGrants: [
        'owner FULL_CONTROL',
        'AllUsers READ',
        'AuthenticatedUsers WRITE_ACP',
        'LogDelivery WRITE',
        `canonical-user:${OTHER_ID} READ_ACP`,
        'email READ',
      ],
      objectOwnership: 'BucketOwnerEnforced',
    });
    // No e-mail address is kept.
    expect(JSON.stringify(env)).not.toContain('someone@example.com');
    // A bucket without the files: nothing recorded, nothing taken as granted.
    expect(bucketAttributes(env, 'build-logs').aclGrants).toBeUndefined();
    expect(bucketAttributes(env, 'build-logs').objectOwnership).toBeUndefined();
    expect(errors(env)).toEqual([]);
  });

  it.each([
    ['Grants not a list', { Grants: 3 }],
    ['an unknown permission', { Grants: [{ Grantee: { Type: 'Group', URI: 'x' }, Permission: 'ALL' }] }],
    ['an unknown grantee type', { Grants: [{ Grantee: { Type: 'Robot' }, Permission: 'READ' }] }],
    ['a canonical user without ID', { Grants: [{ Grantee: { Type: 'CanonicalUser' }, Permission: 'READ' }] }],
    ['truncated JSON', '{"Grants": ['],
  ])(
    'a malformed ACL file (%s) is an error naming the file; the bucket stays, without grants',
    async (_, document) => {
      const env = await transformed((dir) =>
        write(dir, 's3api-get-bucket-acl', 'prod-customer-data', document),
      );
      expect(errors(env).map((i) => i.source)).toEqual([
        `${ACCOUNT_DIR}/s3api-get-bucket-acl/prod-customer-data.json`,
      ]);
      expect(bucketAttributes(env, 'prod-customer-data').aclGrants).toBeUndefined();
      expect(account(env).resources.some((r) => r.name === 'prod-customer-data')).toBe(true);
    },
  );

  it('from the snapshot to the edges: the account’s IgnorePublicAcls voids the public ACL, BucketOwnerEnforced disables it', async () => {
    const publicAcl = { Owner: { ID: OWNER_ID }, Grants: [acl.Grants[1]] };
    const env = await transformed(async (dir) => {
      await write(dir, 's3api-get-bucket-acl', 'prod-customer-data', publicAcl);
      await write(dir, 's3api-get-bucket-acl', 'build-logs', publicAcl);
    });
    const publicEdges = async (e: AwsEnvironment) =>
      (await analyzeAws(e)).edges
        .filter((x) => x.from === 'public:aws')
        .map((x) => x.to)
        .sort();
    expect(await publicEdges(env)).toEqual(['arn:aws:s3:::build-logs', 'arn:aws:s3:::prod-customer-data']);

    const ignored = await transformed(async (dir) => {
      await write(dir, 's3api-get-bucket-acl', 'prod-customer-data', publicAcl);
      await writeFile(
        join(dir, ACCOUNT_DIR, 's3control-get-public-access-block.json'),
        JSON.stringify({ PublicAccessBlockConfiguration: { IgnorePublicAcls: true } }),
      );
    });
    expect(await publicEdges(ignored)).toEqual([]);
    expect(
      (await analyzeAws(ignored)).findings.filter((f) => f.rule === 'aws-resource-public-blocked'),
    ).toEqual([
      expect.objectContaining({
        subject: 'arn:aws:s3:::prod-customer-data',
        message: expect.stringContaining('IgnorePublicAcls on the account'),
      }),
    ]);

    const disabled = await transformed(async (dir) => {
      await write(dir, 's3api-get-bucket-acl', 'prod-customer-data', publicAcl);
      await write(dir, 's3api-get-bucket-ownership-controls', 'prod-customer-data', {
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      });
    });
    expect(await publicEdges(disabled)).toEqual([]);
  });

  it('a malformed ownership file is an error naming the file', async () => {
    const env = await transformed((dir) =>
      write(dir, 's3api-get-bucket-ownership-controls', 'build-logs', { OwnershipControls: { Rules: {} } }),
    );
    expect(errors(env).map((i) => i.source)).toEqual([
      `${ACCOUNT_DIR}/s3api-get-bucket-ownership-controls/build-logs.json`,
    ]);
  });
});

describe('transformAws on bad input', () => {
  it('names a truncated file and still transforms the rest of the account', async () => {
    const env = await transformed(async (dir) => {
      const path = join(dir, ACCOUNT_DIR, 'eu-west-1/lambda-list-functions.json');
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.slice(0, text.length / 2));
    });
    const problems = errors(env);
    expect(problems).toHaveLength(1);
    expect(problems[0]?.source).toBe(`${ACCOUNT_DIR}/eu-west-1/lambda-list-functions.json`);
    expect(problems[0]?.message).toMatch(/malformed JSON/);
    expect(account(env).collected['lambda-list-functions']).toBe(false);
    expect(account(env).roles).toHaveLength(3);
    expect(account(env).resources.some((r) => r.type === 'lambda-function')).toBe(false);
    expect(account(env).resources.some((r) => r.type === 's3-bucket')).toBe(true);
  });

  it('a truncated authorization details file leaves an account without principals and an error', async () => {
    const env = await transformed(async (dir) => {
      const path = join(dir, DETAILS);
      const text = await readFile(path, 'utf8');
      await writeFile(path, text.slice(0, 500));
    });
    expect(errors(env).map((i) => i.source)).toContain(DETAILS);
    expect(account(env).collected['iam-get-account-authorization-details']).toBe(false);
    expect(account(env).roles).toEqual([]);
    expect(account(env).resources.length).toBeGreaterThan(0);
  });

  it('a missing authorization details file is an error naming the account', async () => {
    const env = await transformed((dir) => rm(join(dir, DETAILS)));
    expect(errors(env)).toEqual([
      expect.objectContaining({
        source: DETAILS,
        object: A,
        message: expect.stringMatching(/required file is missing/),
      }),
    ]);
  });

  it('a misspelled policy element is reported with account, principal, policy and statement; the rest is kept', async () => {
    const env = await transformed((dir) =>
      editDetails(dir, (details) => {
        const role = details.RoleDetailList.find((r: { RoleName: string }) => r.RoleName === 'web');
        role.RolePolicyList[0].PolicyDocument.Statement.push({
          Sid: 'Typo',
          Effect: 'Allow',
          Actoin: 'dynamodb:*',
          Resource: '*',
        });
      }),
    );
    const [problem, ...rest] = errors(env);
    expect(rest).toEqual([]);
    expect(problem?.source).toBe(DETAILS);
    expect(problem?.message).toContain(A);
    expect(problem?.message).toContain(`role ${iamArn('role', 'web')}, inline policy web-data`);
    expect(problem?.message).toContain('statement Typo');
    expect(problem?.message).toContain('"Actoin" (did you mean "Action"?)');
    const policy = account(env).roles.find((r) => r.name === 'web')?.inlinePolicies[0];
    expect(policy?.document.Statement.map((s) => s.Sid)).toEqual(['Read']);
  });

  it('a statement without Sid that is invalid is named by its position', async () => {
    const env = await transformed((dir) =>
      editDetails(dir, (details) => {
        details.Policies[0].PolicyVersionList[0].Document.Statement.push({
          Effect: 'Allow',
          Action: 5,
          Resource: '*',
        });
      }),
    );
    expect(errors(env)[0]?.message).toMatch(
      /managed policy .*deploy-policy, version v2: statement #1, element Action/,
    );
    const managed = account(env).managedPolicies.find((p) => p.arn.endsWith('deploy-policy'));
    expect(managed?.policy.document.Statement).toHaveLength(1);
  });

  it('a wrong type in a required field names the object and skips only it', async () => {
    const env = await transformed((dir) =>
      editDetails(dir, (details) => {
        details.RoleDetailList[1].Arn = 42;
        details.UserDetailList[1].GroupList = 'deployers';
      }),
    );
    const problems = errors(env);
    expect(problems.map((p) => p.object)).toEqual([
      'UserDetailList[1] (UserName "alice")',
      'RoleDetailList[1] (RoleName "web")',
    ]);
    expect(problems[0]?.message).toContain('GroupList must be an array');
    expect(problems[1]?.message).toContain('Arn must be a non-empty string, got number 42');
    expect(account(env).roles.map((r) => r.name)).toEqual(['deploy', 'AWSServiceRoleForSupport']);
    expect(account(env).users.map((u) => u.name)).toEqual(['github-ci']);
  });

  it('an undecodable trust policy is an error and the role trusts nobody', async () => {
    const env = await transformed((dir) =>
      editDetails(dir, (details) => {
        details.RoleDetailList[0].AssumeRolePolicyDocument = '%7B%22Statement%22%3A';
      }),
    );
    expect(errors(env)[0]?.message).toMatch(
      /role arn:aws:iam::111122223333:role\/deploy, trust policy: invalid JSON/,
    );
    expect(account(env).roles[0]?.trustPolicy.document.Statement).toEqual([]);
  });

  it('ignores fields it does not know and reports a one-page authorization details file', async () => {
    const env = await transformed((dir) =>
      editDetails(dir, (details) => {
        details.IsTruncated = true;
        details.Marker = 'next';
        details.BrandNewList = [{ anything: true }];
      }),
    );
    expect(errors(env).map((i) => i.message)).toEqual([expect.stringMatching(/IsTruncated is true/)]);
    expect(account(env).users).toHaveLength(2);
  });

  it('records a failed call (an .error file) as an error naming it', async () => {
    const env = await transformed((dir) =>
      writeFile(join(dir, ACCOUNT_DIR, 'rds-describe-db-instances.error'), 'AccessDenied: not authorized\n'),
    );
    expect(errors(env)).toEqual([
      expect.objectContaining({
        source: `${ACCOUNT_DIR}/rds-describe-db-instances.json`,
        message: 'AccessDenied: not authorized',
      }),
    ]);
    expect(account(env).collected['rds-describe-db-instances']).toBe(false);
  });

  it('is pure: the same raw data gives the same environment', async () => {
    const raw = await readAwsSnapshot(FIXTURE);
    expect(transformAws(raw)).toEqual(transformAws(structuredClone(raw)));
  });
});
