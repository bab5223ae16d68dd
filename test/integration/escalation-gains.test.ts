import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GraphPathQueries } from '../../src/answers/questions.js';
import { syncAws } from '../helpers/aws-sync.js';
import { testExecutor, wipe } from '../helpers/graph.js';

/**
 * A partial gain is a path like any other: a user allowed to add itself to a group whose policy
 * reads a bucket reaches the bucket, through the CAN_ACCESS edge the escalation derives, in the
 * answers read from Neo4j and in the reachability summary.
 */

const ACCOUNT = '111111111111';
const dev = `arn:aws:iam::${ACCOUNT}:user/dev`;
const bucket = 'arn:aws:s3:::prod-data';
const executor = testExecutor();
const graph = new GraphPathQueries(executor);
const work = mkdtempSync(join(tmpdir(), 'reachgraph-escalation-gains-'));

function snapshot(): string {
  const dir = join(work, 'aws', ACCOUNT);
  mkdirSync(dir, { recursive: true });
  const policy = (Statement: unknown[]) => ({ Version: '2012-10-17', Statement });
  const details = {
    UserDetailList: [
      {
        Path: '/',
        UserName: 'dev',
        UserId: 'AIDADEV0000000000001',
        Arn: dev,
        CreateDate: '2024-01-15T08:30:00+00:00',
        GroupList: [],
        AttachedManagedPolicies: [],
        Tags: [],
        UserPolicyList: [
          {
            PolicyName: 'join-readers',
            PolicyDocument: policy([
              {
                Sid: 'JoinReaders',
                Effect: 'Allow',
                Action: 'iam:AddUserToGroup',
                Resource: `arn:aws:iam::${ACCOUNT}:group/readers`,
              },
            ]),
          },
        ],
      },
    ],
    GroupDetailList: [
      {
        Path: '/',
        GroupName: 'readers',
        GroupId: 'AGPAREADERS000000001',
        Arn: `arn:aws:iam::${ACCOUNT}:group/readers`,
        CreateDate: '2024-01-15T08:30:00+00:00',
        AttachedManagedPolicies: [],
        GroupPolicyList: [
          {
            PolicyName: 'read-prod',
            PolicyDocument: policy([
              { Sid: 'ReadProd', Effect: 'Allow', Action: 's3:GetObject', Resource: `${bucket}/*` },
            ]),
          },
        ],
      },
    ],
    RoleDetailList: [],
    Policies: [],
  };
  writeFileSync(join(dir, 'iam-get-account-authorization-details.json'), JSON.stringify(details));
  writeFileSync(
    join(dir, 's3api-list-buckets.json'),
    JSON.stringify({
      Buckets: [{ Name: 'prod-data', CreationDate: '2024-01-01T00:00:00+00:00', BucketRegion: 'eu-west-1' }],
      Owner: { DisplayName: 'acme', ID: 'owner' },
    }),
  );
  return work;
}

beforeAll(async () => {
  await wipe(executor);
  await syncAws(executor, { snapshotDir: snapshot() });
});
afterAll(async () => {
  await executor.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a partial escalation gain in the answers', () => {
  it('the user reaches the bucket through the group it can join, with the technique in the reason', async () => {
    const answers = await graph.reach({ from: dev, to: bucket });
    expect(answers).toHaveLength(1);
    const [answer] = answers;
    expect(answer).toMatchObject({ principal: dev, resource: bucket, hops: 0, levels: ['read'] });
    expect(answer?.path.map((h) => h.type)).toEqual(['CAN_ACCESS']);
    expect(answer?.path[0]?.reason).toMatch(
      /^iam-013 iam:AddUserToGroup: can add itself to group readers, then read/,
    );
  });

  it('no other route: the group alone grants nothing the user holds today', async () => {
    expect(await graph.reach({ from: dev, to: 'type=AwsS3Bucket', level: 'write' })).toEqual([]);
  });
});
