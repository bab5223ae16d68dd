import { IAMClient, paginateGetAccountAuthorizationDetails } from '@aws-sdk/client-iam';
import { describe, expect, it } from 'vitest';
import { allPages, decodeAuthorizationDetails, record } from '../../../src/collectors/aws/live-calls.js';
import { emptyScope } from '../../../src/collectors/aws/raw.js';

/**
 * The live collector's paging and CLI shaping, without a network: a real IAM client whose
 * middleware answers every request with the next page, as the IAM API does with Marker/IsTruncated.
 */
function pagedIamClient(pages: Record<string, unknown>[], seen: { Marker?: string; MaxItems?: number }[]) {
  const client = new IAMClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
  });
  client.middlewareStack.add(
    () => async (args) => {
      const input = args.input as { Marker?: string; MaxItems?: number };
      seen.push({ ...input });
      const index = input.Marker ? Number(input.Marker) : 0;
      const last = index === pages.length - 1;
      return {
        output: {
          $metadata: { httpStatusCode: 200 },
          ...pages[index],
          IsTruncated: !last,
          ...(last ? {} : { Marker: String(index + 1) }),
        },
        response: {},
      };
    },
    { step: 'initialize', name: 'fakePages' },
  );
  return client;
}

const encoded = (document: unknown) => encodeURIComponent(JSON.stringify(document));
const trust = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};

describe('live paging', () => {
  it('follows every page and merges the lists as the CLI prints them', async () => {
    const seen: { Marker?: string; MaxItems?: number }[] = [];
    const client = pagedIamClient(
      [
        { UserDetailList: [{ UserName: 'a' }], RoleDetailList: [], Policies: [] },
        {
          UserDetailList: [{ UserName: 'b' }],
          RoleDetailList: [{ RoleName: 'r', CreateDate: new Date('2024-01-01T00:00:00Z') }],
        },
        { UserDetailList: [], GroupDetailList: [{ GroupName: 'g' }], Policies: [{ PolicyName: 'p' }] },
      ],
      seen,
    );
    const merged = await allPages(paginateGetAccountAuthorizationDetails({ client, pageSize: 2 }, {}));
    expect(seen.map((s) => s.Marker)).toEqual([undefined, '1', '2']);
    expect(seen.every((s) => s.MaxItems === 2)).toBe(true);
    expect(merged).toEqual({
      UserDetailList: [{ UserName: 'a' }, { UserName: 'b' }],
      RoleDetailList: [{ RoleName: 'r', CreateDate: '2024-01-01T00:00:00.000Z' }],
      GroupDetailList: [{ GroupName: 'g' }],
      Policies: [{ PolicyName: 'p' }],
    });
  });

  it('decodes URL-encoded policy documents as the CLI does, leaving plain JSON and garbage alone', () => {
    const inline = {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: '*' }],
    };
    const details = decodeAuthorizationDetails({
      UserDetailList: [{ UserPolicyList: [{ PolicyName: 'p', PolicyDocument: encoded(inline) }] }],
      RoleDetailList: [
        {
          AssumeRolePolicyDocument: JSON.stringify(trust),
          RolePolicyList: [{ PolicyDocument: '%7Bbroken' }],
        },
      ],
      Policies: [{ PolicyVersionList: [{ Document: encoded(inline) }] }],
    });
    expect(details).toEqual({
      UserDetailList: [{ UserPolicyList: [{ PolicyName: 'p', PolicyDocument: inline }] }],
      RoleDetailList: [
        { AssumeRolePolicyDocument: trust, RolePolicyList: [{ PolicyDocument: '%7Bbroken' }] },
      ],
      Policies: [{ PolicyVersionList: [{ Document: inline }] }],
    });
  });

  it('records a failed call under its name, and "no such policy" as nothing', async () => {
    const scope = emptyScope();
    const denied = Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' });
    const absent = Object.assign(new Error('no policy'), { name: 'NoSuchBucketPolicy' });
    await record(scope, 'rds-describe-db-instances', () => Promise.reject(denied));
    await record(scope, 's3api-get-bucket-policy/b', () => Promise.reject(absent), true);
    await record(
      scope,
      's3api-get-bucket-tagging/b',
      () => Promise.resolve({ TagSet: [], $metadata: {} }),
      true,
    );
    expect(scope.errors).toEqual({ 'rds-describe-db-instances': 'AccessDeniedException: not authorized' });
    expect(scope.documents).toEqual({ 's3api-get-bucket-tagging/b': { TagSet: [] } });
  });
});
